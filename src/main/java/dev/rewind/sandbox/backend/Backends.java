package dev.rewind.sandbox.backend;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import dev.rewind.sandbox.write.WriteRecorder;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's memory and H2 storage, with collections that report every document they
 * store, change or remove to a {@link WriteRecorder}, with its exact images, at the moment it
 * happens.
 *
 * <p>The hooks are the storage methods of the backend: {@code addDocumentInternal} (every insert,
 * upserts included), {@code handleUpdate(position, before, after)} (every update or replace that
 * changes a document) and {@code removeDocument(position)}. The backends' constructors open
 * databases and collections before a subclass's fields are set, so the recorder is reached
 * through a supplier and the databases defer {@code initializeNamespacesAndIndexes} until ready.
 *
 * <p>Replacements keep the replacement's field order, as mongod stores them: the backend applies
 * a replacement by keeping the old document's field positions (right for update operators, wrong
 * for a replacement), so the collections remember the replacement of the write in progress and
 * reorder the new document before it is stored.
 *
 * <p>Queries with a top-level {@code $or} whose every clause an index answers, and queries with
 * equality on every field of a unique index beside other conditions, go through those indexes
 * ({@link IndexCandidates}), as mongod plans them, instead of a scan.
 */
public final class Backends {
    private Backends() { }

    /** An in-memory backend. */
    public static AbstractMongoBackend memory(WriteRecorder recorder) {
        return new Memory(recorder);
    }

    /** A backend kept in an H2 MVStore file. */
    public static H2Backend h2(String file, WriteRecorder recorder) {
        return new H2(file, recorder);
    }

    /**
     * The stored document with this {@code _id}, through the {@code _id} index (a position, then the
     * document: no query planning), or null; a collection without one is queried. The document is
     * the stored one, not a copy: read it under the data lock and change nothing in it.
     */
    public static Document byId(MongoCollection<?> collection, Object id) {
        return collection instanceof ById direct ? direct.byId(id) : query(collection, id);
    }

    private static Document query(MongoCollection<?> collection, Object id) {
        Document d = null;
        for (Document found : collection.handleQuery(new Document("_id", id))) {
            d = found;
        }
        return d;
    }

    /** Both backends' collections: a document by its {@code _id}. */
    private interface ById {
        Document byId(Object id);
    }

    private static <P> Document byId(MongoCollection<P> collection, Object id, Function<P, Document> document) {
        for (Index<P> index : collection.getIndexes()) {
            if (index.getName().equals("_id_")) {
                P position = index.getPosition(new Document("_id", id));
                return position == null ? null : document.apply(position);
            }
        }
        return query(collection, id);
    }

    private static final ThreadLocal<Document> REPLACING = new ThreadLocal<>();

    /** Whether an update document is a replacement (no operator at its top level). */
    public static boolean isReplacement(Document update) {
        return replacementOf(update) != null;
    }

    /**
     * Runs a write that may replace documents with {@code update} (null: not a replacement), so that
     * the stored replacement keeps the replacement's field order.
     */
    public static <T> T whileReplacing(Document update, Supplier<T> run) {
        Document outer = REPLACING.get();
        REPLACING.set(update == null ? null : replacementOf(update));
        try {
            return run.get();
        } finally {
            REPLACING.set(outer);
        }
    }

    /** The replacement document of a write, or null for update operators. */
    static Document replacementOf(Document update) {
        for (String k : update.keySet()) {
            if (k.startsWith("$")) {
                return null;
            }
        }
        return update;
    }

    /** Puts {@code stored}'s fields in the replacement's order, {@code _id} first, as mongod stores a replacement. */
    static void orderAs(Document stored, Document replacement) {
        Document copy = new Document(stored);
        stored.clear();
        if (copy.containsKey("_id")) {
            stored.put("_id", copy.remove("_id"));
        }
        for (String k : replacement.keySet()) {
            if (copy.containsKey(k)) {
                stored.put(k, copy.remove(k));
            }
        }
        stored.putAll(copy);
    }

    /** What both backends' collections do around their storage calls (their base classes differ). */
    static final class Hooks {
        private final Supplier<WriteRecorder> recorder;
        private final MongoCollection<?> collection;

        Hooks(MongoCollection<?> collection, Supplier<WriteRecorder> recorder) {
            this.collection = collection;
            this.recorder = recorder;
        }

        void added(Document document) {
            recorder.get().inserted(collection.getFullName(), document);
        }

        Document updating(Document update, Supplier<Document> run) {
            return whileReplacing(update, run);
        }

        void updated(Document before, Document after) {
            if (REPLACING.get() != null) {
                orderAs(after, REPLACING.get());
            }
            recorder.get().updated(collection.getFullName(), before, after);
        }

        void deleting(Document document) {
            recorder.get().deleting(collection.getFullName(), document);
        }
    }

    private static final class Memory extends MemoryBackend {
        private final WriteRecorder recorder;

        Memory(WriteRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public MemoryDatabase openOrCreateDatabase(String name) {
            return new MemoryDb(name, getCursorRegistry(), () -> recorder);
        }
    }

