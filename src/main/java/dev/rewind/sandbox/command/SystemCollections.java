package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.DocumentComparator;
import de.bwaldvogel.mongo.backend.QueryMatcher;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.Bson;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.catalog.Namespaces;
import dev.rewind.sandbox.oplog.Oplog;
import dev.rewind.sandbox.server.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The collections a replica-set member keeps for itself in {@code admin}, {@code config} and
 * {@code local}, as the sandbox lists and reads them: {@code admin.system.version} (the
 * feature-compatibility version), {@code config.system.sessions} and {@code config.transactions}
 * (empty here: the sandbox keeps its sessions and retryable writes in memory),
 * {@code local.oplog.rs} (the oplog, read by {@link OplogReads}) and {@code local.system.replset}
 * (the set's configuration, as {@code replSetGetConfig} gives it). They are read-only: a client's
 * write to one is refused. A {@code find} takes a filter, a sort, {@code skip} and {@code limit}
 * ({@code mongodump --oplog} looks for open transactions in {@code config.transactions}, sorted
 * by {@code startOpTime}); a projection is refused.
 */
final class SystemCollections {
    /** The databases every replica-set member has. */
    static final Set<String> DATABASES = Set.of("admin", "config", "local");

    private record Spec(Document options, List<Document> indexes, UUID uuid) {
        boolean idIndex() {
            return !indexes.isEmpty() && "_id_".equals(indexes.get(0).get("name"));
        }
    }

    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private final MongoRelease release;
    private final Oplog oplog;
    private final long oplogSize;
    private final Function<Connection, Document> replSetConfig;
    private final QueryMatcher matcher = new DefaultQueryMatcher();

    SystemCollections(MongoRelease release, Oplog oplog, long oplogSize, Function<Connection, Document> replSetConfig) {
        this.release = release;
        this.oplog = oplog;
        this.oplogSize = oplogSize;
        this.replSetConfig = replSetConfig;
        add("admin.system.version", new Document(), true, List.of());
        // mongod's logical session cache creates it with a TTL index on lastUse (sessions_collection.cpp)
        add("config.system.sessions", new Document(), true, List.of(new Document("v", 2).append("key", new Document("lastUse", 1))
                .append("name", "lsidTTLIndex").append("expireAfterSeconds", 1800)));
        add("config.transactions", new Document(), true, List.of());
        add(OplogReads.NS, new Document("capped", true).append("size", oplogSize).append("autoIndexId", false), false, List.of());
        add("local.system.replset", new Document(), true, List.of());
    }

    private void add(String ns, Document options, boolean idIndex, List<Document> more) {
        List<Document> indexes = new ArrayList<>();
        if (idIndex) {
            indexes.add(new Document(Namespaces.ID_INDEX));
        }
        indexes.addAll(more);
        specs.put(ns, new Spec(options, indexes, UUID.nameUUIDFromBytes(ns.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    boolean owns(String ns) {
        return specs.containsKey(ns);
    }

    /** The names of the system collections of {@code db}, sorted. */
    List<String> names(String db) {
        List<String> out = new ArrayList<>();
        for (String ns : specs.keySet()) {
            if (Namespaces.dbName(ns).equals(db)) {
                out.add(Namespaces.collectionName(ns));
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** The collection's {@code listCollections} entry (MongoDB manual, listCollections). */
    Document listed(String ns, boolean nameOnly) {
        Spec s = specs.get(ns);
        Document d = new Document("name", Namespaces.collectionName(ns)).append("type", "collection");
        if (!nameOnly) {
            d.put("options", new Document(s.options()));
            d.put("info", new Document("readOnly", false).append("uuid", s.uuid()));
            if (s.idIndex()) {
                d.put("idIndex", new Document(Namespaces.ID_INDEX));
            }
        }
        return d;
    }

    Document listIndexes(String ns) {
        List<Object> indexes = new ArrayList<>();
        specs.get(ns).indexes().forEach(i -> indexes.add(new Document(i)));
        return new Document("cursor", new Document("firstBatch", indexes).append("id", 0L).append("ns", ns)).append("ok", 1.0);
    }

    /** The reply of a find, every matching document in its first batch (the caller cuts it into batches). */
    Document find(Connection c, String ns, Document cmd) {
        if (cmd.get("projection") instanceof Document p && !p.isEmpty()) {
            throw ServerError.notSupported("a projection on " + ns);
        }
        List<Document> docs = documents(c, ns);
        Object sort = cmd.get("sort") instanceof Document s && !s.isEmpty() ? s : cmd.get("hint");
        if (sort instanceof Document by && !by.isEmpty()) {
            if (by.get("$natural") instanceof Number n) {
                if (n.intValue() < 0) {
                    java.util.Collections.reverse(docs);
                }
            } else {
                docs.sort(new DocumentComparator(by));
            }
        }
        int skip = cmd.get("skip") instanceof Number n ? Math.max(0, n.intValue()) : 0;
        int limit = cmd.get("limit") instanceof Number n ? Math.abs(n.intValue()) : 0;
        List<Object> out = new ArrayList<>();
        for (Document d : matching(docs, cmd.get("filter"))) {
            if (limit > 0 && out.size() >= limit) {
                break;
            }
            if (skip > 0) {
                skip--;
            } else {
                out.add(d);
            }
        }
        return new Document("cursor", new Document("firstBatch", out).append("id", 0L).append("ns", ns)).append("ok", 1.0);
    }

    Document count(Connection c, String ns, Document cmd) {
        long n = matching(documents(c, ns), cmd.get("query")).size();
        if (cmd.get("skip") instanceof Number s) {
            n = Math.max(0, n - s.longValue());
        }
        if (cmd.get("limit") instanceof Number l && l.longValue() != 0) {
            n = Math.min(n, Math.abs(l.longValue()));
        }
        return new Document("n", n).append("ok", 1.0);
    }

    /** The BSON size of what {@code db}'s system collections hold (the sandbox's measure of {@code sizeOnDisk}). */
    long size(String db) {
        if (db.equals("local")) {
            return oplog.bytes();   // (and the set's configuration, a few hundred bytes, left out)
        }
        long total = 0;
        for (String name : names(db)) {
            for (Document d : documents(null, db + "." + name)) {
                total += Bson.size(d);
            }
        }
        return total;
    }

    private List<Document> matching(List<Document> docs, Object filter) {
        Document f = filter instanceof Document d ? d : new Document();
        List<Document> out = new ArrayList<>();
        for (Document d : docs) {
            if (matcher.matches(d, f)) {
                out.add(d);
            }
        }
        return out;
    }

    private List<Document> documents(Connection c, String ns) {
        List<Document> out = new ArrayList<>();
        switch (ns) {
            case "admin.system.version" -> out.add(new Document("_id", "featureCompatibilityVersion")
                    .append("version", release.label()));
            case "local.system.replset" -> out.add((Document) replSetConfig.apply(c).get("config"));
            default -> {
                // config.system.sessions and config.transactions: kept in memory by the sandbox, not as documents
            }
        }
        return out;
    }

}
