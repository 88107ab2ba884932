package dev.rewind.restore;

import dev.rewind.event.Namespace;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * One collection, view or time-series collection as {@link CatalogAt} follows it through the log:
 * one identity from its creation (or from the snapshot) to its drop, whatever names it takes. It
 * knows its name, kind, options and indexes at the point the catalog reached, and where its
 * documents come from: the snapshot namespace it started as ({@link #base()}), or none when the log
 * created it, which then holds every document it has. Only {@link CatalogAt} changes it.
 */
public final class CollectionAt {
    /** The {@code _id} index every collection has, as listIndexes shows it. */
    static final Document ID_INDEX = new Document("v", 2).append("key", new Document("_id", 1)).append("name", "_id_");

    private final int serial;
    String uuid;
    Namespace ns;
    String type;
    Document options;
    final Map<String, Document> indexes = new LinkedHashMap<>();
    NamespaceSnapshot base;
    boolean live = true;
    final List<Namespace> formerNames = new ArrayList<>();

    CollectionAt(int serial, String uuid, Namespace ns, String type, Document options, List<Document> indexes,
                 NamespaceSnapshot base) {
        this.serial = serial;
        this.uuid = uuid;
        this.ns = ns;
        this.type = type;
        this.options = options;
        indexes.forEach(i -> this.indexes.put(i.getString("name"), new Document(i)));
        this.base = base;
    }

    static CollectionAt fromSnapshot(int serial, NamespaceSnapshot n) {
        String type = n.type() == null ? "collection" : n.type();
        return new CollectionAt(serial, n.uuid(), Namespace.of(n.db(), n.collection()), type,
                n.options() == null ? new Document() : new Document(n.options()), n.indexes() == null ? List.of() : n.indexes(), n);
    }

    CollectionAt copy() {
        CollectionAt c = new CollectionAt(serial, uuid, ns, type, new Document(options), new ArrayList<>(indexes.values()), base);
        c.live = live;
        c.formerNames.addAll(formerNames);
        return c;
    }

    /** Stable across copies of a catalog: the same collection has the same serial. */
    public int serial() {
        return serial;
    }

    /** The collection's UUID as text; null for views, time-series collections and when unknown. */
    public String uuid() {
        return uuid;
    }

    /** Its name now (its last name, once dropped). */
    public Namespace ns() {
        return ns;
    }

    /** {@code collection}, {@code view} or {@code timeseries}. */
    public String type() {
        return type;
    }

    public boolean isView() {
        return "view".equals(type);
    }

    public boolean isTimeSeries() {
        return "timeseries".equals(type);
    }

    /** Its options as listCollections would show them. */
    public Document options() {
        return new Document(options);
    }

    /** Its indexes as listIndexes would show them, in the order they were created. */
    public List<Document> indexes() {
        List<Document> out = new ArrayList<>();
        indexes.values().forEach(i -> out.add(new Document(i)));
        return out;
    }

    /** The snapshot namespace whose documents it started with; null when the log created it. */
    public NamespaceSnapshot base() {
        return base;
    }

    /** Whether the log created it (so it holds all of its documents, time-series measurements excepted). */
    public boolean createdInLog() {
        return base == null;
    }

    public boolean live() {
        return live;
    }

    /** The names it had before its current one, oldest first. */
    public List<Namespace> formerNames() {
        return List.copyOf(formerNames);
    }

    /**
     * It as a namespace of a snapshot taken at the catalog's point: its name, kind, options and
     * indexes then, and the documents and objects of its base (none when the log created it).
     */
    public NamespaceSnapshot asSnapshot() {
        List<ObjectRef> objects = base == null ? List.of() : base.objects();
        return new NamespaceSnapshot(ns.db(), ns.coll(), type, options(), indexes(), base == null ? 0 : base.documents(),
                base == null ? 0 : base.rawBytes(), objects, uuid);
    }

    @Override
    public String toString() {
        return type + " " + ns + (uuid == null ? "" : " (" + uuid + ")") + (live ? "" : ", dropped");
    }
}
