package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica set's id: {@code settings.replicaSetId} of {@code replSetGetConfig} is "the ObjectId
 * associated with the replica set and automatically created during rs.initiate() or
 * replSetInitiate. You cannot modify the replicaSetId." (MongoDB manual, "Replica Set Configuration",
 * https://www.mongodb.com/docs/manual/reference/replica-configuration/#mongodb-rsconf-rsconf.settings.replicaSetId).
 * So it stays the same across a restart (mongod keeps the config in local.system.replset) and differs
 * between two sets, whatever their names.
 */
class ReplicaSetIdentityTest {
    @TempDir
    Path dir;

    private static ObjectId replicaSetId(Server s) {
        Document config = s.client.getDatabase("admin").runCommand(new Document("replSetGetConfig", 1)).get("config", Document.class);
        return config.get("settings", Document.class).getObjectId("replicaSetId");
    }

    @Test
    void theReplicaSetIdOutlivesARestartOfAFileBackedServer() {
        ObjectId first;
        try (Server s = Server.on(Sandbox.start("127.0.0.1", 0, dir))) {
            first = replicaSetId(s);
            assertThat(replicaSetId(s)).isEqualTo(first);
        }
        try (Server s = Server.on(Sandbox.start("127.0.0.1", 0, dir))) {
            assertThat(replicaSetId(s)).isEqualTo(first);
        }
    }

    @Test
    void twoSetsOfTheSameNameHaveDifferentIds() {
        try (Server a = Server.start(SandboxOptions.defaults()); Server b = Server.start(SandboxOptions.defaults())) {
            assertThat(a.client.getDatabase("admin").runCommand(new Document("hello", 1)).getString("setName"))
                    .isEqualTo(b.client.getDatabase("admin").runCommand(new Document("hello", 1)).getString("setName"));
            assertThat(replicaSetId(a)).isNotEqualTo(replicaSetId(b));
        }
    }
}
