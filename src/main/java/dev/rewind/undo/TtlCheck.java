package dev.rewind.undo;

import com.mongodb.client.MongoClient;
import dev.rewind.restore.TtlIndex;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * The TTL indexes of the collections an undo writes into, and the documents it puts back that one
 * of them has already expired: mongod's TTL monitor deletes those again at its next pass, within a
 * minute (manual, "TTL Indexes": a document expires when its indexed field, a date or an array of
 * dates by the earliest, is more than {@code expireAfterSeconds} in the past). A user who shortened
 * a TTL by mistake would otherwise watch the undo's documents vanish again. Each collection's
 * indexes are read from the live server once.
 */
final class TtlCheck {
    private final MongoClient live;
    private final Clock clock;
    private final Map<String, List<TtlIndex>> byNamespace = new HashMap<>();
    /** Documents already expired, by namespace and index name. */
    private final Map<String, Map<TtlIndex, Long>> expired = new LinkedHashMap<>();

    TtlCheck(MongoClient live, Clock clock) {
        this.live = live;
        this.clock = clock;
    }

    /** Counts the documents of a planned pass that the undo writes back and a TTL index has expired. */
    void add(List<DocumentUndo> plan) {
        java.time.Instant now = clock.instant();
        for (DocumentUndo d : plan) {
            if (d.target() == null || (d.outcome() != Outcome.RESTORED && d.outcome() != Outcome.REVERTED)) {
                continue;
            }
            for (TtlIndex index : indexes(d.ns())) {
                Long earliest = earliestDate(d.target(), index.field());
                if (earliest != null && index.expired(earliest, now)) {
                    expired.computeIfAbsent(d.ns(), n -> new LinkedHashMap<>()).merge(index, 1L, Long::sum);
                }
            }
        }
    }

    /**
     * The collection at {@code ns} will also have these indexes once the undo is done (a dropped
     * collection gets back the indexes it had at T1): their TTL indexes count as well.
     */
    void willHave(String ns, List<Document> indexes) {
        List<TtlIndex> known = indexes(ns);
        for (Document i : indexes) {
            TtlIndex ttl = TtlIndex.of(i);
            if (ttl != null && known.stream().noneMatch(k -> k.name().equals(ttl.name()))) {
                known.add(ttl);
            }
        }
    }

    boolean any() {
        return !expired.isEmpty();
    }

    /** One line per collection and index: how many documents it has expired, and what to do. */
    List<String> notes() {
        List<String> out = new ArrayList<>();
        expired.forEach((ns, byIndex) -> byIndex.forEach((index, n) -> out.add(String.format(java.util.Locale.ROOT,
                "%s: its TTL index %s (%s, expireAfterSeconds %d) has expired %,d of the documents this undo puts back; mongod's"
                        + " TTL monitor deletes them again within a minute: change the index first (collMod %s, index {name: '%s',"
                        + " expireAfterSeconds: ...}) or drop it", ns, index.name(), index.field(), index.seconds(), n,
                ns.substring(ns.indexOf('.') + 1), index.name()))));
        return out;
    }

    private List<TtlIndex> indexes(String ns) {
        return byNamespace.computeIfAbsent(ns, n -> {
            int dot = n.indexOf('.');
            List<TtlIndex> out = new ArrayList<>();
            try {
                for (Document i : live.getDatabase(n.substring(0, dot)).getCollection(n.substring(dot + 1)).listIndexes()) {
                    TtlIndex ttl = TtlIndex.of(i);
                    if (ttl != null) {
                        out.add(ttl);
                    }
                }
            } catch (com.mongodb.MongoCommandException e) {
                if (e.getErrorCode() != 26) {  // NamespaceNotFound: a collection undo will create has no index yet
                    throw e;
                }
            }
            return out;
        });
    }

    /** The earliest date at {@code path} (a date, or an array holding dates), or null when none. */
    private static Long earliestDate(BsonDocument doc, String path) {
        BsonValue v = doc;
        for (String part : path.split("\\.")) {
            if (!(v instanceof BsonDocument d) || !d.containsKey(part)) {
                return null;
            }
            v = d.get(part);
        }
        if (v.isDateTime()) {
            return v.asDateTime().getValue();
        }
        Long earliest = null;
        if (v.isArray()) {
            for (BsonValue e : v.asArray()) {
                if (e.isDateTime() && (earliest == null || e.asDateTime().getValue() < earliest)) {
                    earliest = e.asDateTime().getValue();
                }
            }
        }
        return earliest;
    }
}
