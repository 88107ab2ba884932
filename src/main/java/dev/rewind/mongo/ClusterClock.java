package dev.rewind.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.rewind.event.ClusterTime;
import org.bson.BsonTimestamp;
import org.bson.Document;

/**
 * Reads the server's current cluster time: the position a snapshot records before and after its
 * scan. A replica set or mongos reports it with every reply ({@code operationTime},
 * {@code $clusterTime}); the embedded sandbox does not, so the newest oplog entry stands in. A
 * standalone server without an oplog has no cluster time: null. The newest entry is found by
 * sorting on {@code ts}, not on {@code $natural}: the sandbox's file-backed (H2) store does not
 * return its oplog in insertion order, so the last in natural order is some older entry. As the
 * sandbox runs on this machine and stamps its entries with the wall clock, the last whole second
 * before now stands in when it is later than the newest entry (an idle sandbox's time moves on).
 */
public final class ClusterClock {
    private final MongoClient client;

    public ClusterClock(MongoClient client) {
        this.client = client;
    }

    public ClusterTime now() {
        try {
            Document reply = client.getDatabase("admin").runCommand(new Document("isMaster", 1));
            Object op = reply.get("operationTime");
            if (op instanceof BsonTimestamp ts) {
                return ClusterTime.fromBson(ts);
            }
            if (reply.get("$clusterTime") instanceof Document ct && ct.get("clusterTime") instanceof BsonTimestamp ts) {
                return ClusterTime.fromBson(ts);
            }
        } catch (RuntimeException e) {
            // fall through to the oplog
        }
        try {
            MongoCollection<Document> oplog = client.getDatabase("local").getCollection("oplog.rs");
            Document last = oplog.find().sort(new Document("ts", -1)).projection(new Document("ts", 1))
                    .batchSize(1).limit(1).first();
            if (last != null && last.get("ts") instanceof BsonTimestamp ts) {
                // The newest entry does not move while nothing is written, so an idle capture would
                // never seal. The sandbox stamps entries with its wall clock, so every entry of an
                // earlier second is already written: the last second before now is known too.
                ClusterTime newest = ClusterTime.fromBson(ts);
                ClusterTime settled = ClusterTime.of(java.time.Instant.now().getEpochSecond() - 1, 0);
                return settled.isAfter(newest) ? settled : newest;
            }
            if (last == null && client.getDatabase("local").listCollectionNames().into(new java.util.ArrayList<>())
                    .contains("oplog.rs")) {
                // an oplog without entries: nothing has happened yet, so any time up to now is exact
                return ClusterTime.of(java.time.Instant.now().getEpochSecond() - 1, 0);
            }
        } catch (RuntimeException e) {
            // no oplog we may read
        }
        return null;
    }
}
