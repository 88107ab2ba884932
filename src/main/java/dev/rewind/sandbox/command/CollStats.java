package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.Bson;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.catalog.Catalog;
import dev.rewind.sandbox.catalog.Ddl;
import dev.rewind.sandbox.catalog.Namespaces;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.List;

/**
 * The {@code $collStats} stage, with its {@code storageStats} and {@code count} options (MongoDB
 * manual, "$collStats"; mongod's {@code DocumentSourceCollStats} and {@code storage_stats.cpp}):
 * one document with {@code ns}, {@code host}, {@code localTime} and what was asked. It is what
 * mongosh's {@code db.collection.stats()}, {@code dataSize()} and {@code totalIndexSize()} run. The sandbox stores nothing compressed, so
 * {@code storageSize} is the documents' BSON size, and an index's size is the BSON size of its keys
 * (measured on up to 1,000 documents, times the count), not WiredTiger's pages.
 * {@code latencyStats} and {@code queryExecStats} are refused: the sandbox keeps no such counters.
 */
final class CollStats {
    private static final int SAMPLE = 1000;

    private final Namespaces namespaces;
    private final Ddl ddl;

    CollStats(Namespaces namespaces, Ddl ddl) {
        this.namespaces = namespaces;
        this.ddl = ddl;
    }

    /** Whether the aggregation starts with {@code $collStats}. */
    static boolean opens(Document cmd) {
        return cmd.get("pipeline") instanceof List<?> p && !p.isEmpty() && p.get(0) instanceof Document d
                && d.containsKey("$collStats");
    }

    /** The stage's one document, for the aggregation's namespace (the stages after it are the caller's). */
    Document stats(String db, Document cmd, String host) {
        List<?> pipeline = (List<?>) cmd.get("pipeline");
        String ns = db + "." + cmd.get("aggregate");
        if (!(((Document) pipeline.get(0)).get("$collStats") instanceof Document spec)) {
            throw new ServerError(40166, "Location40166", "$collStats must take a nested object but found: "
                    + ((Document) pipeline.get(0)).get("$collStats"));
        }
        for (String option : spec.keySet()) {
            if (!option.equals("storageStats") && !option.equals("count")) {
                throw ServerError.notSupported("$collStats " + option + " (it keeps no such counters)");
            }
        }
        Catalog.Entry e = namespaces.catalog().get(ns);
        if (e != null && e.type() == Catalog.Type.VIEW) {
            throw ServerError.notSupportedOnView(ns);
        }
        Document out = new Document("ns", ns).append("host", host).append("localTime", Instant.now());
        if (spec.get("storageStats") instanceof Document storage) {
            out.put("storageStats", storageStats(ns, storage));
        } else if (spec.containsKey("storageStats")) {
            throw ServerError.typeMismatch("BSON field '$collStats.storageStats' is the wrong type, expected type 'object'");
        }
        if (spec.containsKey("count")) {
            if (namespaces.existing(ns) == null) {
                throw ServerError.badValue("Unable to retrieve count in $collStats stage :: caused by :: Collection [" + ns + "] not found.");
            }
            out.put("count", count(ns));
        }
        return out;
    }

    private Document storageStats(String ns, Document spec) {
        int scale = 1;
        if (spec.get("scale") instanceof Number n) {
            if (n.intValue() < 1) {
                throw ServerError.badValue("scale has to be >= 1");
            }
            scale = n.intValue();
        }
        if (namespaces.existing(ns) == null) {
            throw ServerError.namespaceNotFound("Unable to retrieve storageStats in $collStats stage :: caused by :: Collection ["
                    + ns + "] not found.");
        }
        Document stats = backendStats(ns);
        long count = ((Number) stats.get("count")).longValue();
        long size = ((Number) stats.get("size")).longValue();
        Document out = new Document("size", size / scale).append("count", count);
        if (count > 0) {
            out.put("avgObjSize", size / count);
        }
        out.put("numOrphanDocs", 0);
        out.put("storageSize", size / scale);
        out.put("freeStorageSize", 0L);
        out.put("capped", false);
        List<Document> indexes = ddl.indexes(ns);
        out.put("nindexes", indexes.size());
        out.put("indexDetails", new Document());
        out.put("indexBuilds", List.of());
        Document sizes = new Document();
        long total = 0;
        for (Document index : indexes) {
            long bytes = indexBytes(ns, (Document) index.get("key"), count);
            sizes.put(String.valueOf(index.get("name")), bytes / scale);
            total += bytes;
        }
        out.put("totalIndexSize", total / scale);
        out.put("totalSize", (size + total) / scale);
        out.put("indexSizes", sizes);
        out.put("scaleFactor", scale);
        return out;
    }

    /**
     * The {@code collStats} command (deprecated since 6.2, still answered by 7.0 and 8.0; mongod's
     * {@code dbcommands.cpp}): {@code ns} and the storage statistics, with {@code scale}; a
     * missing collection gives zeros, not an error; a view is refused (166). {@code mongodump}
     * runs it to learn the storage engine (it looks for MMAPv1's {@code numExtents}).
     */
    Document command(String db, Document cmd) {
        String ns = db + "." + cmd.get("collStats");
        Catalog.Entry e = namespaces.catalog().get(ns);
        if (e != null && e.type() == Catalog.Type.VIEW) {
            throw ServerError.notSupportedOnView(ns);
        }
        Document spec = new Document();
        if (cmd.containsKey("scale")) {
            spec.put("scale", cmd.get("scale"));
        }
        Document out = new Document("ns", ns);
        if (namespaces.existing(ns) == null) {
            int scale = cmd.get("scale") instanceof Number n ? n.intValue() : 1;
            out.append("size", 0).append("count", 0).append("storageSize", 0).append("totalSize", 0).append("nindexes", 0)
                    .append("totalIndexSize", 0).append("indexDetails", new Document()).append("indexSizes", new Document())
                    .append("scaleFactor", scale);
        } else {
            out.putAll(storageStats(ns, spec));
        }
        out.put("ok", 1.0);
        return out;
    }

    /** The documents' and index keys' BSON size of an existing collection ({@code storageStats.totalSize}). */
    long totalSize(String ns) {
        return ((Number) storageStats(ns, new Document()).get("totalSize")).longValue();
    }

    private long count(String ns) {
        return ((Number) backendStats(ns).get("count")).longValue();
    }

    private Document backendStats(String ns) {
        return namespaces.backend().handleCommand(Namespaces.INTERNAL, Namespaces.dbName(ns), "collStats",
                new Document("collStats", Namespaces.collectionName(ns)));
    }

    /** The BSON size of the index's keys: measured on up to 1,000 documents, times the count. */
    private long indexBytes(String ns, Document key, long count) {
        if (count == 0) {
            return 0;
        }
        Document projection = new Document();
        key.keySet().forEach(f -> projection.put(f, 1));
        if (!key.containsKey("_id")) {
            projection.put("_id", 0);
        }
        Document reply = namespaces.backend().handleCommand(Namespaces.INTERNAL, Namespaces.dbName(ns), "find",
                new Document("find", Namespaces.collectionName(ns)).append("projection", projection)
                        .append("limit", SAMPLE).append("batchSize", SAMPLE));
        List<?> sample = (List<?>) ((Document) reply.get("cursor")).get("firstBatch");
        if (sample.isEmpty()) {
            return 0;
        }
        ByteBuf buf = Unpooled.buffer();
        long bytes = 0;
        for (Object d : sample) {
            buf.clear();
            Bson.write((Document) d, buf);
            bytes += buf.writerIndex();
        }
        return bytes * count / sample.size();
    }
}
