package dev.rewind.check;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import dev.rewind.MongoNames;
import dev.rewind.RewindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bson.BsonDocument;

/**
 * Checks that the databases, collections and fields a user names exist, and says what does
 * exist when they do not (so a typo gets a helpful {@code hint:}). Reads only.
 */
public final class Catalog {
    private static final int LISTED = 20;
    private final MongoClient client;

    public Catalog(MongoClient client) {
        this.client = client;
    }

    public void requireDatabase(String db) {
        List<String> names = new ArrayList<>();
        client.listDatabaseNames().batchSize(1000).forEach(names::add);
        if (!names.contains(db)) {
            names.removeAll(MongoNames.SYSTEM_DATABASES);
            throw RewindException.notFound("no database '" + db + "' on the server",
                    "databases there: " + list(names));
        }
    }

    public void requireCollection(Namespace ns) {
        requireDatabase(ns.db());
        List<String> names = collections(ns.db());
        if (!names.contains(ns.collection())) {
            throw RewindException.notFound("no collection '" + ns.collection() + "' in database '" + ns.db() + "'",
                    "collections in " + ns.db() + ": " + list(names));
        }
    }

    public List<String> collections(String db) {
        List<String> names = new ArrayList<>();
        client.getDatabase(db).listCollectionNames().batchSize(1000).forEach(names::add);
        names.sort(null);
        return names;
    }

    /** Fails unless at least one document of {@code ns} has a value (possibly null) at {@code path}. */
    public void requireField(Namespace ns, String path) {
        var coll = client.getDatabase(ns.db()).getCollection(ns.collection(), BsonDocument.class);
        if (coll.find(Filters.exists(path)).projection(new BsonDocument()).limit(1).batchSize(1).first() != null) {
            return;
        }
        Set<String> seen = new TreeSet<>();
        try (MongoCursor<BsonDocument> c = coll.find().limit(100).batchSize(100).iterator()) {
            c.forEachRemaining(d -> Paths.leaves(d, (p, place, v) -> seen.add(p)));
        }
        throw RewindException.notFound("no document in " + ns + " has a field '" + path + "'",
                seen.isEmpty() ? ns + " is empty" : "fields seen in " + ns + ": " + list(new ArrayList<>(seen)));
    }

    private static String list(List<String> names) {
        if (names.isEmpty()) {
            return "(none)";
        }
        if (names.size() <= LISTED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, LISTED)) + ", ... (" + (names.size() - LISTED) + " more)";
    }
}
