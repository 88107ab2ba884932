package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.connection.ClusterType;
import com.mongodb.connection.ServerType;
import com.mongodb.client.ClientSession;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sandbox is a single-node replica set primary (notes §5).
 * Sources: https://www.mongodb.com/docs/v7.0/reference/command/hello/ (fields of a primary's reply,
 * logicalSessionTimeoutMinutes 30, maxBsonObjectSize, maxMessageSizeBytes 48000000, maxWriteBatchSize
 * 100000); isMaster answers {@code ismaster} instead of {@code isWritablePrimary}; maxWireVersion per
 * release from mongo-java-driver driver-core/.../internal/operation/ServerVersionHelper.java
 * (SIX_DOT_ZERO 17, SEVEN_DOT_ZERO 21, EIGHT_DOT_ZERO 25).
 */
class HelloTest {

    static int wireVersion(MongoRelease release) {
        return switch (release) {
            case V6_0 -> 17;
            case V7_0 -> 21;
            case V8_0 -> 25;
        };
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void helloAnswersAsAReplicaSetPrimary(MongoRelease release) {
        try (Server s = Server.start(release)) {
            Document hello = s.run("admin", "{hello: 1}");
            String me = hello.getString("me");
            assertThat(hello.getString("setName")).isEqualTo("rs0");
            assertThat(hello.getBoolean("isWritablePrimary")).isTrue();
            assertThat(hello.getBoolean("secondary")).isFalse();
            assertThat(hello.getString("primary")).isEqualTo(me);
            assertThat(hello.getList("hosts", String.class)).containsExactly(me);
            assertThat(hello.get("logicalSessionTimeoutMinutes")).isEqualTo(30);
            assertThat(hello.get("minWireVersion")).isEqualTo(0);
            assertThat(hello.get("maxWireVersion")).isEqualTo(wireVersion(release));
            assertThat(hello.get("maxBsonObjectSize")).isEqualTo(16 * 1024 * 1024);
            assertThat(hello.get("maxMessageSizeBytes")).isEqualTo(48_000_000);
            assertThat(hello.get("maxWriteBatchSize")).isEqualTo(100_000);
            assertThat(hello.get("lastWrite", Document.class).get("opTime", Document.class).get("ts"))
                    .isInstanceOf(org.bson.BsonTimestamp.class);
            assertThat(hello).doesNotContainKey("ismaster");
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void legacyIsMasterSaysIsmaster(MongoRelease release) {
        try (Server s = Server.start(release)) {
            for (String command : List.of("{isMaster: 1}", "{ismaster: 1}")) {
                Document reply = s.run("admin", command);
                assertThat(reply.getBoolean("ismaster")).as(command).isTrue();
                assertThat(reply).as(command).doesNotContainKey("isWritablePrimary");
                assertThat(reply.getString("setName")).isEqualTo("rs0");
                assertThat(reply.get("maxWireVersion")).isEqualTo(wireVersion(release));
                assertThat(reply.get("logicalSessionTimeoutMinutes")).isEqualTo(30);
            }
        }
    }

    /** Every reply of a replica-set member carries operationTime and $clusterTime (notes §5 example reply). */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void repliesCarryOperationTimeAndClusterTime(MongoRelease release) {
        try (Server s = Server.start(release)) {
            BsonDocument before = s.runRaw("admin", new BsonDocument("ping", new BsonInt32(1)));
            s.coll("t", "c").insertOne(new Document("_id", 1));
            BsonDocument after = s.runRaw("t", BsonDocument.parse("{find: 'c', filter: {}}"));
            for (BsonDocument reply : List.of(before, after)) {
                assertThat(reply.isTimestamp("operationTime")).as(reply.toJson()).isTrue();
                BsonDocument clusterTime = reply.getDocument("$clusterTime");
                assertThat(clusterTime.isTimestamp("clusterTime")).isTrue();
                assertThat(clusterTime.getDocument("signature").isBinary("hash")).isTrue();
                assertThat(clusterTime.getDocument("signature").isInt64("keyId")).isTrue();
            }
            BsonTimestamp t0 = before.getTimestamp("operationTime");
            BsonTimestamp t1 = after.getTimestamp("operationTime");
            assertThat(t1).as("the insert moved the cluster time on").isGreaterThan(t0);
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void errorRepliesCarryTheClusterTimeToo(MongoRelease release) {
        try (Server s = Server.start(release)) {
            var e = s.fails("t", "{noSuchCommand: 1}");
            assertThat(e.getResponse().isTimestamp("operationTime")).as(e.getResponse().toJson()).isTrue();
            assertThat(e.getResponse().isDocument("$clusterTime")).isTrue();
        }
    }

    /** The driver discovers a replica set with a primary, and logical sessions are supported. */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void theDriverSeesAReplicaSetWithSessions(MongoRelease release) {
        try (Server s = Server.startNamingTheSet(SandboxOptions.defaults().release(release))) {
            s.run("admin", "{ping: 1}");
            var cluster = s.client.getClusterDescription();
            assertThat(cluster.getType()).isEqualTo(ClusterType.REPLICA_SET);
            assertThat(cluster.getServerDescriptions()).hasSize(1);
            assertThat(cluster.getServerDescriptions().get(0).getType()).isEqualTo(ServerType.REPLICA_SET_PRIMARY);
            assertThat(cluster.getServerDescriptions().get(0).getMaxWireVersion()).isEqualTo(wireVersion(release));
            assertThat(cluster.getLogicalSessionTimeoutMinutes()).isEqualTo(30);
            try (ClientSession session = s.client.startSession()) {
                var coll = s.coll("t", "c");
                coll.insertOne(session, new Document("_id", 1));
                assertThat(coll.find(session, new Document("_id", 1)).first()).isNotNull();
                assertThat(session.getOperationTime()).as("the session learns the operation time").isNotNull();
                assertThat(session.getClusterTime()).isNotNull();
            }
        }
    }
}
