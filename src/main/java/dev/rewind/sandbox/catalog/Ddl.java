package dev.rewind.sandbox.catalog;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.oplog.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The catalog commands: {@code create} (collections, views, time-series collections), {@code drop},
 * {@code dropDatabase}, {@code renameCollection}, {@code createIndexes}, {@code dropIndexes} and
 * {@code collMod}. Each changes storage and the {@link Catalog}, and returns the changes to write to
 * the oplog (a change stream shows them as {@code drop}, {@code rename}, {@code dropDatabase}, and
 * with {@code showExpandedEvents} as {@code create}, {@code createIndexes}, {@code dropIndexes},
 * {@code modify}). Options the sandbox does not enforce are refused, never accepted and ignored.
 * The caller holds the data lock.
 */
public final class Ddl {
    /** {@code create} options the sandbox keeps and honours. */
    private static final Set<String> CREATE_OPTIONS = Set.of("changeStreamPreAndPostImages", "timeseries",
            "expireAfterSeconds", "viewOn", "pipeline", "validator", "validationLevel", "validationAction",
            "storageEngine", "indexOptionDefaults");
    private static final Set<String> COLLMOD_OPTIONS = Set.of("changeStreamPreAndPostImages", "validator",
            "validationLevel", "validationAction", "expireAfterSeconds", "viewOn", "pipeline");

    private final Namespaces namespaces;
    private final MongoRelease release;
    private final IndexCommands indexCommands;

    public Ddl(Namespaces namespaces, MongoRelease release) {
        this.namespaces = namespaces;
        this.release = release;
        this.indexCommands = new IndexCommands(namespaces, this);
    }

    private Catalog catalog() {
        return namespaces.catalog();
    }

    public Document create(String db, Document cmd, List<Op> ops) {
        String ns = db + "." + cmd.get("create");
        Namespaces.check(ns);
        Document options = new Document();
        for (var e : cmd.entrySet()) {
            if (e.getKey().equals("create")) {
                continue;
            }
            if (e.getKey().equals("capped") && Boolean.FALSE.equals(e.getValue())) {
                continue;  // the default, which drivers send (mongod's CollectionOptions does not keep it)
            }
            if (e.getKey().equals("idIndex")) {
                checkIdIndex(e.getValue(), cmd);
                continue;  // the default _id index, which every collection has; mongorestore sends it from metadata.json
            }
            if (!CREATE_OPTIONS.contains(e.getKey())) {
                throw ServerError.notSupported("the create option '" + e.getKey() + "'");
            }
            options.put(e.getKey(), e.getValue());
        }
        withoutDisabledImages(options);
        if (options.containsKey("validator") || options.containsKey("validationLevel") || options.containsKey("validationAction")) {
            throw ServerError.notSupported("document validation (validator) — the sandbox would not enforce it");
        }
        if (catalog().get(ns) != null || namespaces.existing(ns) != null) {
            throw new ServerError(48, "NamespaceExists", "Collection " + ns + " already exists.");
        }
        if (options.get("viewOn") != null) {
            createView(ns, options, ops);
        } else if (options.get("timeseries") instanceof Document ts) {
            createTimeSeries(ns, ts, options, ops);
        } else {
            if (options.containsKey("pipeline")) {
                throw ServerError.invalidOptions("'pipeline' requires 'viewOn' to also be specified");
            }
            namespaces.create(ns, options, CollectionOptions.withDefaults(), ops);
        }
        return ok(new Document());
    }

