package dev.rewind.repo;

import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * One namespace in a snapshot: its type ("collection", "view" or "timeseries"), its options and
 * indexes as listCollections and listIndexes returned them, its counts, its objects in {@code _id}
 * order, and the collection's UUID as listCollections gave it ({@code info.uuid}; null for views,
 * time-series collections, and manifests written before UUIDs were recorded).
 */
public record NamespaceSnapshot(String db, String collection, String type, Document options, List<Document> indexes,
                                long documents, long rawBytes, List<ObjectRef> objects, String uuid) {

    /** A namespace without a UUID. */
    public NamespaceSnapshot(String db, String collection, String type, Document options, List<Document> indexes,
                             long documents, long rawBytes, List<ObjectRef> objects) {
        this(db, collection, type, options, indexes, documents, rawBytes, objects, null);
    }

    public String ns() {
        return db + "." + collection;
    }

    public long storedBytes() {
        return objects.stream().mapToLong(ObjectRef::storedBytes).sum();
    }

    Document toDocument() {
        List<List<Object>> refs = new ArrayList<>();
        objects.forEach(o -> refs.add(o.toList()));
        Document d = new Document("db", db).append("collection", collection).append("type", type);
        if (uuid != null) {
            d.append("uuid", uuid);
        }
        return d.append("options", options).append("indexes", indexes)
                .append("documents", documents).append("rawBytes", rawBytes).append("objects", refs);
    }

    /** Reads a namespace entry; IllegalArgumentException naming what is wrong. */
    static NamespaceSnapshot fromDocument(Document d) {
        String db = JsonFields.string(d, "db");
        String collection = JsonFields.string(d, "collection");
        String problem = dev.rewind.MongoNames.namespaceProblem(db, collection);
        if (problem != null) {
            throw new IllegalArgumentException("namespace '" + db + "." + collection + "': " + problem);
        }
        String type = JsonFields.string(d, "type");
        if (!java.util.Set.of("collection", "view", "timeseries").contains(type)) {
            throw new IllegalArgumentException("namespace " + db + "." + collection + " has an unknown type '" + type + "'");
        }
        List<ObjectRef> refs = new ArrayList<>();
        for (Object o : JsonFields.list(d, "objects")) {
            if (!(o instanceof List<?> l)) {
                throw new IllegalArgumentException("an object of " + db + "." + collection + " is not a list");
            }
            refs.add(ObjectRef.fromList(l));
        }
        Document options = JsonFields.optionalDocument(d, "options");
        return new NamespaceSnapshot(db, collection, type, options == null ? new Document() : options,
                JsonFields.documents(d, "indexes"), JsonFields.count(d, "documents"), JsonFields.count(d, "rawBytes"), refs,
                JsonFields.optionalString(d, "uuid"));
    }
}
