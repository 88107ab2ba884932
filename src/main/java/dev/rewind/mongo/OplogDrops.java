package dev.rewind.mongo;

import com.mongodb.client.MongoClient;
import dev.rewind.event.ClusterTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.BsonTimestamp;
import org.bson.Document;

/**
 * Names the collection a {@code drop} event is about when the event does not say: the embedded
 * sandbox sends drop events without {@code ns} to every collection stream of the database. The
 * oplog entry at the event's cluster time ({@code {op: "c", o: {drop: NAME}}}) says which one.
 * Real MongoDB always names it, so this is asked only for events without a namespace.
 */
public final class OplogDrops {
    private final MongoClient client;
    private final Map<ClusterTime, String> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ClusterTime, String> eldest) {
            return size() > 1000;
        }
    };

    public OplogDrops(MongoClient client) {
        this.client = client;
    }

    /** "db.collection" dropped at {@code at}, or null when the oplog cannot tell. */
    public String dropped(ClusterTime at) {
        return cache.computeIfAbsent(at, t -> {
            try {
                Document entry = client.getDatabase("local").getCollection("oplog.rs")
                        .find(new Document("ts", new BsonTimestamp((int) t.seconds(), t.increment())))
                        .batchSize(1).limit(1).first();
                if (entry != null && entry.get("o") instanceof Document o && o.getString("drop") != null) {
                    String ns = entry.getString("ns");
                    return ns.substring(0, ns.indexOf('.')) + "." + o.getString("drop");
                }
            } catch (RuntimeException e) {
                // no oplog we may read
            }
            return "";
        });
    }
}
