package dev.rewind.dump;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * Replays the oplog of a dump taken with {@code mongodump --oplog} over the dump's documents, as
 * {@code mongorestore --oplogReplay} does, so that each collection is as at the oplog's last entry
 * instead of as the scan read each document. The oplog starts before the scan began, so applying
 * every entry in order from whatever state the scan read gives the state at the end: mongod's oplog
 * entries are idempotent ("Replica Set Oplog": "each operation in the oplog is idempotent"), the
 * property initial sync rests on, and an update of a document the scan did not read (it was
 * deleted before the scan reached it) is skipped, as initial sync skips it.
 *
 * <p>This is the pure part: {@link #plan} reads the entries (a transaction's {@code applyOps}, in one
 * entry or several, once it commits; a batched write's {@code applyOps}) and keeps, per collection
 * and {@code _id}, the writes to replay; {@link #over} merges them into the dump's documents in
 * {@code _id} order. Held in memory: the writes to the taken collections. A drop of a taken
 * collection (or of its database) is replayed as mongod made it: what the dump holds of it is gone,
 * and the collection is either absent at the end ({@link #after} gives null) or holds only what was
 * written after it was created again; a collection the dump does not hold that the oplog creates is
 * taken too, when the caller's {@code creatable} accepts it. What drops, creations, index builds and
 * drops and {@code collMod}s do to the collections' metadata is {@link OplogCatalog}'s. Another
 * catalog change to a taken collection — a rename from or onto one the dump holds, a rename of one
 * this does not take onto one it would (whose documents are then in neither), a conversion to
 * capped, or a command this does not know — is refused (exit 10) before anything is written: what
 * the dump holds would no longer be that collection.
 */
public final class OplogReplay {
    /**
     * What a replay applied. {@code until} is the last entry's timestamp; {@code notReplayed} names the
     * index and option changes left out; {@code dropped} the collections dropped for good, {@code recreated}
     * those dropped and created again, {@code created} those the dump does not hold that the oplog
     * creates and keeps; {@code catalogChanges} the index builds and drops and the collMods replayed.
     */
    public record Summary(long inserts, long updates, long deletes, long documents, long notCommitted,
                          List<String> notReplayed, List<String> dropped, List<String> recreated, List<String> created,
                          List<String> catalogChanges, BsonTimestamp until) { }

    /** One write to replay: the entry's {@code op} and {@code o}. */
    private record Write(char op, BsonDocument o) { }

    private static final Set<String> INDEX_AND_OPTIONS = Set.of("createIndexes", "startIndexBuild", "commitIndexBuild",
            "abortIndexBuild", "dropIndexes", "deleteIndexes", "collMod");
    private static final Set<String> ENDS_THE_COLLECTION = Set.of("convertToCapped", "emptycapped", "importCollection");

    /** The collections taken: the dump's, and those the oplog creates that {@link #creatable} accepts. */
    private final Set<String> namespaces;
    private final java.util.function.Predicate<String> creatable;
    /** The collections the oplog creates that the dump does not hold, in the order it creates them. */
    private final Set<String> created = new java.util.LinkedHashSet<>();
    private final Map<String, TreeMap<BsonValue, List<Write>>> writes = new HashMap<>();
    /** A transaction's entries until it commits, by session and transaction number. */
    private final Map<String, List<BsonDocument>> open = new LinkedHashMap<>();
    private final Set<String> notReplayed = new TreeSet<>();
    private final OplogCatalog catalog = new OplogCatalog();
    private long inserts;
    private long updates;
    private long deletes;
    private BsonTimestamp until;

    private OplogReplay(Collection<String> namespaces, java.util.function.Predicate<String> creatable) {
        this.namespaces = new java.util.HashSet<>(namespaces);
        this.creatable = creatable;
    }

    /** Reads the oplog's entries, in the order mongodump wrote them, for the collections {@code namespaces}. */
    public static OplogReplay plan(List<byte[]> entries, Collection<String> namespaces) {
        return plan(entries, namespaces, ns -> false);
    }

    /**
     * As {@link #plan(List, Collection)}, also taking each collection the dump does not hold that the
     * oplog creates, when {@code creatable} accepts its namespace ({@link #createdCollections}).
     */
    public static OplogReplay plan(List<byte[]> entries, Collection<String> namespaces,
                                   java.util.function.Predicate<String> creatable) {
        OplogReplay r = new OplogReplay(namespaces, creatable);
        for (byte[] bytes : entries) {
            BsonDocument e = new RawBsonDocument(bytes).decode(new BsonDocumentCodec());
            if (e.isTimestamp("ts")) {
                r.until = e.getTimestamp("ts");
            }
            r.entry(e, 0);
        }
        return r;
    }

    public Summary summary() {
        long documents = writes.values().stream().mapToLong(Map::size).sum();
        long notCommitted = open.values().stream().mapToLong(List::size).sum();
        List<String> dropped = new ArrayList<>();
        List<String> recreated = new ArrayList<>();
        for (String ns : catalog.droppedNamespaces()) {
            if (!created.contains(ns)) {
                (catalog.existsAtEnd(ns, writes.containsKey(ns)) ? recreated : dropped).add(ns);
            }
        }
        List<String> kept = created.stream().filter(ns -> catalog.existsAtEnd(ns, writes.containsKey(ns))).toList();
        return new Summary(inserts, updates, deletes, documents, notCommitted, List.copyOf(notReplayed), dropped, recreated,
                kept, catalog.changes(), until);
    }

    /**
     * The collections the dump does not hold that the oplog creates (and does not drop again), as
     * at its end, in the order it creates them; their documents come from {@link #over} of no
     * documents.
     */
    List<CollectionMetadata> createdCollections() {
        List<CollectionMetadata> out = new ArrayList<>();
        for (String ns : created) {
            int dot = ns.indexOf('.');
            CollectionMetadata m = after(new CollectionMetadata(ns.substring(0, dot), ns.substring(dot + 1), "collection",
                    new org.bson.Document(), List.of(), null));
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** What collection {@code c} of the dump is at the oplog's end ({@link OplogCatalog#after}); null when dropped for good. */
    CollectionMetadata after(CollectionMetadata c) {
        return catalog.after(c, writes.containsKey(c.ns()));
    }

    /** A collection the oplog created is renamed: it is {@code to} now, over what {@code to} was, if taken. */
    private void renameCreated(String from, String to) {
        TreeMap<BsonValue, List<Write>> moved = writes.remove(from);
        if (!creatable.test(to) || to.contains(".system.")) {
            drop(from);
            return;
        }
        writes.remove(to);
        if (moved != null) {
            writes.put(to, moved);
        }
        catalog.renamed(from, to);
        namespaces.remove(from);
        created.remove(from);
        namespaces.add(to);
        created.add(to);
    }

    /** The oplog drops {@code ns}: what the dump and the writes before hold of it is gone. */
    private void drop(String ns) {
        writes.remove(ns);
        catalog.dropped(ns);
        notReplayed.removeIf(change -> change.endsWith(" on " + ns));
    }

    private void entry(BsonDocument e, int depth) {
        String op = string(e, "op");
        String ns = string(e, "ns");
        if (op == null || ns == null || depth > 4) {
            throw refused("an entry without op or ns: " + e.toJson());
        }
        switch (op) {
            case "n" -> { }
            case "i", "u", "d" -> {
                if (SystemViewsWrites.is(op, ns)) {
                    command(SystemViewsWrites.database(ns) + ".$cmd", SystemViewsWrites.asCommand(e), depth);   // a view's create, collMod or drop
                } else {
                    write(op.charAt(0), ns, e);
                }
            }
            case "c" -> command(ns, e, depth);
            default -> throw refused("an entry of op '" + op + "' on " + ns);
        }
    }

    private void write(char op, String ns, BsonDocument e) {
        if (!namespaces.contains(ns)) {
            return;
        }
        BsonDocument o = document(e, "o");
        BsonDocument keyed = op == 'u' ? document(e, "o2") : o;
        BsonValue id = keyed.get("_id");
        if (id == null) {
            throw refused("a write to " + ns + " without the _id of its document: " + e.toJson());
        }
        writes.computeIfAbsent(ns, k -> new TreeMap<>(BsonOrder.INSTANCE)).computeIfAbsent(id, k -> new ArrayList<>())
                .add(new Write(op, o));
        switch (op) {
            case 'i' -> inserts++;
            case 'u' -> updates++;
            default -> deletes++;
        }
    }

    private void command(String ns, BsonDocument e, int depth) {
        BsonDocument o = document(e, "o");
        if (o.isEmpty()) {
            throw refused("a command entry with nothing in it on " + ns);
        }
        String name = o.getFirstKey();
        String db = ns.contains(".") ? ns.substring(0, ns.indexOf('.')) : ns;
        String txn = e.isDocument("lsid") && e.containsKey("txnNumber")
                ? e.getDocument("lsid").toJson() + "#" + e.get("txnNumber") : null;
        switch (name) {
            case "applyOps" -> {
                if (!o.isArray("applyOps")) {
                    throw refused("an applyOps that holds no array on " + ns);
                }
                List<BsonDocument> inner = new ArrayList<>();
                for (BsonValue v : o.getArray("applyOps")) {
                    if (!v.isDocument()) {
                        throw refused("an applyOps entry that is not a document on " + ns);
                    }
                    inner.add(v.asDocument());
                }
                boolean partial = flag(e, "partialTxn") || flag(o, "partialTxn");
                boolean prepare = flag(e, "prepare") || flag(o, "prepare");
                if (txn != null && (partial || prepare)) {
                    open.computeIfAbsent(txn, k -> new ArrayList<>()).addAll(inner);   // applied when it commits
                    return;
                }
                List<BsonDocument> all = txn == null ? inner : new ArrayList<>(open.getOrDefault(txn, List.of()));
                if (txn != null) {
                    open.remove(txn);
                    all.addAll(inner);
                }
                all.forEach(w -> entry(w, depth + 1));
            }
            case "commitTransaction" -> {
                List<BsonDocument> all = txn == null ? null : open.remove(txn);
                if (all != null) {
                    all.forEach(w -> entry(w, depth + 1));
                }
            }
            case "abortTransaction" -> {
                if (txn != null) {
                    open.remove(txn);
                }
            }
            case "create" -> {
                // a collection the dump holds existed, with the metadata's options, unless the oplog dropped it before
                String target = o.isString(name) ? db + "." + o.getString(name).getValue() : null;
                if (target != null && !namespaces.contains(target) && !target.contains(".system.") && creatable.test(target)) {
                    if (o.containsKey("timeseries")) {
                        notReplayed.add("create of the time-series collection " + target);
                    } else {
                        namespaces.add(target);   // created while mongodump ran: taken as the oplog leaves it
                        created.add(target);
                        catalog.created(target, o, e.get("ui"));
                    }
                } else if (target != null && namespaces.contains(target) && catalog.wasDropped(target)) {
                    if (o.containsKey("timeseries")) {
                        throw catalogChange("creates " + target + " again as a time-series collection");
                    }
                    catalog.created(target, o, e.get("ui"));
                }
            }
            case "dbCheck", "setMultikeyMetadata" -> { }   // a consistency check's record, index bookkeeping: no data
            case "renameCollection" -> {
                String from = o.isString(name) ? o.getString(name).getValue() : "?";
                String to = o.isString("to") ? o.getString("to").getValue() : "?";
                if ((namespaces.contains(from) && !created.contains(from)) || (namespaces.contains(to) && !created.contains(to))) {
                    throw catalogChange("renames " + from + " to " + to);
                }
                if (created.contains(from)) {
                    renameCreated(from, to);   // made while mongodump ran (an $out's temporary collection, say): it moves
                } else if (creatable.test(to) && !to.contains(".system.")) {   // so is every collection the oplog created
                    // a collection this does not take becomes one it would take: what it then holds is in neither the dump nor its oplog
                    throw catalogChange("renames " + from + ", which this does not take, onto " + to + ", which it would");
                }
            }
            case "dropDatabase" -> namespaces.stream().filter(n -> n.startsWith(db + ".")).forEach(this::drop);
            case "drop" -> {
                String target = o.isString(name) ? db + "." + o.getString(name).getValue() : null;
                if (target != null && namespaces.contains(target)) {
                    drop(target);
                }
            }
            default -> {
                String target = o.isString(name) ? db + "." + o.getString(name).getValue() : null;
                if (INDEX_AND_OPTIONS.contains(name)) {
                    if (target != null && namespaces.contains(target) && !catalog.index(name, target, o)) {
                        notReplayed.add(name + " on " + target);
                    }
                } else if (ENDS_THE_COLLECTION.contains(name)) {
                    if (target != null && namespaces.contains(target)) {
                        throw catalogChange("runs " + name + " on " + target);
                    }
                } else if (namespaces.stream().anyMatch(n -> n.startsWith(db + "."))) {
                    throw catalogChange("runs the command " + name + " in " + db + ", which this Rewind does not replay");
                }
            }
        }
    }

    /** The dump's documents of {@code ns} in any order, each as the oplog leaves it ({@link Patch}). */
    Patch patch(String ns) {
        return new Patch(writes.getOrDefault(ns, new TreeMap<>(BsonOrder.INSTANCE)), catalog.wasDropped(ns));
    }

    /**
     * The documents of one collection as the oplog leaves them, for a reader that takes the dump's
     * documents in the dump's order (salvage): {@link #apply} each, then {@link #rest} gives those
     * the oplog wrote and the dump does not hold.
     */
    static final class Patch {
        private final TreeMap<BsonValue, List<Write>> touched;
        private final boolean dropped;
        private final java.util.Set<BsonValue> seen = new java.util.TreeSet<>(BsonOrder.INSTANCE);

        private Patch(TreeMap<BsonValue, List<Write>> touched, boolean dropped) {
            this.touched = touched;
            this.dropped = dropped;
        }

        /** The document as the oplog leaves it: itself when untouched, null when deleted (or dropped with its collection). */
        byte[] apply(byte[] document) {
            BsonValue id = new RawBsonDocument(document).get("_id");
            List<Write> w = id == null ? null : touched.get(id);
            if (w == null) {
                return dropped ? null : document;
            }
            seen.add(id);
            return bytes(replay(dropped ? null : new RawBsonDocument(document).decode(new BsonDocumentCodec()), w));
        }

        /** The documents the oplog writes that {@link #apply} did not see, as it leaves them. */
        List<byte[]> rest() {
            List<byte[]> out = new ArrayList<>();
            touched.forEach((id, w) -> {
                if (!seen.contains(id)) {
                    byte[] b = bytes(replay(null, w));
                    if (b != null) {
                        out.add(b);
                    }
                }
            });
            return out;
        }
    }

    private static byte[] bytes(BsonDocument doc) {
        if (doc == null) {
            return null;
        }
        ByteBuffer b = new RawBsonDocument(doc, new BsonDocumentCodec()).getByteBuffer().asNIO();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    /** The dump's documents of {@code ns}, in {@code _id} order, passed on as the oplog leaves them; call {@link Merge#finish} after the last. */
    Merge over(String ns, SortedRuns.Sink out) {
        return new Merge(writes.getOrDefault(ns, new TreeMap<>(BsonOrder.INSTANCE)).entrySet().iterator(), catalog.wasDropped(ns),
                out);
    }

    /** A merge of the dump's sorted documents with the documents the oplog writes. */
    static final class Merge implements SortedRuns.Sink {
        private final Iterator<Map.Entry<BsonValue, List<Write>>> touched;
        private final boolean dropped;
        private final SortedRuns.Sink out;
        private Map.Entry<BsonValue, List<Write>> next;

        private Merge(Iterator<Map.Entry<BsonValue, List<Write>>> touched, boolean dropped, SortedRuns.Sink out) {
            this.touched = touched;
            this.dropped = dropped;
            this.out = out;
            this.next = touched.hasNext() ? touched.next() : null;
        }

        @Override
        public void accept(byte[] document) throws IOException {
            BsonValue id = new RawBsonDocument(document).get("_id");
            while (next != null && BsonOrder.INSTANCE.compare(next.getKey(), id) < 0) {
                emit(replay(null, next.getValue()));   // written while mongodump ran, not in the dump
                advance();
            }
            if (next != null && BsonOrder.INSTANCE.compare(next.getKey(), id) == 0) {
                emit(replay(dropped ? null : new RawBsonDocument(document).decode(new BsonDocumentCodec()), next.getValue()));
                advance();
            } else if (!dropped) {
                out.accept(document);
            }
        }

        /** Passes on the documents the oplog writes past the dump's last {@code _id}. */
        public void finish() throws IOException {
            while (next != null) {
                emit(replay(null, next.getValue()));
                advance();
            }
        }

        private void advance() {
            next = touched.hasNext() ? touched.next() : null;
        }

        private void emit(BsonDocument doc) throws IOException {
            byte[] b = bytes(doc);
            if (b != null) {
                out.accept(b);
            }
        }
    }

    /** The document after {@code writes}, from {@code state} (null: none); null when it ends deleted. */
    static BsonDocument replay(BsonDocument state, List<Write> writes) {
        for (Write w : writes) {
            switch (w.op()) {
                case 'i' -> state = w.o();
                case 'd' -> state = null;
                default -> state = update(state, w.o());
            }
        }
        return state;
    }

    private static BsonDocument update(BsonDocument state, BsonDocument o) {
        BsonValue v = o.get("$v");
        if (v != null && v.isNumber() && v.asNumber().intValue() == 2 && o.isDocument("diff")) {
            return state == null ? null : DiffApplier.apply(state, o.getDocument("diff"));
        }
        if (o.keySet().stream().anyMatch(k -> k.startsWith("$"))) {
            throw DiffApplier.unreadable("an update of the form " + o.toJson());
        }
        return o;   // a replacement: the whole new document
    }

    private static boolean flag(BsonDocument d, String name) {
        return d.isBoolean(name) && d.getBoolean(name).getValue();
    }

    private static String string(BsonDocument d, String name) {
        return d.isString(name) ? d.getString(name).getValue() : null;
    }

    private static BsonDocument document(BsonDocument e, String name) {
        if (!e.isDocument(name)) {
            throw refused("an entry without its '" + name + "' document: " + e.toJson());
        }
        return e.getDocument(name);
    }

    private static RewindException catalogChange(String what) {
        return new RewindException(ExitCode.REFUSED, "cannot replay the dump's oplog: it " + what
                + " while mongodump ran, so the dump does not hold what replaying it needs",
                "import the dump without --oplog-replay (its documents are then as mongodump read them), or take the dump"
                        + " again while nothing drops or renames the collections");
    }

    static RewindException refused(String what) {
        return new RewindException(ExitCode.REFUSED, "cannot replay the dump's oplog: it holds " + what,
                "import the dump without --oplog-replay (its documents are then as mongodump read them)");
    }
}
