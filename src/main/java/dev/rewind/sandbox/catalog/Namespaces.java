package dev.rewind.sandbox.catalog;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.oplog.Op;
import java.util.List;
import java.util.UUID;

/**
 * Namespaces as a command needs them: the storage collection behind "db.name" (mongo-java-server's)
 * together with its {@link Catalog} entry, created implicitly on first write as mongod does
 * (with a {@code create} change, which change streams show as an expanded event).
 */
public final class Namespaces {
    /** The {@code _id} index every collection is created with, as {@code listIndexes} and events show it. */
    /** The channel the sandbox's own calls into mongo-java-server go through (it keys per-connection state by channel). */
    public static final io.netty.channel.Channel INTERNAL = new io.netty.channel.embedded.EmbeddedChannel();

    public static final Document ID_INDEX = new Document("v", 2).append("key", new Document("_id", 1)).append("name", "_id_");

    private final AbstractMongoBackend backend;
    private final Catalog catalog;

    public Namespaces(AbstractMongoBackend backend, Catalog catalog) {
        this.backend = backend;
        this.catalog = catalog;
    }

    public Catalog catalog() {
        return catalog;
    }

    public AbstractMongoBackend backend() {
        return backend;
    }

    /** The storage collection, or null when it does not exist. */
    public MongoCollection<?> existing(String ns) {
        MongoDatabase db = database(ns);
        return db == null ? null : db.resolveCollection(collectionName(ns), false);
    }

    /** The database, or null when nothing has ever been written to it. */
    public MongoDatabase database(String ns) {
        String db = dbName(ns);
        return backend.resolveDatabase(db);
    }

    /** The catalog entry of a namespace that exists (a collection, a view, a time-series collection); null otherwise. */
    public Catalog.Entry entry(String ns) {
        Catalog.Entry e = catalog.get(ns);
        if (e != null) {
            return e;
        }
        return existing(ns) == null ? null : catalog.collection(ns);
    }

    /**
     * The collection to write to, created now (adding its {@code create} change to {@code ops}) if
     * it does not exist; a view refuses writes.
     */
    public MongoCollection<?> forWrite(String ns, List<Op> ops) {
        check(ns);
        Catalog.Entry e = catalog.get(ns);
        if (e != null && e.type() == Catalog.Type.VIEW) {
            throw ServerError.notSupportedOnView(ns);
        }
        MongoCollection<?> existing = existing(ns);
        if (existing != null) {
            catalog.collection(ns);
            return existing;
        }
        return create(ns, new Document(), CollectionOptions.withDefaults(), ops);
    }

    /** Creates a collection with {@code options} (as listCollections will show them). */
    public MongoCollection<?> create(String ns, Document options, CollectionOptions storage, List<Op> ops) {
        MongoCollection<?> c = database(ns).createCollectionOrThrowIfExists(collectionName(ns), storage);
        Catalog.Entry entry = new Catalog.Entry(ns, Catalog.Type.COLLECTION, UUID.randomUUID(), options);
        catalog.put(entry);
        // the create oplog entry's o is {create, <options>, idIndex} (src/mongo/db/repl/oplog_entry.cpp,
        // makeCreateCollCmdObj); the event's operationDescription is o without 'create'
        Document description = new Document(options);
        description.put("idIndex", new Document(ID_INDEX));
        ops.add(new Op(Op.Kind.CREATE, ns, entry.uuid(), null, null, null, description, null));
        return c;
    }

    /** Refuses names mongod refuses. */
    public static void check(String ns) {
        int dot = ns.indexOf('.');
        String coll = dot < 0 ? "" : ns.substring(dot + 1);
        if (dot <= 0 || coll.isEmpty() || coll.contains("$") || coll.startsWith(".")) {
            throw new ServerError(73, "InvalidNamespace", "Invalid namespace specified '" + ns + "'");
        }
    }

    public static String dbName(String ns) {
        int dot = ns.indexOf('.');
        return dot < 0 ? ns : ns.substring(0, dot);
    }

    public static String collectionName(String ns) {
        return ns.substring(ns.indexOf('.') + 1);
    }
}