    /**
     * The {@code idIndex} option of {@code create} (manual, "create": "Specifies a custom
     * configuration for the _id index"): the sandbox accepts the only one it has, {@code {_id: 1}}
     * named {@code _id_}; mongod answers BadValue for another key pattern (index_key_validate.cpp).
     */
    private static void checkIdIndex(Object value, Document cmd) {
        if (!(value instanceof Document spec)) {
            throw ServerError.typeMismatch("'idIndex' option must be an object");
        }
        if (cmd.get("viewOn") != null || cmd.get("timeseries") != null) {
            throw ServerError.invalidOptions("'idIndex' is not allowed with '" + (cmd.get("viewOn") != null ? "viewOn" : "timeseries") + "'");
        }
        Object key = spec.get("key");
        if (!(key instanceof Document k) || k.size() != 1 || !(k.get("_id") instanceof Number n) || n.doubleValue() != 1) {
            throw ServerError.badValue("The field 'key' for an _id index must be {_id: 1}, but got " + key);
        }
        for (String field : spec.keySet()) {
            if (!Set.of("key", "name", "v", "ns").contains(field)) {
                throw ServerError.notSupported("the idIndex field '" + field + "'");
            }
        }
        if (spec.get("name") != null && !"_id_".equals(spec.get("name"))) {
            throw ServerError.notSupported("an _id index named '" + spec.get("name") + "'");
        }
    }

    private void createView(String ns, Document options, List<Op> ops) {
        if (!(options.get("viewOn") instanceof String on) || on.isEmpty()) {
            throw ServerError.typeMismatch("'viewOn' option must be a string");
        }
        Object pipeline = options.getOrDefault("pipeline", List.of());
        if (!(pipeline instanceof List<?>)) {
            throw ServerError.typeMismatch("'pipeline' option must be an array");
        }
        Document viewOptions = new Document("viewOn", on).append("pipeline", pipeline);
        catalog().put(new Catalog.Entry(ns, Catalog.Type.VIEW, null, viewOptions));
        ops.add(new Op(Op.Kind.CREATE, ns, null, null, null, null, new Document(viewOptions), null));
    }

    private void createTimeSeries(String ns, Document ts, Document options, List<Op> ops) {
        if (!(ts.get("timeField") instanceof String)) {
            throw ServerError.badValue("'timeseries.timeField' is required and must be a string");
        }
        Document full = new Document("timeField", ts.get("timeField"));
        if (ts.get("metaField") != null) {
            full.put("metaField", ts.get("metaField"));
        }
        String granularity = ts.get("granularity") == null ? "seconds" : ts.get("granularity").toString();
        full.put("granularity", granularity);
        full.put("bucketMaxSpanSeconds", switch (granularity) {
            case "minutes" -> 86_400;
            case "hours" -> 2_592_000;
            default -> 3600;
        });
        Document listed = new Document("timeseries", full);
        if (options.get("expireAfterSeconds") != null) {
            listed.put("expireAfterSeconds", options.get("expireAfterSeconds"));
        }
        namespaces.database(ns).createCollectionOrThrowIfExists(Namespaces.collectionName(ns), CollectionOptions.withDefaults());
        catalog().put(new Catalog.Entry(ns, Catalog.Type.TIMESERIES, UUID.randomUUID(), listed));
        // mongod creates system.buckets.<name> (which streams do not show) and a view on it, which whole-database
        // and deployment streams show as a create under showExpandedEvents (change_stream_event_transform.cpp,
        // ChangeStreamViewDefinitionEventTransformation)
        Document unpack = new Document("timeField", full.get("timeField"));
        if (full.get("metaField") != null) {
            unpack.put("metaField", full.get("metaField"));
        }
        unpack.put("bucketMaxSpanSeconds", full.get("bucketMaxSpanSeconds"));
        ops.add(new Op(Op.Kind.CREATE, ns, null, null, null, null, new Document("viewOn",
                "system.buckets." + Namespaces.collectionName(ns)).append("pipeline",
                List.of(new Document("$_internalUnpackBucket", unpack))), null));
    }

