package dev.rewind.sandbox.clients;

import static dev.rewind.sandbox.clients.ChangeEvents.clusterTime;
import static dev.rewind.sandbox.clients.ChangeEvents.of;
import static dev.rewind.sandbox.clients.ChangeEvents.token;
import static dev.rewind.sandbox.clients.ChangeEvents.types;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * pymongo's transactions ({@code with client.start_session() as s: with s.start_transaction():})
 * against the sandbox, the events read back with the Java driver. What a real server does (notes
 * §3.2, change_stream_event_transform.cpp and the unwind-transaction stage; manual, Change Events:
 * "lsid ... Only present if the operation is part of a multi-document transaction"): nothing of a
 * transaction is visible before it commits; at commit all its events appear together, each with the
 * session's {@code lsid} and the {@code txnNumber}, all with the commit entry's cluster time (also
 * when the transaction spans several applyOps entries), told apart by their resume tokens; an
 * aborted transaction leaves neither events nor data.
 */
class PymongoTransactionTest {
    private static final String CONNECT = String.join("\n",
            "import sys, json, pymongo",
            "client = pymongo.MongoClient(sys.argv[1])",
            "orders = client.shop.orders",
            "def wait():",
            "    sys.stdin.readline()",
            "def session_ids(s):",
            "    return {'lsid': s.session_id['id'].hex(), 'txnNumber': int(s._server_session.transaction_id)}",
            "");

    @TempDir
    Path tmp;

    @BeforeEach
    void needsPymongo() {
        ClientProcess.assumePython("pymongo", "python3-pymongo");
    }

