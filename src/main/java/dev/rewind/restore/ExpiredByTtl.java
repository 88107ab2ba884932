package dev.rewind.restore;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bson.Document;

/**
 * After a restore: the documents a restored TTL index has already expired. A restore creates the
 * indexes of what it restores, so mongod's TTL monitor deletes those documents at its next pass,
 * within a minute (manual, "TTL Indexes"), as after mongorestore. Each note says how many, and how
 * to keep them (change the index's expiry on the restored collection).
 */
public final class ExpiredByTtl {
    private ExpiredByTtl() { }

    /** One line per restored collection and TTL index that has expired documents in it. */
    public static List<String> notes(MongoClient target, List<String> namespaces, Clock clock) {
        List<String> out = new ArrayList<>();
        for (String ns : namespaces) {
            int dot = ns.indexOf('.');
            MongoCollection<Document> coll = target.getDatabase(ns.substring(0, dot)).getCollection(ns.substring(dot + 1));
            List<Document> indexes;
            try {
                indexes = coll.listIndexes().into(new ArrayList<>());
            } catch (com.mongodb.MongoException e) {
                continue;  // advice only: a collection whose indexes cannot be listed (a view) is not checked
            }
            for (Document i : indexes) {
                TtlIndex ttl = TtlIndex.of(i);
                long expired = ttl == null ? 0 : coll.countDocuments(ttl.expiredFilter(clock.instant()));
                if (expired > 0) {
                    out.add(String.format(Locale.ROOT, "%s: its TTL index %s (%s, expireAfterSeconds %d) has already expired %,d of"
                            + " the documents restored; mongod's TTL monitor deletes them within a minute: to keep them, change"
                            + " the index now (collMod %s, index {name: '%s', expireAfterSeconds: ...})", ns, ttl.name(),
                            ttl.field(), ttl.seconds(), expired, ns.substring(dot + 1), ttl.name()));
                }
            }
        }
        return out;
    }
}
