package dev.rewind.sandbox.catalog;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What mongod's catalog knows of each namespace and mongo-java-server's does not: its UUID, its
 * kind (collection, view, time-series collection) and the options it was created or modified
 * with, as {@code listCollections} shows them. Kept in a {@link CatalogStore} so that a restarted
 * file-backed server still knows them.
 */
public final class Catalog {
    /** The kinds of namespace {@code listCollections} reports ({@code type}). */
    public enum Type {
        COLLECTION("collection"), VIEW("view"), TIMESERIES("timeseries");

        private final String listed;

        Type(String listed) {
            this.listed = listed;
        }

        public String listed() {
            return listed;
        }

        static Type of(String listed) {
            for (Type t : values()) {
                if (t.listed.equals(listed)) {
                    return t;
                }
            }
            throw new IllegalArgumentException(listed);
        }
    }

    /** One namespace: "db.name", its kind, UUID (null for a view) and options (never null). */
    public record Entry(String ns, Type type, UUID uuid, Document options) {
        public Entry {
            options = options == null ? new Document() : options;
        }

        /** Whether the collection records pre- and post-images for change streams ({@code changeStreamPreAndPostImages}). */
        public boolean images() {
            return options.get("changeStreamPreAndPostImages") instanceof Document d && Boolean.TRUE.equals(d.get("enabled"));
        }

        public String db() {
            return ns.substring(0, ns.indexOf('.'));
        }

        public String name() {
            return ns.substring(ns.indexOf('.') + 1);
        }

        public Entry withOptions(Document newOptions) {
            return new Entry(ns, type, uuid, newOptions);
        }

        public Entry renamed(String newNs) {
            return new Entry(newNs, type, uuid, options);
        }

        Document toDocument() {
            return new Document("ns", ns).append("type", type.listed()).append("uuid", uuid).append("options", options);
        }

        static Entry fromDocument(Document d) {
            return new Entry((String) d.get("ns"), Type.of((String) d.get("type")), (UUID) d.get("uuid"),
                    (Document) d.get("options"));
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final CatalogStore store;

    public Catalog(CatalogStore store) {
        this.store = store;
        for (Document d : store.load()) {
            Entry e = Entry.fromDocument(d);
            entries.put(e.ns(), e);
        }
    }

    /** The entry for "db.name", or null when the catalog has none. */
    public Entry get(String ns) {
        return entries.get(ns);
    }

    /** The entry for a collection that exists in storage: recorded now (new UUID, no options) if it was not. */
    public Entry collection(String ns) {
        return entries.computeIfAbsent(ns, n -> {
            Entry e = new Entry(n, Type.COLLECTION, UUID.randomUUID(), new Document());
            store.put(n, e.toDocument());
            return e;
        });
    }

    public void put(Entry entry) {
        entries.put(entry.ns(), entry);
        store.put(entry.ns(), entry.toDocument());
    }

    public Entry remove(String ns) {
        Entry e = entries.remove(ns);
        if (e != null) {
            store.remove(ns);
        }
        return e;
    }

    /** The entry with this UUID (a collection keeps its UUID when renamed), or null when none has it. */
    public Entry withUuid(UUID uuid) {
        for (Entry e : entries.values()) {
            if (e.uuid().equals(uuid)) {
                return e;
            }
        }
        return null;
    }

    /** The entries of a database, by name. */
    public List<Entry> of(String db) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.db().equals(db)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(Entry::ns));
        return out;
    }
}
