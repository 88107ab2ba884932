package dev.rewind.sandbox.clients;

import static dev.rewind.sandbox.clients.ChangeEvents.clusterTime;
import static dev.rewind.sandbox.clients.ChangeEvents.clusterTimeRuns;
import static dev.rewind.sandbox.clients.ChangeEvents.of;
import static dev.rewind.sandbox.clients.ChangeEvents.types;
import static dev.rewind.sandbox.clients.PymongoDeleteManyTest.ids;
import static dev.rewind.sandbox.clients.PymongoDeleteManyTest.runs;
import static dev.rewind.sandbox.clients.PymongoTransactionTest.all;
import static dev.rewind.sandbox.clients.PymongoTransactionTest.assertDistinctAscendingTokens;
import static dev.rewind.sandbox.clients.PymongoTransactionTest.range;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * mongosh (npm's, the shell people type accidents into) against the sandbox: it must see a
 * single-node replica set, and what it writes — transactions, insertMany, pipeline updates,
 * deleteMany, a time-series collection — must give the change events a real server gives,
 * read with the Java driver. A mongosh script waits for the test by polling a control
 * collection (mongosh has no convenient synchronous stdin), bounded to two minutes.
 */
class MongoshTest {
    private static final String PRELUDE = String.join("\n",
            "const ctl = db.getSiblingDB('clients_test_ctl').go;",
            "function waitFor(step) {",
            "  for (let i = 0; i < 2400; i++) { if (ctl.findOne({_id: step})) return; sleep(50); }",
            "  throw new Error('the test never said ' + step);",
            "}",
            "function facts(name, o) { print(name + ' ' + EJSON.stringify(o, {relaxed: false})); }",
            "");

    @TempDir
    Path tmp;
    private Path mongosh;

    @BeforeEach
    void needsMongosh() {
        mongosh = ClientProcess.assumeMongosh();
    }

    private ClientProcess run(Sandbox sandbox, String script) throws Exception {
        return ClientProcess.mongosh(mongosh, tmp, sandbox.uri(), PRELUDE + script);
    }

    private static void say(MongoClient client, String step) {
        client.getDatabase("clients_test_ctl").getCollection("go").insertOne(new Document("_id", step));
    }

    /** hello (manual, "hello": setName, isWritablePrimary, hosts), rs.status(), rs.conf() and db.version(). */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void seesASingleNodeReplicaSetOfTheEmulatedRelease(MongoRelease release) throws Exception {
        String script = String.join("\n",
                "const h = db.hello();",
                "const s = rs.status();",
                "const c = rs.conf();",
                "const session = db.getMongo().startSession();",
                "session.getDatabase('probe').c.insertOne({_id: 1});",
                "facts('facts', {setName: h.setName, primary: h.isWritablePrimary, secondary: h.secondary,",
                "  hosts: h.hosts, me: h.me, wire: h.maxWireVersion, sessions: h.logicalSessionTimeoutMinutes,",
                "  set: s.set, myState: s.myState, states: s.members.map(m => m.stateStr),",
                "  confId: c._id, confHosts: c.members.map(m => m.host), version: db.version(),",
                "  found: db.getSiblingDB('probe').c.countDocuments({_id: 1})});",
                "");
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults().release(release));
             ClientProcess shell = run(sandbox, script)) {
            Document facts = Document.parse(shell.await("facts"));
            shell.finish();
            String me = sandbox.host() + ":" + sandbox.port();
            assertThat(facts.getString("setName")).isEqualTo("rs0");
            assertThat(facts.getBoolean("primary")).isTrue();
            assertThat(facts.getBoolean("secondary")).isFalse();
            assertThat(facts.getList("hosts", String.class)).containsExactly(me);
            assertThat(facts.getString("me")).isEqualTo(me);
            assertThat(facts.getInteger("wire")).isEqualTo(release.wireVersion());
            assertThat(facts.getInteger("sessions")).isEqualTo(30);
            assertThat(facts.getString("set")).isEqualTo("rs0");
            assertThat(facts.getInteger("myState")).isEqualTo(1);
            assertThat(facts.getList("states", String.class)).containsExactly("PRIMARY");
            assertThat(facts.getString("confId")).isEqualTo("rs0");
            assertThat(facts.getList("confHosts", String.class)).containsExactly(me);
            assertThat(facts.getString("version")).isEqualTo(release.version());
            assertThat(facts.getInteger("found")).isEqualTo(1);
        }
    }

    /**
     * {@code session.startTransaction(); ...; session.commitTransaction()}: no event before the
     * commit, then all of them with the commit's cluster time, the session's lsid and the
     * txnNumber; {@code session.abortTransaction()} publishes nothing and leaves nothing (notes §3.2).
     */
    @Test
    void aTransactionIsPublishedAtCommitAndAnAbortedOneNever() throws Exception {
        String script = String.join("\n",
                "db.getSiblingDB('shop').orders.insertMany([{_id: 'kept', n: 0}, {_id: 'gone', n: 0}]);",
                "print('ready'); waitFor('start');",
                "const session = db.getMongo().startSession();",
                "const orders = session.getDatabase('shop').orders;",
                "session.startTransaction();",
                "orders.insertOne({_id: 'a', n: 1});",
                "orders.updateOne({_id: 'kept'}, {$inc: {n: 5}});",
                "orders.deleteOne({_id: 'gone'});",
                "const ids = {lsid: session.id.id.toString('hex'), txnNumber: Number(session._session.serverSession.txnNumber)};",
                "print('staged'); waitFor('commit');",
                "session.commitTransaction();",
                "const t = session.getOperationTime();",
                "ids.t = t.getHighBits(); ids.i = t.getLowBits();",
                "facts('committed', ids);",
                "session.startTransaction();",
                "orders.insertOne({_id: 'never', n: 2});",
                "orders.updateOne({_id: 'kept'}, {$set: {n: 99}});",
                "session.abortTransaction();",
                "print('aborted');",
                "");
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults().noopInterval(Duration.ofHours(1)));
             MongoClient client = MongoClients.create(sandbox.uri()); ClientProcess shell = run(sandbox, script)) {
            shell.await("ready");
            try (ChangeEvents events = new ChangeEvents(client)) {
                say(client, "start");
                shell.await("staged");
                assertThat(of(events.upToNow(), "shop", "orders")).as("events before the commit").isEmpty();
                say(client, "commit");
                Document committed = Document.parse(shell.await("committed"));
                shell.await("aborted");
                shell.finish();

                List<BsonDocument> txn = of(events.upToNow(), "shop", "orders");
                assertThat(types(txn)).as("the committed transaction's events, and none of the aborted one")
                        .containsExactly("insert", "update", "delete");
                BsonTimestamp commitTime = new BsonTimestamp(committed.get("t", Number.class).intValue(),
                        committed.get("i", Number.class).intValue());
                assertThat(txn).allSatisfy(e -> {
                    assertThat(clusterTime(e)).isEqualTo(commitTime);
                    assertThat(ChangeEvents.lsid(e))
                            .isEqualTo(committed.getString("lsid"));
                    assertThat(ChangeEvents.txnNumber(e)).isEqualTo(committed.getInteger("txnNumber").longValue());
                });
                assertDistinctAscendingTokens(txn);
                assertThat(txn.get(1).getDocument("updateDescription").getDocument("updatedFields"))
                        .isEqualTo(BsonDocument.parse("{n: 5}"));
            }
            assertThat(all(client.getDatabase("shop").getCollection("orders")))
                    .containsExactly(Document.parse("{_id: 'a', n: 1}"), Document.parse("{_id: 'kept', n: 5}"));
        }
    }

    /**
     * insertMany, a pipeline-style updateOne that shortens an array, and deleteMany: one event
     * per document, each inserted document stored and reported with {@code _id} first although
     * mongosh (the Node driver) sends the {@code _id} last (manual, "Documents", Document Field
     * Order: "the server will move the field to the beginning"), the release's batching of inserts (8.0) and deletes (7.0+), and the update
     * described as mongod derives it from its oplog diff (manual, update event: "truncatedArrays
     * ... An array of documents which record array truncations performed with pipeline-based
     * updates"). The document and the update are those of the drivers' specification test "Test
     * array truncation" (mongodb/specifications, source/change-streams/tests/unified/
     * change-streams.yml, run by every driver against real servers 4.7+), which expects exactly
     * {@code {updatedFields: {}, removedFields: [], truncatedArrays: [{field: "array", newSize: 2}]}}.
     */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void insertManyPipelineUpdateAndDeleteMany(MongoRelease release) throws Exception {
        int n = 300;
        String script = String.join("\n",
                "const c = db.getSiblingDB('shop').items;",
                "print('ready'); waitFor('start');",
                "const docs = []; for (let i = 0; i < " + n + "; i++) docs.push({a: 1, array: ['foo', {a: 'bar'}, 1, 2, 3], n: i, _id: i});",
                "facts('inserted', {n: Object.keys(c.insertMany(docs).insertedIds).length});",
                "const u = c.updateOne({_id: 7}, [{$set: {array: ['foo', {a: 'bar'}]}}]);",
                "facts('updated', {matched: u.matchedCount, modified: u.modifiedCount});",
                "facts('after', c.findOne({_id: 7}));",
                "facts('fields', {stored: Object.keys(c.findOne({_id: 8}))});",
                "facts('deleted', {n: c.deleteMany({}).deletedCount});",
                "");
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults().release(release));
             MongoClient client = MongoClients.create(sandbox.uri()); ClientProcess shell = run(sandbox, script)) {
            shell.await("ready");
            try (ChangeEvents events = new ChangeEvents(client)) {
                say(client, "start");
                assertThat(Document.parse(shell.await("inserted")).getInteger("n")).isEqualTo(n);
                assertThat(Document.parse(shell.await("updated"))).isEqualTo(Document.parse("{matched: 1, modified: 1}"));
                assertThat(Document.parse(shell.await("after"))).isEqualTo(Document.parse("{_id: 7, a: 1, array: ['foo', {a: 'bar'}], n: 7}"));
                assertThat(Document.parse(shell.await("fields")).getList("stored", String.class))
                        .as("mongod moves _id to the front of an inserted document").containsExactly("_id", "a", "array", "n");
                assertThat(Document.parse(shell.await("deleted")).getInteger("n")).isEqualTo(n);
                shell.finish();

                List<BsonDocument> all = of(events.upToNow(), "shop", "items");
                assertThat(all).hasSize(2 * n + 1);
                List<BsonDocument> inserts = all.subList(0, n);
                BsonDocument update = all.get(n);
                List<BsonDocument> deletes = all.subList(n + 1, 2 * n + 1);

                assertThat(types(inserts)).containsOnly("insert");
                assertThat(ids(inserts)).containsExactlyElementsOf(range(n));
                assertThat(inserts.get(7).getDocument("fullDocument").toJson())
                        .isEqualTo(BsonDocument.parse("{_id: 7, a: 1, array: ['foo', {a: 'bar'}, 1, 2, 3], n: 7}").toJson());
                assertThat(clusterTimeRuns(inserts)).isEqualTo(release == MongoRelease.V8_0 ? runs(n, 64) : runs(n, 1));

                assertThat(update.getString("operationType").getValue()).isEqualTo("update");
                assertThat(update.getDocument("documentKey")).isEqualTo(BsonDocument.parse("{_id: 7}"));
                BsonDocument description = update.getDocument("updateDescription").clone();
                description.remove("disambiguatedPaths");
                assertThat(description).isEqualTo(BsonDocument.parse(
                        "{updatedFields: {}, removedFields: [], truncatedArrays: [{field: 'array', newSize: 2}]}"));

                assertThat(types(deletes)).containsOnly("delete");
                assertThat(ids(deletes)).containsExactlyInAnyOrderElementsOf(range(n));
                assertThat(clusterTimeRuns(deletes)).isEqualTo(release.batchedDeletes()
                        ? runs(n, sandbox.options().batchedDeleteDocs()) : runs(n, 1));
                assertDistinctAscendingTokens(all);
            }
        }
    }

    /**
     * {@code db.createCollection('weather', {timeseries: ...})}: listed with type "timeseries",
     * measurements readable, and {@code db.weather.watch()} refused as 6.0–8.0 refuse it (a
     * time-series collection is a view on its buckets: code 166 CommandNotSupportedOnView, "Cannot
     * run aggregation on timeseries with namespace"; notes §8); the deployment-wide stream shows
     * no event for the measurements (they are written to system.buckets.weather, which change
     * streams leave out).
     */
    @Test
    void aTimeSeriesCollectionWorksAndRefusesAChangeStream() throws Exception {
        String script = String.join("\n",
                "const shop = db.getSiblingDB('shop');",
                "print('ready'); waitFor('start');",
                "shop.createCollection('weather', {timeseries: {timeField: 't', metaField: 'station'}});",
                "const base = new Date('2024-05-01T00:00:00Z').getTime();",
                "const docs = []; for (let i = 0; i < 20; i++) docs.push({t: new Date(base + i * 60000), station: 'a', temp: i});",
                "shop.weather.insertMany(docs);",
                "const info = shop.getCollectionInfos({name: 'weather'})[0];",
                "facts('info', {type: info.type, timeField: info.options.timeseries.timeField,",
                "  metaField: info.options.timeseries.metaField, count: shop.weather.countDocuments({}),",
                "  warm: shop.weather.find({temp: {$gte: 15}}).toArray().length});",
                "let refusal = null;",
                "try { const cs = shop.weather.watch(); cs.tryNext(); refusal = {opened: true}; }",
                "catch (e) { refusal = {code: e.code, codeName: e.codeName, message: e.message}; }",
                "facts('refusal', refusal);",
                "");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri());
             ClientProcess shell = run(sandbox, script)) {
            shell.await("ready");
            try (ChangeEvents events = new ChangeEvents(client)) {
                say(client, "start");
                Document info = Document.parse(shell.await("info"));
                Document refusal = Document.parse(shell.await("refusal"));
                shell.finish();
                assertThat(info).isEqualTo(Document.parse(
                        "{type: 'timeseries', timeField: 't', metaField: 'station', count: 20, warm: 5}"));
                assertThat(refusal.getInteger("code")).as(refusal.toJson()).isEqualTo(166);
                assertThat(refusal.getString("codeName")).isEqualTo("CommandNotSupportedOnView");
                assertThat(refusal.getString("message")).contains("Cannot run aggregation on timeseries with namespace shop.weather");
                assertThat(events.upToNow().stream().filter(e -> e.containsKey("ns")
                        && e.getDocument("ns").getString("db").getValue().equals("shop")).toList())
                        .as("no event of the time-series collection on a stream without showExpandedEvents").isEmpty();
            }
        }
    }

    /**
     * The accident of writing a report back over its source: an aggregation whose {@code $out} names
     * the collection it reads. mongod replaces the collection through a temporary one (manual, "$out",
     * "Replace Existing Collection"): the deployment's stream shows the temporary collection's inserts
     * and then a rename over the target (jstests/change_streams/whole_db_metadata_notifications.js);
     * the collection keeps its indexes and holds only what the pipeline matched.
     */
    @Test
    void anOutOverItsOwnCollectionReplacesItThroughATemporaryCollection() throws Exception {
        String script = String.join("\n",
                "const shop = db.getSiblingDB('shop');",
                "shop.accounts.createIndex({email: 1}, {unique: true});",
                "for (let i = 0; i < 8; i++) shop.accounts.insertOne({_id: i, email: 'a' + i + '@x', plan: i < 2 ? 'premium' : 'free'});",
                "print('ready'); waitFor('start');",
                "shop.accounts.aggregate([{$match: {plan: 'premium'}}, {$out: 'accounts'}]);",
                "facts('after', {count: shop.accounts.countDocuments({}), collections: shop.getCollectionNames(),",
                "  indexes: shop.accounts.getIndexes().map(i => i.name)});",
                "");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri());
             ClientProcess shell = run(sandbox, script)) {
            shell.await("ready");
            try (ChangeEvents events = new ChangeEvents(client)) {
                say(client, "start");
                Document after = Document.parse(shell.await("after"));
                shell.finish();
                assertThat(after).isEqualTo(Document.parse("{count: 2, collections: ['accounts'], indexes: ['_id_', 'email_1']}"));
                List<BsonDocument> seen = events.upToNow().stream()
                        .filter(e -> e.getDocument("ns").getString("db").getValue().equals("shop")).toList();
                assertThat(types(seen)).containsExactly("insert", "insert", "rename");
                String temp = seen.get(0).getDocument("ns").getString("coll").getValue();
                assertThat(temp).startsWith("tmp.agg_out.");
                assertThat(seen.get(2).getDocument("ns").getString("coll").getValue()).isEqualTo(temp);
                assertThat(seen.get(2).getDocument("to")).isEqualTo(BsonDocument.parse("{db: 'shop', coll: 'accounts'}"));
            }
        }
    }

    /**
     * mongosh's {@code db.c.stats()}, {@code dataSize()} and {@code totalIndexSize()} run
     * {@code $collStats} (MongoDB manual, "$collStats", storageStats: size is "the total uncompressed
     * size in memory of all records"); a view has no storage stats (166).
     */
    @Test
    void mongoshShowsACollectionsStats() throws Exception {
        String script = String.join("\n",
                "const shop = db.getSiblingDB('shop');",
                "shop.accounts.createIndex({email: 1}, {unique: true});",
                "for (let i = 0; i < 30; i++) shop.accounts.insertOne({_id: i, email: 'a' + i + '@x', note: 'n'.repeat(i)});",
                "shop.createView('premium', 'accounts', [{$match: {_id: {$lt: 3}}}]);",
                "const s = shop.accounts.stats();",
                "let view = 'none'; try { shop.premium.stats(); } catch (e) { view = e.code; }",
                "facts('stats', {count: s.count, size: s.size, nindexes: s.nindexes, indexes: Object.keys(s.indexSizes),",
                "  dataSize: shop.accounts.dataSize(), indexSize: shop.accounts.totalIndexSize(), sum: s.indexSizes._id_ + s.indexSizes.email_1,",
                "  kb: shop.accounts.stats({scale: 1024}).size, view: view});",
                "");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri());
             ClientProcess shell = run(sandbox, script)) {
            Document stats = Document.parse(shell.await("stats"));
            shell.finish();
            long bytes = 0;
            for (org.bson.RawBsonDocument d : client.getDatabase("shop").getCollection("accounts", org.bson.RawBsonDocument.class).find()) {
                bytes += d.getByteBuffer().remaining();
            }
            assertThat(((Number) stats.get("count")).longValue()).isEqualTo(30);
            assertThat(((Number) stats.get("size")).longValue()).as("the documents' BSON size").isEqualTo(bytes);
            assertThat(((Number) stats.get("dataSize")).longValue()).isEqualTo(bytes);
            assertThat(((Number) stats.get("kb")).doubleValue()).isEqualTo(bytes / 1024.0, org.assertj.core.data.Offset.offset(1.0));
            assertThat(stats.get("nindexes")).isEqualTo(2);
            assertThat(stats.getList("indexes", String.class)).containsExactly("_id_", "email_1");
            assertThat(((Number) stats.get("indexSize")).longValue()).isPositive()
                    .isEqualTo(((Number) stats.get("sum")).longValue());
            assertThat(stats.get("view")).isEqualTo(166);
        }
    }

    /**
     * What an on-call engineer types to find and stop a runaway write: {@code db.currentOp()} with the
     * filter a mass-delete alert gives ({@code {ns, op: 'remove'}}, DetectorTest), {@code db.currentOp(true)} (idle connections too), {@code
     * db.killOp(opid)} (manual, "db.currentOp()", "db.killOp()": mongosh runs the {@code currentOp}
     * and {@code killOp} commands on admin). The write stops with Interrupted (11601) and leaves the
     * data as it was.
     */
    @Test
    void mongoshFindsARunningWriteAndKillsIt() throws Exception {
        String script = String.join("\n",
                "let op = null;",
                "for (let i = 0; i < 500 && !op; i++) { op = db.currentOp({ns: 'shop.accounts', op: 'remove'}).inprog[0]; if (!op) sleep(20); }",
                "const all = db.currentOp(true).inprog;",
                "facts('found', {opid: op.opid, op: op.op, ns: op.ns, appName: op.appName, filter: op.command.deletes[0].q,",
                "  idleHolder: all.some(o => o.appName === 'holder' && o.active === false),",
                "  mine: db.currentOp().inprog.some(o => o.appName && o.appName.startsWith('mongosh'))});",
                "facts('kill', db.killOp(op.opid));",
                "");
        try (Sandbox sandbox = Sandbox.inMemory();
             MongoClient holder = MongoClients.create(com.mongodb.MongoClientSettings.builder()
                     .applyConnectionString(new com.mongodb.ConnectionString(sandbox.uri())).applicationName("holder").build());
             MongoClient cleanup = MongoClients.create(com.mongodb.MongoClientSettings.builder()
                     .applyConnectionString(new com.mongodb.ConnectionString(sandbox.uri())).applicationName("cleanup-script").build());
             com.mongodb.client.ClientSession session = holder.startSession()) {
            var accounts = holder.getDatabase("shop").getCollection("accounts");
            accounts.insertMany(List.of(new Document("_id", 1).append("plan", "free"), new Document("_id", 2).append("plan", "free")));
            session.startTransaction();
            accounts.insertOne(session, new Document("_id", 3).append("plan", "pro"));
            var delete = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    cleanup.getDatabase("shop").getCollection("accounts").deleteMany(new Document("plan", "free")));
            try (ClientProcess shell = run(sandbox, script)) {
                Document found = Document.parse(shell.await("found"));
                Document kill = Document.parse(shell.await("kill"));
                shell.finish();
                assertThat(found.getString("appName")).as("the filter a mass-delete alert gives finds the client")
                        .isEqualTo("cleanup-script");
                assertThat(found.getString("op")).isEqualTo("remove");
                assertThat(found.getString("ns")).isEqualTo("shop.accounts");
                assertThat(found.get("filter", Document.class)).isEqualTo(new Document("plan", "free"));
                assertThat(found.getBoolean("idleHolder")).isTrue();
                assertThat(found.getBoolean("mine")).as("db.currentOp() lists the shell's own command").isTrue();
                assertThat(kill.getString("info")).isEqualTo("attempting to kill op");
            }
            var e = org.assertj.core.api.Assertions.catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                    () -> delete.get(60, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(((com.mongodb.MongoCommandException) e.getCause()).getErrorCode()).isEqualTo(11601);
            session.commitTransaction();
            assertThat(accounts.countDocuments()).as("nothing deleted").isEqualTo(3);
        }
    }

    /** mongosh's own change stream ({@code db.c.watch()} and tryNext, as people try it): inserts and updates reach it. */
    @Test
    void mongoshReadsAChangeStream() throws Exception {
        String script = String.join("\n",
                "const c = db.getSiblingDB('shop').orders;",
                "const cs = c.watch([], {fullDocument: 'updateLookup'});",
                "c.insertOne({_id: 1, n: 1});",
                "c.updateOne({_id: 1}, {$set: {n: 2}});",
                "const seen = [];",
                "for (let i = 0; i < 400 && seen.length < 2; i++) { const e = cs.tryNext(); if (e) seen.push(e); else sleep(25); }",
                "cs.close();",
                "facts('seen', {events: seen.map(e => ({type: e.operationType, doc: e.fullDocument, ns: e.ns}))});",
                "");
        try (Sandbox sandbox = Sandbox.inMemory(); ClientProcess shell = run(sandbox, script)) {
            Document seen = Document.parse(shell.await("seen"));
            shell.finish();
            assertThat(seen).isEqualTo(Document.parse("{events: ["
                    + "{type: 'insert', doc: {_id: 1, n: 1}, ns: {db: 'shop', coll: 'orders'}},"
                    + "{type: 'update', doc: {_id: 1, n: 2}, ns: {db: 'shop', coll: 'orders'}}]}"));
        }
    }
}
