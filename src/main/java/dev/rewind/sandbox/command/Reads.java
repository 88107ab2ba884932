package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.catalog.Catalog;
import dev.rewind.sandbox.catalog.Ddl;
import dev.rewind.sandbox.catalog.Namespaces;
import dev.rewind.sandbox.server.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The read commands, as mongod answers them where mongo-java-server does not: first batches of
 * 101 documents by default, no batch past 16 MiB and later ones filled to it ({@link Scans} for
 * queries, {@link BackendCursors} for mongo-java-server's own cursors), {@code $collStats}
 * ({@link CollStats}), {@code listCollections} with each namespace's kind, UUID and options
 * from the catalog (views and time-series collections included), {@code listIndexes} failing on a
 * missing collection, reads of a view run through its pipeline, finds and counts on
 * {@code local.oplog.rs} ({@link OplogReads}) and the other collections of {@code admin},
 * {@code config} and {@code local} ({@link SystemCollections}), and the {@code collStats} command.
 * The caller holds the data lock.
 */
final class Reads {
    static final int FIRST_BATCH_DEFAULT = 101;

    private final Namespaces namespaces;
    private final Ddl ddl;

    private final Scans scans;
    private final BackendCursors cursors = new BackendCursors();
    private final CollStats collStats;

    private final OplogReads oplogReads;
    private final SystemCollections system;

    Reads(Namespaces namespaces, Ddl ddl, dev.rewind.sandbox.oplog.Oplog oplog, SystemCollections system) {
        this.namespaces = namespaces;
        this.ddl = ddl;
        this.oplogReads = new OplogReads(oplog);
        this.system = system;
        this.scans = new Scans(namespaces);
        this.collStats = new CollStats(namespaces, ddl);
    }

    private AbstractMongoBackend backend() {
        return namespaces.backend();
    }

    private void refuseIgnored(String command, String ns, Document cmd) {
        ReadOptions.check(command, ns, cmd, n -> namespaces.existing(n) == null ? List.of() : ddl.indexes(n));
    }

    Document find(Connection c, String db, Document cmd) {
        cmd.putIfAbsent("batchSize", FIRST_BATCH_DEFAULT);
        String ns = db + "." + cmd.get("find");
        if (ns.equals(OplogReads.NS)) {
            return cursors.first(oplogReads.find(cmd), cmd.get("batchSize"));
        }
        if (system.owns(ns)) {
            return cursors.first(system.find(c, ns, cmd), cmd.get("batchSize"));
        }
        refuseIgnored("find", ns, cmd);
        Catalog.Entry e = namespaces.catalog().get(ns);
        if (e != null && e.type() == Catalog.Type.VIEW) {
            return viewFind(c, db, e, cmd);
        }
        if (namespaces.existing(ns) == null) {   // (tailable cursors were refused above)
            return cursors.first(backend().handleCommand(c.channel(), db, "find", cmd), cmd.get("batchSize"));
        }
        // which documents, in which order: mongo-java-server's query engine; their contents: read batch by batch
        Document idsOnly = new Document(cmd);
        idsOnly.put("projection", new Document("_id", 1));
        idsOnly.put("batchSize", Integer.MAX_VALUE);
        idsOnly.remove("singleBatch");
        idsOnly.remove("limit");   // counted as the cursor returns documents: a deleted one does not count, an inserted one may
        if (!(cmd.get("sort") instanceof Document sort && !sort.isEmpty()) && cmd.get("hint") instanceof Document hint
                && hint.size() == 1 && hint.get("_id") instanceof Number) {
            idsOnly.put("sort", hint);   // a scan of the _id index returns the documents in its order
        }
        Document reply = backend().handleCommand(c.channel(), db, "find", idsOnly);
        Document cursor = (Document) reply.get("cursor");
        List<Object> ids = new ArrayList<>();
        for (Object o : (List<?>) cursor.get("firstBatch")) {
            ids.add(((Document) o).get("_id"));
        }
        if (cursor.get("id") instanceof Number n && n.longValue() != 0) {
            backend().closeCursors(List.of(n.longValue()));
        }
        Document filter = cmd.get("filter") instanceof Document f ? f : new Document();
        Document projection = cmd.get("projection") instanceof Document p && !p.isEmpty() ? p : null;
        int batchSize = ((Number) cmd.get("batchSize")).intValue();
        boolean single = Boolean.TRUE.equals(cmd.get("singleBatch")) || (cmd.get("limit") instanceof Number l && l.intValue() < 0);
        if (single) {
            batchSize = Integer.MAX_VALUE;
        }
        int limit = cmd.get("limit") instanceof Number l ? Math.abs(l.intValue()) : 0;
        return scans.open(ns, filter, projection, ids, Scans.readOn(cmd), limit, batchSize, single);
    }

    /** A client's command inserted document {@code id} into {@code ns} (under the data lock). */
    void inserted(String ns, Object id) {
        scans.inserted(ns, id);
    }

    /** The {@code collStats} command. */
    Document collStatsCommand(String db, Document cmd) {
        return collStats.command(db, cmd);
    }

    /** The BSON size of a collection's documents and index keys ({@code $collStats}' {@code totalSize}). */
    long size(String ns) {
        return collStats.totalSize(ns);
    }

    /** An aggregation as a client sees it: batches of mongod's sizes (16 MiB at most). */
    Document aggregate(Connection c, String db, Document cmd) {
        return cursors.first(aggregateUncut(c, db, cmd), firstBatchSize(cmd));
    }

    /** Every result of an aggregation, as documents (for the sandbox's own use: $out and $merge read their input so). */
    List<Object> aggregateAll(Connection c, String db, Document cmd) {
        Document read = new Document(cmd);
        read.put("cursor", new Document("batchSize", Integer.MAX_VALUE));
        Document cursor = (Document) aggregateUncut(c, db, read).get("cursor");
        List<Object> results = new ArrayList<>((List<?>) cursor.get("firstBatch"));
        while (cursor.get("id") instanceof Number id && id.longValue() != 0) {
            Document more = new Document("getMore", id.longValue()).append("collection", cmd.get("aggregate"))
                    .append("batchSize", Integer.MAX_VALUE);
            cursor = (Document) backend().handleCommand(c.channel(), db, "getMore", more).get("cursor");
            results.addAll((List<?>) cursor.get("nextBatch"));
        }
        return results;
    }

    private Document aggregateUncut(Connection c, String db, Document cmd) {
        if (system.owns(db + "." + cmd.get("aggregate"))) {
            throw ServerError.notSupported("an aggregation on " + db + "." + cmd.get("aggregate")
                    + " (the sandbox answers find, count and listIndexes there)");
        }
        refuseIgnored("aggregate", db + "." + cmd.get("aggregate"), cmd);
        if (CollStats.opens(cmd)) {
            return collStats(c, db, cmd);
        }
        if (cmd.get("cursor") instanceof Document cursor) {
            cursor.putIfAbsent("batchSize", FIRST_BATCH_DEFAULT);
        }
        if (cmd.get("pipeline") instanceof List<?> pipeline) {
            cmd.put("pipeline", translate(pipeline));
        }
        if (cmd.get("aggregate") instanceof String coll) {
            Catalog.Entry e = namespaces.catalog().get(db + "." + coll);
            if (e != null && e.type() == Catalog.Type.VIEW) {
                List<Object> pipeline = new ArrayList<>(translate((List<?>) e.options().get("pipeline")));
                pipeline.addAll((List<?>) cmd.get("pipeline"));
                Document onSource = new Document(cmd);
                onSource.put("aggregate", e.options().get("viewOn"));
                onSource.put("pipeline", pipeline);
                Document reply = backend().handleCommand(c.channel(), db, "aggregate", onSource);
                renameCursor(reply, db + "." + coll);
                return reply;
            }
        }
        return backend().handleCommand(c.channel(), db, "aggregate", cmd);
    }

    /** $collStats, then the stages after it over its one document. */
    private Document collStats(Connection c, String db, Document cmd) {
        Document stats = collStats.stats(db, cmd, c.me());
        List<?> pipeline = (List<?>) cmd.get("pipeline");
        String ns = db + "." + cmd.get("aggregate");
        List<Document> results = List.of(stats);
        if (pipeline.size() > 1) {
            results = Aggregation.fromPipeline(translate(pipeline.subList(1, pipeline.size())), backend()::resolveDatabase,
                    namespaces.database(ns), namespaces.existing(ns), NoopOplog.get()).runStages(Stream.of(stats));
        }
        Document cursor = new Document("firstBatch", new ArrayList<Object>(results)).append("id", 0L).append("ns", ns);
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    /** The aggregation {@code stages} run on {@code input} (the documents of a stage the sandbox makes itself). */
    List<Document> runStages(String db, List<?> stages, List<Document> input) {
        if (stages.isEmpty()) {
            return input;
        }
        return Aggregation.fromPipeline(translate(stages), backend()::resolveDatabase, namespaces.database(db + ".$cmd"),
                null, NoopOplog.get()).runStages(input.stream());
    }

    private static Object firstBatchSize(Document aggregate) {
        return aggregate.get("cursor") instanceof Document cursor ? cursor.get("batchSize") : null;
    }

    Document count(Connection c, String db, Document cmd) {
        String ns = db + "." + cmd.get("count");
        if (ns.equals(OplogReads.NS)) {
            Document find = new Document("find", cmd.get("count")).append("filter", cmd.get("query"))
                    .append("skip", cmd.get("skip")).append("limit", cmd.get("limit"));
            long n = ((List<?>) ((Document) oplogReads.find(find).get("cursor")).get("firstBatch")).size();
            return new Document("n", n).append("ok", 1.0);
        }
        if (system.owns(ns)) {
            return system.count(c, ns, cmd);
        }
        refuseIgnored("count", db + "." + cmd.get("count"), cmd);
        refuseView(db + "." + cmd.get("count"));
        return backend().handleCommand(c.channel(), db, "count", cmd);
    }

    Document distinct(Connection c, String db, Document cmd) {
        refuseIgnored("distinct", db + "." + cmd.get("distinct"), cmd);
        refuseView(db + "." + cmd.get("distinct"));
        return backend().handleCommand(c.channel(), db, "distinct", cmd);
    }

    boolean ownsScan(long id) {
        return scans.owns(id);
    }

    boolean killScan(long id) {
        return scans.kill(id);
    }

    Document getMoreScan(Document cmd) {
        int batchSize = cmd.get("batchSize") instanceof Number n ? n.intValue() : 0;
        return scans.getMore(((Number) cmd.get("getMore")).longValue(), batchSize);
    }

    /** A getMore of one of mongo-java-server's cursors, 16 MiB at most and without batchSize filled to it. */
    Document getMore(Connection c, String db, Document cmd) {
        int batchSize = cmd.get("batchSize") instanceof Number n ? n.intValue() : 0;
        String coll = String.valueOf(cmd.get("collection"));
        return cursors.getMore(((Number) cmd.get("getMore")).longValue(), db + "." + coll, batchSize,
                (id, count) -> backend().handleCommand(c.channel(), db, "getMore",
                        new Document("getMore", id).append("collection", coll).append("batchSize", count)));
    }

    /** Forgets what waits for a cursor; true if mongo-java-server has no such cursor to kill. */
    boolean killBackendCursor(long id) {
        return cursors.kill(id);
    }

    Document listIndexes(Connection c, String db, Document cmd) {
        String ns = db + "." + cmd.get("listIndexes");
        if (system.owns(ns)) {
            return system.listIndexes(ns);
        }
        Catalog.Entry e = namespaces.entry(ns);
        if (e == null) {
            throw ServerError.namespaceNotFound("ns does not exist: " + ns);
        }
        if (e.type() == Catalog.Type.VIEW) {
            throw ServerError.notSupportedOnView(ns);
        }
        return backend().handleCommand(c.channel(), db, "listIndexes", cmd);
    }

    /** listCollections from storage and the catalog, with mongod's entry shape (MongoDB manual, listCollections). */
    Document listCollections(String db, Document cmd) {
        List<Document> entries = new ArrayList<>();
        List<String> names = new ArrayList<>(ddl.storageCollections(namespaces.database(db)));
        for (Catalog.Entry e : namespaces.catalog().of(db)) {
            if (!names.contains(e.name())) {
                names.add(e.name());
            }
        }
        for (String name : system.names(db)) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        names.sort(String::compareTo);
        boolean nameOnly = Boolean.TRUE.equals(cmd.get("nameOnly"));
        Document filter = cmd.get("filter") instanceof Document f ? f : new Document();
        DefaultQueryMatcher matcher = new DefaultQueryMatcher();
        for (String name : names) {
            String ns = db + "." + name;
            if (system.owns(ns)) {
                Document d = system.listed(ns, nameOnly);
                if (matcher.matches(d, filter)) {
                    entries.add(d);
                }
                continue;
            }
            Catalog.Entry e = namespaces.catalog().get(ns);
            if (e == null) {
                if (namespaces.existing(ns) == null) {
                    continue;
                }
                e = namespaces.catalog().collection(ns);
            }
            Document d = new Document("name", name).append("type", e.type().listed());
            if (!nameOnly) {
                d.put("options", new Document(e.options()));
                Document info = new Document("readOnly", e.type() == Catalog.Type.VIEW);
                if (e.type() == Catalog.Type.COLLECTION) {
                    info.put("uuid", e.uuid());
                }
                d.put("info", info);
                if (e.type() == Catalog.Type.COLLECTION) {
                    d.put("idIndex", new Document(Namespaces.ID_INDEX));
                }
            }
            if (matcher.matches(d, filter)) {
                entries.add(d);
            }
        }
        Document cursor = new Document("id", 0L).append("ns", db + ".$cmd.listCollections").append("firstBatch", entries);
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    private Document viewFind(Connection c, String db, Catalog.Entry view, Document cmd) {
        List<Object> pipeline = new ArrayList<>(translate((List<?>) view.options().get("pipeline")));
        if (cmd.get("filter") instanceof Document f && !f.isEmpty()) {
            pipeline.add(new Document("$match", f));
        }
        if (cmd.get("sort") instanceof Document s && !s.isEmpty()) {
            pipeline.add(new Document("$sort", s));
        }
        if (cmd.get("skip") instanceof Number n && n.intValue() > 0) {
            pipeline.add(new Document("$skip", n));
        }
        if (cmd.get("limit") instanceof Number n && n.intValue() != 0) {
            pipeline.add(new Document("$limit", Math.abs(n.intValue())));
        }
        if (cmd.get("projection") instanceof Document p && !p.isEmpty()) {
            pipeline.add(new Document("$project", p));
        }
        Document agg = new Document("aggregate", view.options().get("viewOn")).append("pipeline", pipeline)
                .append("cursor", new Document("batchSize", cmd.get("batchSize")));
        Document reply = backend().handleCommand(c.channel(), db, "aggregate", agg);
        renameCursor(reply, view.ns());
        return cursors.first(reply, cmd.get("batchSize"));
    }

    private void refuseView(String ns) {
        Catalog.Entry e = namespaces.catalog().get(ns);
        if (e != null && e.type() == Catalog.Type.VIEW) {
            throw ServerError.notSupported("count and distinct on a view (" + ns + "); use aggregate");
        }
    }

    private static void renameCursor(Document reply, String ns) {
        if (reply.get("cursor") instanceof Document cursor) {
            cursor.put("ns", ns);
        }
    }

    /** Stage names mongod knows that mongo-java-server spells differently: {@code $set}, {@code $replaceWith}. */
    static List<Object> translate(List<?> pipeline) {
        List<Object> out = new ArrayList<>();
        for (Object o : pipeline) {
            if (o instanceof Document stage && stage.size() == 1) {
                String name = stage.keySet().iterator().next();
                if (name.equals("$set")) {
                    out.add(new Document("$addFields", stage.get(name)));
                    continue;
                }
                if (name.equals("$replaceWith")) {
                    out.add(new Document("$replaceRoot", new Document("newRoot", stage.get(name))));
                    continue;
                }
            }
            out.add(o);
        }
        return out;
    }

    static Document internal(Namespaces namespaces, String db, String command, Document cmd) {
        return namespaces.database(db + ".x").handleCommand(Namespaces.INTERNAL, command, cmd,
                namespaces.backend()::resolveDatabase, NoopOplog.get());
    }
}
