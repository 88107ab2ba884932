package dev.rewind.sandbox;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's memory and H2 backends, with collections that hand each updated or deleted
 * document's exact images to {@link ChangeImages} at the moment they are written, and an oplog
 * collection that reports each appended entry (see ChangeImages for how the two meet).
 *
 * <p>The hooks are the backend's own storage methods: {@code handleUpdate(position, before,
 * after)} (called after every update or replace that changes a document, with a copy of the old
 * document and the stored new one) and {@code removeDocument(position)}. Inserts only pay a
 * field test in {@code addDocumentInternal}. The backend's constructors open databases and
 * collections before a subclass's fields are set, so the images are reached through a supplier
 * and the databases defer {@code initializeNamespacesAndIndexes} until they are ready.
 *
 * <p>Replacements keep the replacement's field order, as mongod stores them: the backend applies a
 * replacement by keeping the old document's field positions (right for update operators, wrong for a
 * replacement), so the collections remember the replacement of the write in progress and reorder
 * the new document before it is stored.
 */
final class CapturingBackends {
    private static final String OPLOG = "local.oplog.rs";

    private CapturingBackends() { }

    static AbstractMongoBackend memory(ChangeImages images) {
        return new Memory(images);
    }

    static AbstractMongoBackend h2(String file, ChangeImages images) {
        return new H2(file, images);
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

    private static final class Memory extends MemoryBackend {
        private final ChangeImages images;

        Memory(ChangeImages images) {
            this.images = images;
        }

        @Override
        public MemoryDatabase openOrCreateDatabase(String name) {
            return new MemoryDb(name, getCursorRegistry(), () -> images);
        }
    }

    private static final class MemoryDb extends MemoryDatabase {
        private final Supplier<ChangeImages> images;
        private final boolean ready;

        MemoryDb(String name, CursorRegistry cursors, Supplier<ChangeImages> images) {
            super(name, cursors);
            this.images = images;
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
            return new MemoryColl(this, name, options, cursorRegistry, images);
        }
    }


    /**
     * What both backends' collections do around their storage calls; each collection subclass only
     * delegates to it (their base classes differ, so they cannot share a superclass).
     */
    static final class ImageHooks {
        private final ThreadLocal<Document> replacing = new ThreadLocal<>();
        private final Supplier<ChangeImages> images;
        private final String ns;
        private final boolean oplog;

        ImageHooks(String ns, Supplier<ChangeImages> images) {
            this.ns = ns;
            this.images = images;
            this.oplog = OPLOG.equals(ns);
        }

        void added(Document document) {
            if (oplog) {
                images.get().oplogEntryWritten(document);
            }
        }

        Document updating(Document update, Supplier<Document> run) {
            replacing.set(replacementOf(update));
            try {
                return run.get();
            } finally {
                replacing.remove();
            }
        }

        void updated(Document before, Document after) {
            if (replacing.get() != null) {
                orderAs(after, replacing.get());
            }
            images.get().updated(ns, before, after);
        }

        void deleting(Document document) {
            images.get().deleting(ns, document);
        }
    }

    private static final class MemoryColl extends MemoryCollection {
        private final ImageHooks hooks;

        MemoryColl(MongoDatabase db, String name, CollectionOptions options, CursorRegistry cursors,
                   Supplier<ChangeImages> images) {
            super(db, name, options, cursors);
            this.hooks = new ImageHooks(getFullName(), images);
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
        private final ChangeImages images;

        H2(String file, ChangeImages images) {
            super(file);
            this.images = images;
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String name) {
            // Called from H2Backend's constructor (for the databases in the file) before
            // this.images is set: the supplier reads it only when something is written.
            return new H2Db(name, getMvStore(), getCursorRegistry(), () -> images);
        }
    }

    private static final class H2Db extends H2Database {
        private final MVStore store;
        private final Supplier<ChangeImages> images;
        private final boolean ready;

        H2Db(String name, MVStore store, CursorRegistry cursors, Supplier<ChangeImages> images) {
            super(name, store, cursors);
            this.store = store;
            this.images = images;
            this.ready = true;
            initializeNamespacesAndIndexes();
        }

        @Override
        protected void initializeNamespacesAndIndexes() {
            if (ready) {
                super.initializeNamespacesAndIndexes();
            }
        }

        /** As H2Database does (same map names), with a capturing collection. */
        @Override
        protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
            String fullName = getFullCollectionNamespace(name);
            MVMap<Object, Document> data = store.openMap("databases." + fullName);
            MVMap<String, Object> meta = store.openMap("meta." + fullName);
            return new H2Coll(this, name, options, data, meta, cursorRegistry, images);
        }
    }

    private static final class H2Coll extends H2Collection {
        private final ImageHooks hooks;

        H2Coll(MongoDatabase db, String name, CollectionOptions options, MVMap<Object, Document> data,
               MVMap<String, Object> meta, CursorRegistry cursors, Supplier<ChangeImages> images) {
            super(db, name, options, data, meta, cursors);
            this.hooks = new ImageHooks(getFullName(), images);
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