    private static final class MemoryDb extends MemoryDatabase {
        private final Supplier<WriteRecorder> recorder;
        private final boolean ready;

        MemoryDb(String name, CursorRegistry cursors, Supplier<WriteRecorder> recorder) {
            super(name, cursors);
            this.recorder = recorder;
            this.ready = true;
            initializeNamespacesAndIndexes();
        }

        @Override
        protected void initializeNamespacesAndIndexes() {
            if (ready) {
                super.initializeNamespacesAndIndexes();
            }
        }

        @Override
        protected MemoryCollection openOrCreateCollection(String name, CollectionOptions options) {
            return new MemoryColl(this, name, options, cursorRegistry, recorder);
        }

        @Override
        protected Index<Integer> openOrCreateUniqueIndex(String collection, String name, List<IndexKey> keys, boolean sparse) {
            return new SpreadUniqueIndex(name, keys, sparse);
        }
    }

    private static final class MemoryColl extends MemoryCollection implements ById {
        private final Hooks hooks;

        MemoryColl(MongoDatabase db, String name, CollectionOptions options, CursorRegistry cursors,
                   Supplier<WriteRecorder> recorder) {
            super(db, name, options, cursors);
            this.hooks = new Hooks(this, recorder);
        }

        @Override
        public Document byId(Object id) {
            return Backends.byId(this, id, this::getDocument);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                             Document fields) {
            Iterable<Integer> candidates = IndexCandidates.candidates(query, getIndexes());
            return candidates == null ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fields)
                    : matchDocuments(query, candidates, orderBy, skip, limit, batchSize, fields);
        }

        @Override
        protected Integer addDocumentInternal(Document document) {
            Integer position = super.addDocumentInternal(document);
            hooks.added(document);
            return position;
        }

        @Override
        public Document updateDocuments(Document selector, Document update, ArrayFilters filters, boolean multi,
                                        boolean upsert, Oplog log) {
            return hooks.updating(update, () -> super.updateDocuments(selector, update, filters, multi, upsert, log));
        }

        @Override
        protected void handleUpdate(Integer position, Document before, Document after) {
            hooks.updated(before, after);
            super.handleUpdate(position, before, after);
        }

        @Override
        protected void removeDocument(Integer position) {
            hooks.deleting(getDocument(position));
            super.removeDocument(position);
        }
    }

    private static final class H2 extends H2Backend {
        private final WriteRecorder recorder;

        H2(String file, WriteRecorder recorder) {
            super(file);
            this.recorder = recorder;
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String name) {
            // Called from H2Backend's constructor (for the databases in the file) before
            // this.recorder is set: the supplier reads it only when something is written.
            return new H2Db(name, getMvStore(), getCursorRegistry(), () -> recorder);
        }
    }

    private static final class H2Db extends H2Database {
        private final MVStore store;
        private final Supplier<WriteRecorder> recorder;
        private final boolean ready;

        H2Db(String name, MVStore store, CursorRegistry cursors, Supplier<WriteRecorder> recorder) {
            super(name, store, cursors);
            this.store = store;
            this.recorder = recorder;
            this.ready = true;
            initializeNamespacesAndIndexes();
        }

        @Override
        protected void initializeNamespacesAndIndexes() {
            if (ready) {
                super.initializeNamespacesAndIndexes();
            }
        }

        /** As H2Database does (same map names), with a recording collection. */
        @Override
        protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
            String fullName = getFullCollectionNamespace(name);
            MVMap<Object, Document> data = store.openMap("databases." + fullName);
            MVMap<String, Object> meta = store.openMap("meta." + fullName);
            return new H2Coll(this, name, options, data, meta, cursorRegistry, recorder);
        }
    }

    private static final class H2Coll extends H2Collection implements ById {
        private final Hooks hooks;

        H2Coll(MongoDatabase db, String name, CollectionOptions options, MVMap<Object, Document> data,
               MVMap<String, Object> meta, CursorRegistry cursors, Supplier<WriteRecorder> recorder) {
            super(db, name, options, data, meta, cursors);
            this.hooks = new Hooks(this, recorder);
        }

        @Override
        public Document byId(Object id) {
            return Backends.byId(this, id, this::getDocument);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                             Document fields) {
            Iterable<Object> candidates = IndexCandidates.candidates(query, getIndexes());
            return candidates == null ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fields)
                    : matchDocuments(query, candidates, orderBy, skip, limit, batchSize, fields);
        }

        @Override
        protected Object addDocumentInternal(Document document) {
            Object position = super.addDocumentInternal(document);
            hooks.added(document);
            return position;
        }

        @Override
        public Document updateDocuments(Document selector, Document update, ArrayFilters filters, boolean multi,
                                        boolean upsert, Oplog log) {
            return hooks.updating(update, () -> super.updateDocuments(selector, update, filters, multi, upsert, log));
        }

        @Override
        protected void handleUpdate(Object position, Document before, Document after) {
            hooks.updated(before, after);
            super.handleUpdate(position, before, after);
        }

        @Override
        protected void removeDocument(Object position) {
            hooks.deleting(getDocument(position));
            super.removeDocument(position);
        }
    }
}