    public Document drop(String db, Document cmd, List<Op> ops) {
        String ns = db + "." + cmd.get("drop");
        Catalog.Entry e = namespaces.entry(ns);
        if (e == null) {
            if (release.dropOfMissingSucceeds()) {
                return ok(new Document("ns", ns));
            }
            throw ServerError.namespaceNotFound("ns not found");
        }
        int indexes = 0;
        if (e.type() != Catalog.Type.VIEW) {
            MongoCollection<?> coll = namespaces.existing(ns);
            indexes = coll == null ? 0 : coll.getNumIndexes();
            if (coll != null) {
                namespaces.database(ns).dropCollection(Namespaces.collectionName(ns), NoopOplog.get());
            }
        }
        catalog().remove(ns);
        // a view's or a time-series collection's drop is the removal of a view: no UUID, an expanded event
        ops.add(new Op(Op.Kind.DROP, ns, e.type() == Catalog.Type.COLLECTION ? e.uuid() : null, null, null, null, null, null));
        return ok(new Document("nIndexesWas", indexes).append("ns", ns));
    }

    public Document dropDatabase(String db, List<Op> ops) {
        MongoDatabase database = namespaces.database(db);
        List<String> names = new ArrayList<>();
        for (Catalog.Entry e : catalog().of(db)) {
            names.add(e.ns());
        }
        for (String name : storageCollections(database)) {
            if (!names.contains(db + "." + name)) {
                names.add(db + "." + name);
            }
        }
        for (String ns : names) {
            drop(db, new Document("drop", Namespaces.collectionName(ns)), ops);
        }
        namespaces.backend().dropDatabase(db);
        ops.add(new Op(Op.Kind.DROP_DATABASE, db, null, null, null, null, null, null));
        return ok(new Document("dropped", db));
    }

    public Document rename(Document cmd, List<Op> ops) {
        String from = String.valueOf(cmd.get("renameCollection"));
        String to = String.valueOf(cmd.get("to"));
        boolean dropTarget = Boolean.TRUE.equals(cmd.get("dropTarget"));
        Namespaces.check(from);
        Namespaces.check(to);
        if (!Namespaces.dbName(from).equals(Namespaces.dbName(to))) {
            // mongod copies the documents into a temporary collection of the target database, renames it and
            // drops the source (manual, renameCollection; SERVER-62556: the copies are insert events)
            throw ServerError.notSupported("renameCollection across databases (mongod's copy into a temporary "
                    + "collection, its insert events and the drop of the source are not emulated)");
        }
        Catalog.Entry source = namespaces.entry(from);
        if (source == null) {
            throw ServerError.namespaceNotFound("Source collection " + from + " does not exist");
        }
        if (source.type() == Catalog.Type.VIEW) {
            throw ServerError.notSupportedOnView(from);
        }
        if (source.type() == Catalog.Type.TIMESERIES) {
            throw new ServerError(72, "IllegalOperation", "Renaming a time-series collection is not allowed: " + from);
        }
        if (from.equals(to)) {
            throw new ServerError(20, "IllegalOperation", "Can't rename a collection to itself");
        }
        Catalog.Entry target = namespaces.entry(to);
        Document description = new Document("to", nsDocument(to));
        if (target != null) {
            if (!dropTarget) {
                throw new ServerError(48, "NamespaceExists", "target namespace exists");
            }
            if (target.type() != Catalog.Type.COLLECTION) {
                throw ServerError.notSupportedOnView(to);
            }
            namespaces.database(to).dropCollection(Namespaces.collectionName(to), NoopOplog.get());
            catalog().remove(to);
            description.put("dropTarget", target.uuid());
        }
        MongoCollection<?> coll = namespaces.existing(from);
        MongoDatabase fromDb = namespaces.database(from);
        MongoDatabase toDb = namespaces.database(to);
        toDb.moveCollection(fromDb, coll, Namespaces.collectionName(to));
        catalog().remove(from);
        catalog().put(source.renamed(to));
        ops.add(new Op(Op.Kind.RENAME, from, source.uuid(), null, null, null, description, to));
        return ok(new Document());
    }

    public Document createIndexes(String db, Document cmd, List<Op> ops) {
        return indexCommands.createIndexes(db, cmd, ops);
    }

    public Document dropIndexes(String db, Document cmd, List<Op> ops) {
        return indexCommands.dropIndexes(db, cmd, ops);
    }

