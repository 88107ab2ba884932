package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import dev.rewind.sandbox.SandboxOptions;
import dev.rewind.sandbox.oplog.Oplog;
import dev.rewind.sandbox.oplog.OplogEntry;
import dev.rewind.sandbox.server.Connection;
import java.time.Instant;
import java.util.List;

/**
 * What a single-node replica set primary says of itself: {@code hello} (and the legacy
 * {@code isMaster}), {@code buildInfo}, {@code replSetGetStatus}, {@code replSetGetConfig},
 * {@code getParameter}. The
 * addresses are the one the client connected to, so a client that found the server by any name
 * sees a consistent replica set. {@code topologyVersion} is left out on purpose: drivers then poll
 * instead of using the streaming protocol, which the wire layer does not speak.
 */
final class Hello {
    private static final int MAX_BSON = 16 * 1024 * 1024;
    private final SandboxOptions options;
    private final Oplog oplog;
    private final ObjectId electionId = new ObjectId("7fffffff0000000000000001");
    private final ObjectId replicaSetId;
    private final Instant started = Instant.now();

    /** {@code replicaSetId}: the id {@code rs.initiate()} gave the set, kept across restarts with the data. */
    Hello(SandboxOptions options, Oplog oplog, ObjectId replicaSetId) {
        this.options = options;
        this.oplog = oplog;
        this.replicaSetId = replicaSetId;
    }

    Document hello(Connection connection, boolean legacy, Document cmd) {
        String me = connection.me();
        Document d = new Document();
        if (legacy && Boolean.TRUE.equals(cmd.get("helloOk"))) {
            d.put("helloOk", true);
        }
        d.put("hosts", List.of(me));
        d.put("setName", options.replSetName());
        d.put("setVersion", 1);
        d.put(legacy ? "ismaster" : "isWritablePrimary", true);
        d.put("secondary", false);
        d.put("primary", me);
        d.put("me", me);
        d.put("electionId", electionId);
        OplogEntry last = oplog.newest();
        BsonTimestamp ts = last == null ? new BsonTimestamp(0) : last.ts();
        Instant when = last == null ? started : last.wall();
        Document opTime = new Document("ts", ts).append("t", 1L);
        d.put("lastWrite", new Document("opTime", opTime).append("lastWriteDate", when)
                .append("majorityOpTime", new Document(opTime)).append("majorityWriteDate", when));
        d.put("maxBsonObjectSize", MAX_BSON);
        d.put("maxMessageSizeBytes", 48_000_000);
        d.put("maxWriteBatchSize", 100_000);
        d.put("localTime", Instant.now());
        d.put("logicalSessionTimeoutMinutes", 30);
        d.put("connectionId", (int) connection.id());
        d.put("minWireVersion", 0);
        d.put("maxWireVersion", options.release().wireVersion());
        d.put("readOnly", false);
        d.put("ok", 1.0);
        return d;
    }

    Document buildInfo() {
        return new Document("version", options.release().version())
                .append("gitVersion", "0000000000000000000000000000000000000000")
                .append("modules", List.of())
                .append("allocator", "system")
                .append("javascriptEngine", "none")
                .append("sysInfo", "deprecated")
                .append("versionArray", options.release().versionArray())
                .append("bits", 64)
                .append("debug", false)
                .append("maxBsonObjectSize", MAX_BSON)
                .append("storageEngines", List.of("rewind-sandbox"))
                .append("ok", 1.0);
    }

    Document replSetGetStatus(Connection connection) {
        OplogEntry last = oplog.newest();
        Document opTime = new Document("ts", last == null ? new BsonTimestamp(0) : last.ts()).append("t", 1L);
        Document member = new Document("_id", 0).append("name", connection.me()).append("health", 1.0)
                .append("state", 1).append("stateStr", "PRIMARY").append("uptime", (int) (Instant.now().getEpochSecond()
                        - started.getEpochSecond())).append("optime", opTime).append("self", true)
                .append("electionId", electionId);
        return new Document("set", options.replSetName()).append("date", Instant.now()).append("myState", 1)
                .append("term", 1L).append("heartbeatIntervalMillis", 2000L)
                .append("optimes", new Document("lastCommittedOpTime", opTime).append("appliedOpTime", opTime)
                        .append("durableOpTime", opTime))
                .append("members", List.of(member)).append("ok", 1.0);
    }

    /**
     * The replica set's configuration, as {@code rs.conf()} shows it (MongoDB manual,
     * "Replica Set Configuration"): one voting member of priority 1 at the address the client used.
     */
    Document replSetGetConfig(Connection connection) {
        Document member = new Document("_id", 0).append("host", connection.me()).append("arbiterOnly", false)
                .append("buildIndexes", true).append("hidden", false).append("priority", 1.0).append("tags", new Document())
                .append("secondaryDelaySecs", 0L).append("votes", 1);
        Document settings = new Document("chainingAllowed", true).append("heartbeatIntervalMillis", 2000)
                .append("heartbeatTimeoutSecs", 10).append("electionTimeoutMillis", 10000)
                .append("catchUpTimeoutMillis", -1).append("catchUpTakeoverDelayMillis", 30000)
                .append("getLastErrorModes", new Document())
                .append("getLastErrorDefaults", new Document("w", 1).append("wtimeout", 0))
                .append("replicaSetId", replicaSetId);
        Document config = new Document("_id", options.replSetName()).append("version", 1).append("term", 1)
                .append("members", List.of(member)).append("protocolVersion", 1L)
                .append("writeConcernMajorityJournalDefault", true).append("settings", settings);
        return new Document("config", config).append("ok", 1.0);
    }

    Document getParameter(Document cmd) {
        Document all = new Document("featureCompatibilityVersion", new Document("version", options.release().label()))
                .append("batchedDeletesTargetBatchDocs", options.batchedDeleteDocs())
                .append("batchUserMultiDeletes", options.release().batchedDeletes())
                .append("transactionLifetimeLimitSeconds", (int) options.transactionLifetime().toSeconds())
                .append("periodicNoopIntervalSecs", (int) Math.max(1, options.noopInterval().toSeconds()))
                .append("maxNumberOfTransactionOperationsInSingleOplogEntry", options.transactionOpsPerEntry());
        Document out = new Document();
        boolean star = "*".equals(cmd.get("getParameter"));
        for (var e : all.entrySet()) {
            if (star || cmd.containsKey(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        if (out.isEmpty()) {
            return new Document("ok", 0.0).append("errmsg", "no option found to get").append("code", 72)
                    .append("codeName", "InvalidOptions");
        }
        out.put("ok", 1.0);
        return out;
    }
}
