package dev.rewind.sandbox.catalog;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.oplog.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code createIndexes} and {@code dropIndexes}, with the oplog changes mongod logs for them: one
 * {@code createIndexes} entry per index on an empty collection (createIndexesOnEmptyCollection), one
 * {@code commitIndexBuild} entry for all the indexes of a build on a non-empty one, one
 * {@code dropIndexes} entry per dropped index (OpObserverImpl::onDropIndex). Index options the
 * sandbox does not enforce are refused. The caller holds the data lock.
 */
final class IndexCommands {
    private static final Set<String> INDEX_OPTIONS = Set.of("key", "name", "unique", "sparse", "v", "background",
            "expireAfterSeconds", "ns");

    private final Namespaces namespaces;
    private final Ddl ddl;

    IndexCommands(Namespaces namespaces, Ddl ddl) {
        this.namespaces = namespaces;
        this.ddl = ddl;
    }

    Document createIndexes(String db, Document cmd, List<Op> ops) {
        String ns = db + "." + cmd.get("createIndexes");
        if (!(cmd.get("indexes") instanceof List<?> specs) || specs.isEmpty()) {
            throw ServerError.badValue("Must specify at least one index to create");
        }
        Catalog.Entry e = namespaces.catalog().get(ns);
        if (e != null && e.type() == Catalog.Type.VIEW) {
            throw ServerError.notSupportedOnView(ns);
        }
        List<Document> wanted = new ArrayList<>();
        for (Object o : specs) {
            Document spec = (Document) o;
            for (String key : spec.keySet()) {
                if (!INDEX_OPTIONS.contains(key)) {
                    throw ServerError.notSupported("the index option '" + key + "'");
                }
            }
            if (!(spec.get("key") instanceof Document key) || key.isEmpty()) {
                throw ServerError.badValue("index specification must have a non-empty 'key'");
            }
            for (Object direction : key.values()) {
                if (!(direction instanceof Number n) || (n.doubleValue() != 1 && n.doubleValue() != -1)) {
                    throw ServerError.notSupported("index type " + direction + " (only ascending and descending keys)");
                }
            }
            if (!(spec.get("name") instanceof String)) {
                throw ServerError.badValue("index specification must have a 'name'");
            }
            wanted.add(spec);
        }
        boolean created = namespaces.existing(ns) == null;
        MongoCollection<?> coll = namespaces.forWrite(ns, ops);
        int before = coll.getNumIndexes();
        boolean empty = coll.count() == 0;
        List<Document> existing = ddl.indexes(ns);
        List<Document> added = new ArrayList<>();
        for (Document spec : wanted) {
            Document match = existing.stream().filter(x -> x.get("name").equals(spec.get("name"))).findFirst().orElse(null);
            if (match == null) {
                Document stored = new Document("v", 2);
                spec.forEach((k, v) -> {
                    if (!k.equals("v") && !k.equals("ns") && !k.equals("background")) {
                        stored.put(k, v);
                    }
                });
                added.add(stored);
            }
        }
        if (!added.isEmpty()) {
            List<Document> toBackend = new ArrayList<>();
            for (Document a : added) {
                toBackend.add(new Document(a));
            }
            namespaces.database(ns).handleCommand(Namespaces.INTERNAL, "createIndexes", new Document("createIndexes",
                    Namespaces.collectionName(ns)).append("indexes", toBackend), namespaces.backend()::resolveDatabase,
                    NoopOplog.get());
            if (e == null || e.type() == Catalog.Type.COLLECTION) {
                // on an empty collection mongod logs one createIndexes entry per index
                // (createIndexesOnEmptyCollection); else one commitIndexBuild entry with all of them, one event
                UUID uuid = namespaces.catalog().collection(ns).uuid();
                if (empty) {
                    for (Document a : added) {
                        ops.add(new Op(Op.Kind.CREATE_INDEXES, ns, uuid, null, null, null,
                                new Document("indexes", List.of(a)), null));
                    }
                } else {
                    ops.add(new Op(Op.Kind.CREATE_INDEXES, ns, uuid, null, null, null, new Document("indexes", added), null));
                }
            }
        }
        Document reply = new Document("numIndexesBefore", before).append("numIndexesAfter", coll.getNumIndexes());
        if (created) {
            reply.put("createdCollectionAutomatically", true);
        }
        if (added.isEmpty()) {
            reply.put("note", "all indexes already exist");
        }
        return ok(reply);
    }

