package dev.rewind.sandbox;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.server.Commands;
import dev.rewind.sandbox.server.Connection;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongod's TTL monitor (manual, "TTL Indexes", "Expiration of Data" and "Deletion Operations"): a
 * background task that, every {@code ttlMonitorSleepSecs} (60 by default), removes from each
 * collection the documents whose TTL-indexed field holds a date (or an array of dates, the earliest
 * counting) more than {@code expireAfterSeconds} in the past. A TTL index is a single-field index
 * with {@code expireAfterSeconds}; a document whose field is not a date never expires. It deletes
 * through the server's own {@code delete} command, so each removal is an ordinary delete in the
 * oplog and in change streams, as mongod replicates it. Time-series collections are left alone
 * (their expiry is not emulated).
 */
final class TtlMonitor {
    private static final Logger log = LoggerFactory.getLogger(TtlMonitor.class);
    private static final Document BIG_BATCH = new Document("batchSize", Integer.MAX_VALUE);

    private final Commands server;
    private final Clock clock;
    private final Connection self = new Connection(0, new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", 0), new EmbeddedChannel());

    TtlMonitor(Commands server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    /** The connection its commands run on (mongod's {@code TTLMonitor} thread). */
    Connection connection() {
        return self;
    }

    /** One pass over every collection's TTL indexes; returns how many documents it deleted. */
    long pass() {
        long deleted = 0;
        Document dbs = server.run(self, "admin", new Document("listDatabases", 1).append("nameOnly", true));
        for (Object o : list(dbs.get("databases"))) {
            String db = String.valueOf(((Document) o).get("name"));
            if (List.of("admin", "local", "config").contains(db)) {
                continue;
            }
            Document colls = server.run(self, db, new Document("listCollections", 1)
                    .append("filter", new Document("type", "collection")).append("cursor", BIG_BATCH));
            for (Object c : firstBatch(colls)) {
                String coll = String.valueOf(((Document) c).get("name"));
                if (coll.startsWith("system.")) {
                    continue;
                }
                Document indexes = server.run(self, db, new Document("listIndexes", coll).append("cursor", BIG_BATCH));
                for (Object i : firstBatch(indexes)) {
                    deleted += expire(db, coll, (Document) i);
                }
            }
        }
        return deleted;
    }

    private long expire(String db, String coll, Document index) {
        if (!(index.get("expireAfterSeconds") instanceof Number seconds) || !(index.get("key") instanceof Document key)
                || key.size() != 1 || key.containsKey("_id")) {
            return 0;
        }
        String field = key.keySet().iterator().next();
        Instant cutoff = clock.instant().minusSeconds(seconds.longValue());
        Document filter = new Document(field, new Document("$lt", cutoff).append("$type", "date"));
        Document reply = server.run(self, db, new Document("delete", coll)
                .append("deletes", List.of(new Document("q", filter).append("limit", 0))));
        if (!Double.valueOf(1.0).equals(asDouble(reply.get("ok")))) {
            log.warn("TTL monitor: the delete of expired documents of {}.{} failed: {}", db, coll, reply);
            return 0;
        }
        return reply.get("n") instanceof Number n ? n.longValue() : 0;
    }

    private static Double asDouble(Object ok) {
        return ok instanceof Number n ? n.doubleValue() : null;
    }

    private static List<?> firstBatch(Document reply) {
        return reply.get("cursor") instanceof Document cursor ? list(cursor.get("firstBatch")) : List.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : new ArrayList<>();
    }

    void close() {
        server.closed(self);
    }
}
