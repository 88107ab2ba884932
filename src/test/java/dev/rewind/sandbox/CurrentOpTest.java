package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code $currentOp}, the {@code currentOp} command and {@code killOp}, as mongod runs them.
 * Sources: manual "$currentOp (aggregation)" (options and their defaults: idleConnections false,
 * idleSessions true; must be the first stage, on admin with {aggregate: 1}), "currentOp" (output
 * fields: type, host, desc, connectionId, client, appName, clientMetadata, active, currentOpTime,
 * opid, lsid, secs_running, microsecs_running, op, ns, command, waitingForLock, killPending;
 * "idleSession" entries for open transactions), "killOp" (reply {info: "attempting to kill op"},
 * whether or not the op exists; the operation stops at its next interruption point with
 * Interrupted, 11601); mongod's document_source_current_op.cpp (option errors: FailedToParse 9,
 * TypeMismatch 14 for allUsers; InvalidNamespace 73 off admin), current_op_common.cpp (the
 * command is $currentOp with idleConnections: $all and truncateOps, then $match of its other
 * fields), jstests/aggregation/sources/currentop/currentop.js (40602 when not first); with
 * idleConnections, mongod's own threads are listed too, without a client (the TTL monitor's desc is
 * "TTLMonitor", after its thread's name in ttl.cpp).
 */
class CurrentOpTest {
    private static final String LONG_COMMENT = "cleanup of accounts, ticket 4711 ".repeat(40);