    public Document collMod(String db, Document cmd, List<Op> ops) {
        String ns = db + "." + cmd.get("collMod");
        Catalog.Entry e = namespaces.entry(ns);
        if (e == null) {
            throw ServerError.namespaceNotFound("ns does not exist: " + ns);
        }
        Document changes = new Document();
        for (var c : cmd.entrySet()) {
            if (c.getKey().equals("collMod")) {
                continue;
            }
            if (c.getKey().equals("index")) {
                if (cmd.size() != 2) {
                    throw ServerError.notSupported("collMod of an index together with other options");
                }
                return indexCommands.modifyIndex(ns, e, cmd.get("index"), ops);
            }
            if (!COLLMOD_OPTIONS.contains(c.getKey())) {
                throw ServerError.invalidOptions("unknown collMod option: " + c.getKey());
            }
            changes.put(c.getKey(), c.getValue());
        }
        if (changes.containsKey("validator") || changes.containsKey("validationLevel") || changes.containsKey("validationAction")) {
            throw ServerError.notSupported("document validation (validator) — the sandbox would not enforce it");
        }
        if ((changes.containsKey("viewOn") || changes.containsKey("pipeline")) != (e.type() == Catalog.Type.VIEW)) {
            throw ServerError.invalidOptions("viewOn and pipeline can only be modified on a view");
        }
        // o2.collectionOptions_old is CollectionOptions::toBSON() of the old options, which starts with the
        // collection's uuid (src/mongo/db/op_observer/op_observer_impl.cpp onCollMod, collection_options.cpp appendBSON)
        Document before = new Document();
        if (e.uuid() != null) {
            before.put("uuid", e.uuid());
        }
        before.putAll(e.options());
        Document after = new Document(e.options());
        after.putAll(changes);
        withoutDisabledImages(after);
        catalog().put(e.withOptions(after));
        Document description = new Document(changes);
        ops.add(new Op(Op.Kind.MODIFY, ns, e.uuid(), null, null, null,
                description.append("$stateBeforeChange", new Document("collectionOptions", before)), null));
        return ok(new Document());
    }

    /**
     * mongod keeps {@code changeStreamPreAndPostImages} among a collection's options only while it is
     * enabled (CollectionOptions::appendBSON: {@code if (changeStreamPreAndPostImagesOptions.getEnabled())}).
     */
    private static void withoutDisabledImages(Document options) {
        if (options.get("changeStreamPreAndPostImages") instanceof Document d && !Boolean.TRUE.equals(d.get("enabled"))) {
            options.remove("changeStreamPreAndPostImages");
        }
    }

    /** The index specifications of a collection, as listIndexes gives them. */
    public List<Document> indexes(String ns) {
        Document reply = namespaces.database(ns).handleCommand(Namespaces.INTERNAL, "listIndexes",
                new Document("listIndexes", Namespaces.collectionName(ns)), namespaces.backend()::resolveDatabase, NoopOplog.get());
        List<Document> out = new ArrayList<>();
        if (reply.get("cursor") instanceof Document c && c.get("firstBatch") instanceof List<?> batch) {
            for (Object o : batch) {
                out.add((Document) o);
            }
        }
        return out;
    }

    /** The collection names storage holds for a database (system collections left out). */
    public List<String> storageCollections(MongoDatabase database) {
        Document reply = database.handleCommand(Namespaces.INTERNAL, "listCollections", new Document("listCollections", 1),
                namespaces.backend()::resolveDatabase, NoopOplog.get());
        List<String> out = new ArrayList<>();
        if (reply.get("cursor") instanceof Document c && c.get("firstBatch") instanceof List<?> batch) {
            for (Object o : batch) {
                String name = (String) ((Document) o).get("name");
                if (!name.startsWith("system.")) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    static Document nsDocument(String ns) {
        return new Document("db", Namespaces.dbName(ns)).append("coll", Namespaces.collectionName(ns));
    }

    static Document ok(Document d) {
        d.put("ok", 1.0);
        return d;
    }
}