    /**
     * {@code collMod} with {@code index: {name | keyPattern, expireAfterSeconds}}: changes a TTL index's
     * expiry, or makes a single-field index a TTL index (manual, "collMod", "Change an Index's
     * expireAfterSeconds"; 5.1+). The modify event's {@code operationDescription} is {@code {index:
     * {name, expireAfterSeconds}}} and its {@code stateBeforeChange} holds the collection options and
     * {@code indexOptions} with the old expiry (manual, "Change Events", modify). The reply has
     * {@code expireAfterSeconds_old} and {@code expireAfterSeconds_new}. Other index options
     * ({@code hidden}, {@code unique}, {@code prepareUnique}) are refused.
     */
    Document modifyIndex(String ns, Catalog.Entry e, Object spec, List<Op> ops) {
        if (!(spec instanceof Document change)) {
            throw ServerError.badValue("'index' must be an object");
        }
        for (String key : change.keySet()) {
            if (!List.of("name", "keyPattern", "expireAfterSeconds").contains(key)) {
                throw ServerError.notSupported("collMod of an index's '" + key + "'");
            }
        }
        if (!(change.get("expireAfterSeconds") instanceof Number seconds)) {
            throw ServerError.invalidOptions("no expireAfterSeconds or hidden field");
        }
        Document index = ddl.indexes(ns).stream()
                .filter(i -> change.get("name") != null ? change.get("name").equals(i.get("name")) : i.get("key").equals(change.get("keyPattern")))
                .findFirst().orElse(null);
        if (index == null) {
            throw new ServerError(27, "IndexNotFound", "cannot find index " + (change.get("name") != null ? change.get("name")
                    : change.get("keyPattern")) + " for ns " + ns);
        }
        Document key = (Document) index.get("key");
        if (key.size() != 1 || key.containsKey("_id")) {
            throw ServerError.invalidOptions("TTL indexes are single-field indexes, compound indexes do not support TTL");
        }
        Object old = index.get("expireAfterSeconds");
        Document rebuilt = new Document(index);
        rebuilt.put("expireAfterSeconds", seconds.longValue());
        String coll = Namespaces.collectionName(ns);
        var database = namespaces.database(ns);
        database.handleCommand(Namespaces.INTERNAL, "dropIndexes", new Document("dropIndexes", coll).append("index", index.get("name")),
                namespaces.backend()::resolveDatabase, NoopOplog.get());
        rebuilt.remove("ns");
        database.handleCommand(Namespaces.INTERNAL, "createIndexes", new Document("createIndexes", coll).append("indexes", List.of(rebuilt)),
                namespaces.backend()::resolveDatabase, NoopOplog.get());
        Document before = new Document();
        if (e.uuid() != null) {
            before.put("uuid", e.uuid());
        }
        before.putAll(e.options());
        Document indexBefore = old == null ? new Document() : new Document("expireAfterSeconds", old);
        Document description = new Document("index", new Document("name", index.get("name")).append("expireAfterSeconds", seconds.longValue()));
        ops.add(new Op(Op.Kind.MODIFY, ns, e.uuid(), null, null, null, description.append("$stateBeforeChange",
                new Document("collectionOptions", before).append("indexOptions", indexBefore)), null));
        Document reply = new Document();
        if (old != null) {
            reply.put("expireAfterSeconds_old", old);
        }
        reply.put("expireAfterSeconds_new", seconds.longValue());
        return reply.append("ok", 1.0);
    }

    Document dropIndexes(String db, Document cmd, List<Op> ops) {
        String ns = db + "." + cmd.get("dropIndexes");
        Catalog.Entry e = namespaces.entry(ns);
        if (e == null) {
            throw ServerError.namespaceNotFound("ns not found " + ns);
        }
        Object which = cmd.get("index");
        List<Document> existing = ddl.indexes(ns);
        List<Document> dropped = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if ("*".equals(which)) {
            for (Document d : existing) {
                if (!"_id_".equals(d.get("name"))) {
                    dropped.add(d);
                }
            }
        } else {
            List<?> list = which instanceof List<?> l ? l : List.of(which);
            for (Object w : list) {
                Document match = existing.stream().filter(d -> w instanceof String s ? s.equals(d.get("name"))
                        : w.equals(d.get("key"))).findFirst().orElse(null);
                if (match == null) {
                    throw new ServerError(27, "IndexNotFound", "index not found with name [" + w + "]");
                }
                if ("_id_".equals(match.get("name"))) {
                    throw new ServerError(72, "InvalidOptions", "cannot drop _id index");
                }
                dropped.add(match);
            }
        }
        int before = existing.size();
        for (Document d : dropped) {
            names.add((String) d.get("name"));
            namespaces.database(ns).handleCommand(Namespaces.INTERNAL, "dropIndexes", new Document("dropIndexes",
                    Namespaces.collectionName(ns)).append("index", d.get("name")), namespaces.backend()::resolveDatabase,
                    NoopOplog.get());
        }
        // one dropIndexes oplog entry, so one event, per dropped index (OpObserverImpl::onDropIndex)
        for (Document d : dropped) {
            ops.add(new Op(Op.Kind.DROP_INDEXES, ns, e.uuid(), null, null, null, new Document("indexes", List.of(d)), null));
        }
        return ok(new Document("nIndexesWas", before));
    }

    private static Document ok(Document d) {
        return Ddl.ok(d);
    }
}
