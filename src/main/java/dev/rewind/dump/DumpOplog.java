package dev.rewind.dump;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * What the oplog of a dump taken with {@code mongodump --oplog} holds: its entries, counted by what
 * each changes, so that a user is told whether it changes what was imported, and, for
 * {@link OplogReplay}, those that may change the namespaces it is asked to keep (in memory). An entry as mongod
 * writes it (MongoDB manual, "Replica Set Oplog"; mongod's oplog_entry.idl): {@code op} "i", "u"
 * or "d" writes a document of {@code ns}; "c" is a command on {@code db.$cmd}, whose
 * {@code applyOps} (a transaction, a batch) holds entries of its own; "n" is a no-op.
 */
public final class DumpOplog {
    /** What an entry changes when it cannot be read as an oplog entry: count it as changing everything. */
    private static final String UNKNOWN = "?";

    private long entries;
    /** The namespaces whose entries are kept for a replay; none by default. */
    private Set<String> keep = Set.of();
    /** The namespaces not in the dump whose creation and writes are kept for a replay. */
    private Predicate<String> created = ns -> false;
    private boolean keeping;
    /** The entries kept, as mongodump wrote them, in order. */
    private final List<byte[]> raw = new ArrayList<>();

    /**
     * How many entries change each set of targets: "db.collection" for a document write, "db" for a
     * command, {@link #UNKNOWN}.
     */
    private final Map<Set<String>, Long> byTargets = new HashMap<>();

    /** Counts one entry of the oplog, as mongodump wrote it. */
    void add(byte[] entry) {
        entries++;
        RawBsonDocument d = new RawBsonDocument(entry);
        Set<String> targets = new TreeSet<>(targets(d, 0));
        if (keeping && (endsATransaction(d) || targets.stream().anyMatch(t -> changes(t, keep) || mayCreate(t)))) {
            raw.add(entry);
        }
        if (!targets.isEmpty()) {
            byTargets.merge(targets, 1L, Long::sum);
        }
    }

    /** What an entry changes; an applyOps, what each of its entries changes (a few levels deep). */
    private static List<String> targets(BsonDocument d, int depth) {
        String op = d.isString("op") ? d.getString("op").getValue() : null;
        String ns = d.isString("ns") ? d.getString("ns").getValue() : null;
        if ("n".equals(op)) {
            return List.of();
        }
        if (ns == null || op == null || depth > 4) {
            return List.of(UNKNOWN);
        }
        if (SystemViewsWrites.is(op, ns)) {
            return List.of(SystemViewsWrites.database(ns));   // a view's create, collMod or drop: a catalog change in its database
        }
        if (op.equals("i") || op.equals("u") || op.equals("d")) {
            return List.of(ns);
        }
        if (op.equals("c") && d.isDocument("o") && d.getDocument("o").isString("renameCollection")) {
            // mongod logs a rename on its source database's $cmd; it changes both names
            BsonDocument o = d.getDocument("o");
            List<String> out = new ArrayList<>(List.of(o.getString("renameCollection").getValue()));
            if (o.isString("to")) {
                out.add(o.getString("to").getValue());
            }
            return out;
        }
        if (op.equals("c") && d.isDocument("o") && d.getDocument("o").isArray("applyOps")) {
            List<String> out = new ArrayList<>();
            BsonArray inner = d.getDocument("o").getArray("applyOps");
            for (BsonValue v : inner) {
                out.addAll(v.isDocument() ? targets(v.asDocument(), depth + 1) : List.of(UNKNOWN));
            }
            return out;
        }
        int dot = ns.indexOf('.');
        return List.of(op.equals("c") && dot > 0 ? ns.substring(0, dot) : UNKNOWN);
    }

    /** Keeps the entries that may change {@code namespaces}; before any is added. */
    void keep(Collection<String> namespaces) {
        keep(namespaces, ns -> false);
    }

    /**
     * Keeps the entries that may change {@code namespaces}, or create and write a namespace
     * {@code created} accepts ({@link DumpReader#keepOplogWrites}); before any is added.
     */
    void keep(Collection<String> namespaces, Predicate<String> created) {
        keep = Set.copyOf(namespaces);
        this.created = created;
        keeping = !keep.isEmpty();
    }

    /** Whether an entry of target {@code t} may create or write a collection {@link #created} accepts. */
    private boolean mayCreate(String t) {
        int dot = t.indexOf('.');
        return dot > 0 ? created.test(t) : !t.equals(UNKNOWN) && !dev.rewind.MongoNames.SYSTEM_DATABASES.contains(t);
    }

    /** A commit or abort of a prepared transaction: it names no namespace, and decides whether its writes count. */
    private static boolean endsATransaction(BsonDocument d) {
        if (!d.isDocument("o") || d.getDocument("o").isEmpty()) {
            return false;
        }
        String name = d.getDocument("o").getFirstKey();
        return name.equals("commitTransaction") || name.equals("abortTransaction");
    }

    /** Whether an entry of target {@code t} may change one of {@code namespaces}. */
    private static boolean changes(String t, Collection<String> namespaces) {
        return t.equals(UNKNOWN) || (t.indexOf('.') > 0 ? namespaces.contains(t)
                : namespaces.stream().anyMatch(ns -> ns.startsWith(t + ".")));
    }

    /** The entries kept for a replay ({@link #keep}), in the order mongodump wrote them (the oplog's). */
    public List<byte[]> inOrder() {
        return java.util.Collections.unmodifiableList(raw);
    }

    /** How many entries the oplog holds, no-ops included. */
    public long entries() {
        return entries;
    }

    /**
     * How many entries change one of {@code namespaces}: write one of their documents, or run a
     * command in one of their databases (a create, drop, rename or index build there is counted,
     * whichever collection it names), or cannot be read.
     */
    public long changing(Collection<String> namespaces) {
        long n = 0;
        for (Map.Entry<Set<String>, Long> e : byTargets.entrySet()) {
            if (e.getKey().stream().anyMatch(t -> changes(t, namespaces))) {
                n += e.getValue();
            }
        }
        return n;
    }
}
