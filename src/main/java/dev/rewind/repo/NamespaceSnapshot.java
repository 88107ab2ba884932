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

    @SuppressWarnings("unchecked")
    static NamespaceSnapshot fromDocument(Document d) {
        List<ObjectRef> refs = new ArrayList<>();
        for (Object o : d.getList("objects", Object.class)) {
            refs.add(ObjectRef.fromList((List<?>) o));
        }
        return new NamespaceSnapshot(d.getString("db"), d.getString("collection"), d.getString("type"),
                d.get("options", Document.class), d.getList("indexes", Document.class),
                ((Number) d.get("documents")).longValue(), ((Number) d.get("rawBytes")).longValue(), refs,
                d.getString("uuid"));
    }
}
