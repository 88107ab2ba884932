package dev.rewind.mongo;

import com.mongodb.client.MongoClient;
import dev.rewind.event.ClusterTime;
import org.bson.BsonTimestamp;
import org.bson.Document;

/**
 * Reads the server's current cluster time: the position a snapshot records before and after its
 * scan, and what capture's status compares its log with. A replica-set member or a mongos reports
 * it with every reply ({@code operationTime}, {@code $clusterTime}); a standalone server has none
 * (null).
 */
public final class ClusterClock {
    private final MongoClient client;

    public ClusterClock(MongoClient client) {
        this.client = client;
    }

    public ClusterTime now() {
        Document reply = client.getDatabase("admin").runCommand(new Document("isMaster", 1));
        Object op = reply.get("operationTime");
        if (op instanceof BsonTimestamp ts) {
            return ClusterTime.fromBson(ts);
        }
        if (reply.get("$clusterTime") instanceof Document ct && ct.get("clusterTime") instanceof BsonTimestamp ts) {
            return ClusterTime.fromBson(ts);
        }
        return null;
    }
}