    private static MongoClient client(Sandbox sandbox, String appName) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(sandbox.uri()))
                .applicationName(appName).build());
    }

    private static List<Document> currentOp(MongoClient client, Document options) {
        return client.getDatabase("admin").aggregate(List.of(new Document("$currentOp", options))).into(new ArrayList<>());
    }

    private static Document opOf(List<Document> ops, String appName) {
        return ops.stream().filter(d -> appName.equals(d.get("appName")) && Boolean.TRUE.equals(d.get("active")))
                .findFirst().orElse(null);
    }

    @Test
    void listsWhatEachConnectionRunsAndKillOpStopsAWaitingWrite() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient holder = client(sandbox, "holder");
             MongoClient deleter = client(sandbox, "deleter"); MongoClient oncall = client(sandbox, "oncall");
             ClientSession session = holder.startSession()) {
            holder.getDatabase("app").getCollection("accounts").insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
            // a transaction holds app.accounts: a delete outside it waits for the data lock
            session.startTransaction();
            holder.getDatabase("app").getCollection("accounts").insertOne(session, new Document("_id", 3));
            CompletableFuture<Object> delete = CompletableFuture.supplyAsync(() ->
                    deleter.getDatabase("app").getCollection("accounts").deleteOne(new Document("_id", 1),
                            new com.mongodb.client.model.DeleteOptions().comment(LONG_COMMENT)));

            Document waiting = eventually(() -> opOf(currentOp(oncall, new Document()), "deleter"), Duration.ofSeconds(10));
            assertThat(waiting.getString("type")).isEqualTo("op");
            assertThat(waiting.getString("op")).isEqualTo("remove");
            assertThat(waiting.getString("ns")).isEqualTo("app.accounts");
            assertThat(waiting.get("command", Document.class).getString("delete")).isEqualTo("accounts");
            assertThat(waiting.get("command", Document.class).getString("$db")).as("the command as sent").isEqualTo("app");
            assertThat(waiting.getString("desc")).isEqualTo("conn" + waiting.getInteger("connectionId"));
            assertThat(waiting.getString("client")).startsWith("127.0.0.1:");
            assertThat(waiting.get("clientMetadata", Document.class).get("driver", Document.class).getString("name"))
                    .contains("mongo-java-driver");
            assertThat(waiting.get("opid")).isInstanceOf(Integer.class);
            assertThat(waiting.get("lsid", Document.class).keySet()).as("the driver's implicit session, with its user")
                    .containsExactly("id", "uid");
            assertThat(waiting.get("secs_running")).isInstanceOf(Long.class);
            assertThat(waiting.getLong("microsecs_running")).isPositive();
            assertThat(waiting.getString("currentOpTime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+00:00");
            eventually(() -> Boolean.TRUE.equals(opOf(currentOp(oncall, new Document()), "deleter").get("waitingForLock"))
                    ? true : null, Duration.ofSeconds(5));

            List<Document> active = currentOp(oncall, new Document());
            assertThat(active).as("idle connections only on request").noneMatch(d -> Boolean.FALSE.equals(d.get("active")) && "op".equals(d.get("type")));
            Document self = opOf(active, "oncall");
            assertThat(self.getString("op")).isEqualTo("command");
            assertThat(self.getString("ns")).isEqualTo("admin.$cmd.aggregate");
            Document idleSession = active.stream().filter(d -> "idleSession".equals(d.get("type"))).findFirst().orElseThrow();
            assertThat(idleSession.get("lsid", Document.class).get("id", org.bson.types.Binary.class).getData())
                    .isEqualTo(session.getServerSession().getIdentifier().getBinary("id").getData());
            assertThat(idleSession.get("transaction", Document.class).get("parameters", Document.class).get("txnNumber"))
                    .isEqualTo(session.getServerSession().getTransactionNumber());
            assertThat(currentOp(oncall, new Document("idleSessions", false))).noneMatch(d -> "idleSession".equals(d.get("type")));

            List<Document> all = currentOp(oncall, new Document("idleConnections", true));
            assertThat(all).anyMatch(d -> "holder".equals(d.get("appName")) && Boolean.FALSE.equals(d.get("active")));
            Document ttl = all.stream().filter(d -> "TTLMonitor".equals(d.get("desc"))).findFirst().orElseThrow();
            assertThat(ttl.keySet()).as("a system operation: no client").doesNotContain("client", "connectionId", "appName");
            assertThat(ttl.get("active")).isEqualTo(false);

            // the command: a filter on the output fields; $all adds the idle connections
            Document filtered = oncall.getDatabase("admin").runCommand(new Document("currentOp", 1).append("ns", "app.accounts"));
            assertThat(filtered.getList("inprog", Document.class)).extracting(d -> d.get("opid")).containsExactly(waiting.get("opid"));
            // the command truncates what passes 1,000 bytes of BSON, keeping the comment (curop.cpp,
            // appendAsObjOrString); the stage does not unless asked (truncateOps, default false)
            Document cut = filtered.getList("inprog", Document.class).get(0).get("command", Document.class);
            assertThat(cut.keySet()).containsExactly("$truncated", "comment");
            assertThat(cut.getString("$truncated")).hasSize(1000).endsWith("...");
            assertThat(cut.getString("comment")).isEqualTo(LONG_COMMENT);
            assertThat(waiting.get("command", Document.class).getString("comment")).as("in full").isEqualTo(LONG_COMMENT);
            Document small = oncall.getDatabase("admin").runCommand(new Document("currentOp", 1).append("appName", "oncall"))
                    .getList("inprog", Document.class).get(0).get("command", Document.class);
            assertThat(small.getInteger("currentOp")).as("a command under 1,000 bytes stays whole").isEqualTo(1);
            Document everything = oncall.getDatabase("admin").runCommand(new Document("currentOp", 1).append("$all", true));
            assertThat(everything.getList("inprog", Document.class)).anyMatch(d -> "holder".equals(d.get("appName")));

            Document killed = oncall.getDatabase("admin").runCommand(new Document("killOp", 1).append("op", waiting.get("opid")));
            assertThat(killed.getString("info")).isEqualTo("attempting to kill op");
            ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> delete.get(60, TimeUnit.SECONDS));
            assertThat(e.getCause()).isInstanceOf(MongoCommandException.class);
            assertThat(((MongoCommandException) e.getCause()).getErrorCode()).isEqualTo(11601);
            assertThat(opOf(currentOp(oncall, new Document()), "deleter")).as("gone once it stopped").isNull();
            session.commitTransaction();
            assertThat(oncall.getDatabase("app").getCollection("accounts").countDocuments()).as("the killed delete wrote nothing")
                    .isEqualTo(3);
            // an opid that runs nothing: the same reply, nothing happens
            assertThat(oncall.getDatabase("admin").runCommand(new Document("killOp", 1).append("op", 999_999)).getString("info"))
                    .isEqualTo("attempting to kill op");
        }
    }

    @Test
    void killOpStopsAChangeStreamGetMoreAndClosesItsCursor() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient watcher = client(sandbox, "watcher");
             MongoClient oncall = client(sandbox, "oncall")) {
            MongoDatabase app = watcher.getDatabase("app");
            app.createCollection("accounts");
            Document opened = app.runCommand(new Document("aggregate", "accounts")
                    .append("pipeline", List.of(new Document("$changeStream", new Document()))).append("cursor", new Document()));
            long id = opened.get("cursor", Document.class).getLong("id");
            Document getMore = new Document("getMore", id).append("collection", "accounts").append("maxTimeMS", 20_000);
            CompletableFuture<Document> waiting = CompletableFuture.supplyAsync(() -> app.runCommand(getMore));
            Document op = eventually(() -> opOf(currentOp(oncall, new Document()), "watcher"), Duration.ofSeconds(10));
            assertThat(op.getString("op")).isEqualTo("getmore");
            assertThat(op.getString("ns")).isEqualTo("app.accounts");
            oncall.getDatabase("admin").runCommand(new Document("killOp", 1).append("op", op.get("opid")));
            // not killed, it would end with an empty batch after its 20 s: the error is the kill's
            ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> waiting.get(60, TimeUnit.SECONDS));
            assertThat(((MongoCommandException) e.getCause()).getErrorCode()).isEqualTo(11601);
            MongoCommandException again = catchThrowableOfType(MongoCommandException.class, () -> app.runCommand(getMore));
            assertThat(again.getErrorCode()).as("the cursor is closed").isEqualTo(43);
        }
    }

    @Test
    void refusesWhatMongodRefuses() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = client(sandbox, "x")) {
            MongoDatabase admin = client.getDatabase("admin");
            assertThat(code(() -> admin.runCommand(new Document("aggregate", 1).append("pipeline",
                    List.of(new Document("$match", new Document()), new Document("$currentOp", new Document())))
                    .append("cursor", new Document())))).isEqualTo(40602);
            assertThat(code(() -> client.getDatabase("app").runCommand(new Document("aggregate", 1).append("pipeline",
                    List.of(new Document("$currentOp", new Document()))).append("cursor", new Document())))).isEqualTo(73);
            assertThat(code(() -> currentOp(client, new Document("verbose", true)))).isEqualTo(9);
            assertThat(code(() -> currentOp(client, new Document("idleConnections", 1)))).isEqualTo(9);
            assertThat(code(() -> currentOp(client, new Document("allUsers", "yes")))).isEqualTo(14);
            assertThat(code(() -> currentOp(client, new Document("idleCursors", true)))).isEqualTo(115);
            assertThat(code(() -> client.getDatabase("app").runCommand(new Document("currentOp", 1)))).isEqualTo(13);
            assertThat(code(() -> client.getDatabase("app").runCommand(new Document("killOp", 1).append("op", 1)))).isEqualTo(13);
            assertThat(code(() -> admin.runCommand(new Document("killOp", 1)))).isEqualTo(4);
            assertThat(code(() -> admin.runCommand(new Document("killOp", 1).append("op", "x")))).isEqualTo(14);
            // later stages run on its documents
            List<Document> mine = admin.aggregate(List.of(new Document("$currentOp", new Document()),
                    new Document("$match", new Document("appName", "x")), new Document("$project", new Document("op", 1).append("_id", 0))))
                    .into(new ArrayList<>());
            assertThat(mine).containsExactly(new Document("op", "command"));
        }
    }

    /** The first non-null value of {@code probe}, polled until {@code limit}. */
    private static <T> T eventually(java.util.function.Supplier<T> probe, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            assertThat(System.nanoTime()).as("waited " + limit).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static int code(Runnable r) {
        MongoCommandException e = catchThrowableOfType(MongoCommandException.class, r::run);
        assertThat(e).as("refused").isNotNull();
        return e.getErrorCode();
    }
}
