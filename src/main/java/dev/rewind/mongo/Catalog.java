package dev.rewind.mongo;

import com.mongodb.client.MongoClient;
import dev.rewind.MongoNames;
import dev.rewind.NamespacePattern;
import dev.rewind.event.Uuids;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/** What a server holds: databases, collections and views, with their options and indexes. */
public final class Catalog {
    private static final int BATCH = 1000;

    private final MongoClient client;

    public Catalog(MongoClient client) {
        this.client = client;
    }

    /**
     * A collection, view or time-series collection as listCollections describes it; {@code uuid} is
     * {@code info.uuid} as text (null where the server lists none: views, time-series collections).
     */
    public record Entry(String db, String name, String type, Document options, String uuid) {
        public String ns() {
            return db + "." + name;
        }
    }

    /** User collections and views whose namespace matches any pattern (all user ones if none), sorted. */
    public List<Entry> list(List<NamespacePattern> patterns) {
        List<Entry> out = new ArrayList<>();
        for (String db : client.listDatabaseNames()) {
            if (MongoNames.SYSTEM_DATABASES.contains(db)) {
                continue;
            }
            out.addAll(collections(db, patterns));
        }
        out.sort((a, b) -> a.ns().compareTo(b.ns()));
        return out;
    }

    public List<Entry> collections(String db, List<NamespacePattern> patterns) {
        List<Entry> out = new ArrayList<>();
        for (Document c : client.getDatabase(db).listCollections().batchSize(BATCH)) {
            String name = c.getString("name");
            if (name.startsWith("system.")) {
                continue;
            }
            String type = c.get("type", "collection");
            Document options = c.get("options", new Document());
            Document info = c.get("info", new Document());
            if (NamespacePattern.anyMatches(patterns, db + "." + name)) {
                out.add(new Entry(db, name, type, options, Uuids.text(info.get("uuid"))));
            }
        }
        return out;
    }

    /** The index specifications of a collection, as listIndexes returns them. */
    public List<Document> indexes(String db, String collection) {
        List<Document> out = new ArrayList<>();
        client.getDatabase(db).getCollection(collection).listIndexes().batchSize(BATCH).into(out);
        return out;
    }

    /** Whether a collection holds at least one document. */
    public boolean hasDocuments(String db, String collection) {
        return client.getDatabase(db).getCollection(collection).find()
                .projection(new Document("_id", 1)).batchSize(1).limit(1).first() != null;
    }

    /** The UUID (as {@link Entry#uuid} gives it) of the collection now at {@code db.collection}; null when none is there or it has none. */
    public String uuidOf(String db, String collection) {
        Document c = listed(db, collection);
        return c == null ? null : Uuids.text(c.get("info", new Document()).get("uuid"));
    }

    public boolean exists(String db, String collection) {
        return listed(db, collection) != null;
    }

    /** What listCollections says of {@code db.collection}; null when it is not there. */
    private Document listed(String db, String collection) {
        return client.getDatabase(db).listCollections().filter(new Document("name", collection)).batchSize(BATCH).first();
    }

    /** The server's version string, or "unknown". */
    public String serverVersion() {
        try {
            Document info = client.getDatabase("admin").runCommand(new Document("buildInfo", 1));
            return info.getString("version");
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