    private static Sandbox sandbox(MongoRelease release, int opsPerEntry) {
        // no idle no-op entries: the commit's operationTime is then the newest entry's time
        return Sandbox.start(SandboxOptions.defaults().release(release).noopInterval(Duration.ofHours(1))
                .transactionOpsPerEntry(opsPerEntry));
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aCommittedTransactionIsPublishedWholeAtItsCommitTime(MongoRelease release) throws Exception {
        String script = CONNECT + String.join("\n",
                "orders.insert_many([{'_id': 'kept', 'n': 0}, {'_id': 'gone', 'n': 0}])",
                "print('ready'); wait()",
                "with client.start_session() as s:",
                "    with s.start_transaction():",
                "        orders.insert_one({'_id': 'a', 'n': 1}, session=s)",
                "        orders.insert_many([{'_id': 'b', 'n': 2}, {'_id': 'c', 'n': 3}], session=s)",
                "        orders.update_one({'_id': 'kept'}, {'$set': {'n': 5}}, session=s)",
                "        orders.replace_one({'_id': 'a'}, {'n': 10}, session=s)",
                "        orders.delete_one({'_id': 'gone'}, session=s)",
                "        print('inside', sorted(d['_id'] for d in orders.find({}, session=s)))",
                "        ids = session_ids(s)",
                "        print('staged'); wait()",
                "    t = s.operation_time",
                "    ids.update({'t': t.time, 'i': t.inc})",
                "    print('committed', json.dumps(ids))",
                "");
        try (Sandbox sandbox = sandbox(release, 1000); MongoClient client = MongoClients.create(sandbox.uri());
             ClientProcess python = ClientProcess.python(tmp, script, sandbox.uri())) {
            python.await("ready");
            try (ChangeEvents events = new ChangeEvents(client)) {
                python.send("go");
                assertThat(python.await("inside")).as("the transaction reads its own writes")
                        .isEqualTo("['a', 'b', 'c', 'kept']");
                python.await("staged");
                assertThat(of(events.upToNow(), "shop", "orders")).as("events of a transaction not yet committed").isEmpty();

                python.send("commit");
                Document committed = Document.parse(python.await("committed"));
                python.finish();

                List<BsonDocument> txn = of(events.upToNow(), "shop", "orders");
                assertThat(types(txn)).containsExactly("insert", "insert", "insert", "update", "replace", "delete");
                BsonTimestamp commitTime = new BsonTimestamp(committed.getInteger("t"), committed.getInteger("i"));
                assertThat(txn).allSatisfy(e -> {
                    assertThat(clusterTime(e)).as("clusterTime = the commit's operationTime").isEqualTo(commitTime);
                    assertThat(ChangeEvents.lsid(e))
                            .isEqualTo(committed.getString("lsid"));
                    assertThat(ChangeEvents.txnNumber(e)).isEqualTo(committed.getInteger("txnNumber").longValue());
                    assertThat(e.containsKey("wallTime")).isTrue();
                });
                assertDistinctAscendingTokens(txn);
                assertThat(txn.stream().map(e -> e.getDocument("documentKey").getString("_id").getValue()).toList())
                        .containsExactly("a", "b", "c", "kept", "a", "gone");
                assertThat(txn.get(3).getDocument("updateDescription").getDocument("updatedFields"))
                        .isEqualTo(BsonDocument.parse("{n: 5}"));
                assertThat(txn.get(4).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 'a', n: 10}"));
                assertThat(txn.get(5).containsKey("fullDocument")).as("a delete has no fullDocument").isFalse();
            }
            assertThat(all(client.getDatabase("shop").getCollection("orders"))).containsExactly(
                    Document.parse("{_id: 'a', n: 10}"), Document.parse("{_id: 'b', n: 2}"),
                    Document.parse("{_id: 'c', n: 3}"), Document.parse("{_id: 'kept', n: 5}"));
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void anAbortedTransactionLeavesNoEventsAndNoData(MongoRelease release) throws Exception {
        String script = CONNECT + String.join("\n",
                "orders.insert_many([{'_id': 'kept', 'n': 0}, {'_id': 'gone', 'n': 0}])",
                "print('ready'); wait()",
                "with client.start_session() as s:",
                "    try:",
                "        with s.start_transaction():",
                "            orders.insert_one({'_id': 'new', 'n': 1}, session=s)",
                "            orders.update_one({'_id': 'kept'}, {'$set': {'n': 99}}, session=s)",
                "            orders.delete_one({'_id': 'gone'}, session=s)",
                "            raise RuntimeError('changed my mind')",
                "    except RuntimeError as e:",
                "        print('aborted', e)",
                "    print('in_transaction', s.in_transaction)",
                "    print('count', orders.count_documents({}))",
                "    print('checked'); wait()",
                "    with s.start_transaction():",   // the same session goes on with a new transaction
                "        orders.insert_one({'_id': 'later', 'n': 2}, session=s)",
                "        ids = session_ids(s)",
                "    print('committed', json.dumps(ids))",
                "");
        try (Sandbox sandbox = sandbox(release, 1000); MongoClient client = MongoClients.create(sandbox.uri());
             ClientProcess python = ClientProcess.python(tmp, script, sandbox.uri())) {
            python.await("ready");
            try (ChangeEvents events = new ChangeEvents(client)) {
                python.send("go");
                assertThat(python.await("aborted")).isEqualTo("changed my mind");
                assertThat(python.await("in_transaction")).isEqualTo("False");
                assertThat(python.await("count")).isEqualTo("2");
                python.await("checked");
                assertThat(of(events.upToNow(), "shop", "orders")).as("events of an aborted transaction").isEmpty();
                assertThat(all(client.getDatabase("shop").getCollection("orders"))).as("data after the abort")
                        .containsExactly(Document.parse("{_id: 'gone', n: 0}"), Document.parse("{_id: 'kept', n: 0}"));

                python.send("go on");
                Document committed = Document.parse(python.await("committed"));
                python.finish();
                List<BsonDocument> later = of(events.upToNow(), "shop", "orders");
                assertThat(types(later)).containsExactly("insert");
                assertThat(later.get(0).getDocument("documentKey")).isEqualTo(BsonDocument.parse("{_id: 'later'}"));
                assertThat(ChangeEvents.txnNumber(later.get(0))).isEqualTo(committed.getInteger("txnNumber").longValue());
                assertThat(ChangeEvents.lsid(later.get(0)))
                        .isEqualTo(committed.getString("lsid"));
            }
            assertThat(all(client.getDatabase("shop").getCollection("orders"))).containsExactly(
                    Document.parse("{_id: 'gone', n: 0}"), Document.parse("{_id: 'kept', n: 0}"),
                    Document.parse("{_id: 'later', n: 2}"));
        }
    }

    /**
     * {@code delete_many} inside a transaction is not a batched delete (mongod batches only outside
     * transactions, notes §4): its deletes are part of the transaction, and however many applyOps
     * entries the transaction takes (here 50 operations to an entry), all of its events carry the
     * commit's cluster time, the lsid and the txnNumber.
     */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aDeleteManyInsideALargeTransactionIsOneUnit(MongoRelease release) throws Exception {
        int n = 600;
        String script = CONNECT + String.join("\n",
                "orders.insert_many([{'_id': i, 'n': i} for i in range(" + n + ")])",
                "print('ready'); wait()",
                "with client.start_session() as s:",
                "    with s.start_transaction():",
                "        print('deleted', orders.delete_many({}, session=s).deleted_count)",
                "        orders.insert_one({'_id': 'after', 'n': -1}, session=s)",
                "        ids = session_ids(s)",
                "        print('staged'); wait()",
                "    print('committed', json.dumps(ids))",
                "");
        try (Sandbox sandbox = sandbox(release, 50); MongoClient client = MongoClients.create(sandbox.uri());
             ClientProcess python = ClientProcess.python(tmp, script, sandbox.uri())) {
            python.await("ready");
            try (ChangeEvents events = new ChangeEvents(client)) {
                python.send("go");
                assertThat(python.await("deleted")).isEqualTo(String.valueOf(n));
                python.await("staged");
                assertThat(of(events.upToNow(), "shop", "orders")).as("events before the commit").isEmpty();
                python.send("commit");
                Document committed = Document.parse(python.await("committed"));
                python.finish();

                List<BsonDocument> txn = of(events.upToNow(), "shop", "orders");
                assertThat(txn).hasSize(n + 1);
                assertThat(types(txn.subList(0, n))).containsOnly("delete");
                assertThat(txn.subList(0, n).stream().map(e -> e.getDocument("documentKey").getInt32("_id").getValue()))
                        .containsExactlyInAnyOrderElementsOf(range(n));
                assertThat(types(txn.subList(n, n + 1))).containsExactly("insert");
                assertThat(ChangeEvents.clusterTimeRuns(txn)).as("one cluster time for the whole transaction")
                        .containsExactly(n + 1);
                assertThat(txn).allSatisfy(e -> {
                    assertThat(ChangeEvents.txnNumber(e)).isEqualTo(committed.getInteger("txnNumber").longValue());
                    assertThat(ChangeEvents.lsid(e))
                            .isEqualTo(committed.getString("lsid"));
                });
                assertDistinctAscendingTokens(txn);
            }
            assertThat(all(client.getDatabase("shop").getCollection("orders")))
                    .containsExactly(Document.parse("{_id: 'after', n: -1}"));
        }
    }

    static void assertDistinctAscendingTokens(List<BsonDocument> events) {
        List<String> tokens = events.stream().map(ChangeEvents::token).toList();
        assertThat(tokens).doesNotHaveDuplicates();
        assertThat(tokens).as("resume tokens ascend in stream order").isSorted();
    }

    static List<Integer> range(int n) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(i);
        }
        return ids;
    }

    static List<Document> all(MongoCollection<Document> collection) {
        return collection.find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }
}
