package dev.rewind.sandbox.write;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.Bson;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Hears what the storage engine writes, document by document, while a command runs: the backend's
 * storage hooks report every insert, update and delete with exact images (copied at once, as
 * BSON), and the command turns them into oplog changes. Only writes made inside
 * {@link #record} on the same thread are kept; internal writes (catalog, indexes, a transaction's
 * rollback) go unheard.
 */
public final class WriteRecorder {
    /**
     * One document written: its {@code _id} (immutable, so kept as the stored value), {@code before}
     * null for an insert, {@code after} null for a delete.
     */
    public record Write(String ns, Object id, byte[] before, byte[] after) {
        public boolean isInsert() { return before == null; }

        public boolean isDelete() { return after == null; }

        public Document beforeDocument() { return before == null ? null : Bson.decode(before); }

        public Document afterDocument() { return after == null ? null : Bson.decode(after); }
    }

    private final ThreadLocal<List<Write>> current = new ThreadLocal<>();
    private volatile BiConsumer<String, Object> insertListener = (ns, id) -> { };

    /**
     * Hears the namespace and {@code _id} of every document a client's command inserts (not internal
     * writes), as it is inserted, under the data lock: query cursors read on past such documents.
     */
    public void onInsert(BiConsumer<String, Object> listener) {
        this.insertListener = listener;
    }

    /** Runs {@code action}, appending the writes it makes on this thread to {@code into}. */
    public <T> T record(List<Write> into, Supplier<T> action) {
        List<Write> outer = current.get();
        current.set(into);
        try {
            return action.get();
        } finally {
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
        }
    }

    /** Runs {@code action} without recording (internal writes). */
    public <T> T silently(Supplier<T> action) {
        List<Write> outer = current.get();
        current.remove();
        try {
            return action.get();
        } finally {
            if (outer != null) {
                current.set(outer);
            }
        }
    }

    public void inserted(String ns, Document document) {
        List<Write> writes = listening(ns);
        if (writes != null) {
            writes.add(new Write(ns, document.get("_id"), null, Bson.encode(document)));
            insertListener.accept(ns, document.get("_id"));
        }
    }

    public void updated(String ns, Document before, Document after) {
        List<Write> writes = listening(ns);
        if (writes != null) {
            writes.add(new Write(ns, before.get("_id"), Bson.encode(before), Bson.encode(after)));
        }
    }

    public void deleting(String ns, Document document) {
        List<Write> writes = listening(ns);
        if (writes != null) {
            writes.add(new Write(ns, document.get("_id"), Bson.encode(document), null));
        }
    }

    private List<Write> listening(String ns) {
        List<Write> writes = current.get();
        if (writes == null || isInternal(ns)) {
            return null;
        }
        return writes;
    }

    /** Namespaces the server keeps for itself: {@code system.*} collections and the {@code local} database. */
    public static boolean isInternal(String ns) {
        int dot = ns.indexOf('.');
        String db = dot < 0 ? ns : ns.substring(0, dot);
        return db.equals("local") || (dot >= 0 && ns.startsWith("system.", dot + 1));
    }
}
