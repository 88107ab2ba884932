package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.QueryMatcher;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.catalog.Namespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code listDatabases} as mongod answers it (MongoDB manual, listDatabases; mongod's
 * {@code list_databases.cpp} and {@code list_databases_common.h}): only on {@code admin}; every
 * database that holds a collection or view, {@code admin}, {@code config} and {@code local}
 * included, in name order; each with {@code sizeOnDisk} and {@code empty}, and {@code totalSize}
 * and {@code totalSizeMb} for those listed, unless {@code nameOnly}; {@code filter} matched against
 * each entry as it is returned. The sandbox stores nothing compressed, so {@code sizeOnDisk} is the
 * BSON size of the documents and index keys ({@code $collStats}' {@code totalSize}), and of the
 * oplog for {@code local}. The caller holds the data lock.
 */
final class ListDatabases {
    private final Namespaces namespaces;
    private final Reads reads;
    private final SystemCollections system;
    private final QueryMatcher matcher = new DefaultQueryMatcher();

    ListDatabases(Namespaces namespaces, Reads reads, SystemCollections system) {
        this.namespaces = namespaces;
        this.reads = reads;
        this.system = system;
    }

    Document run(String db, Document cmd) {
        if (!db.equals("admin")) {
            throw new ServerError(13, "Unauthorized", "listDatabases may only be run against the admin database.");
        }
        Object f = cmd.get("filter");
        if (f != null && !(f instanceof Document)) {
            throw ServerError.typeMismatch("BSON field 'listDatabases.filter' is the wrong type '" + f.getClass().getSimpleName()
                    + "', expected type 'object'");
        }
        Document filter = (Document) f;
        boolean nameOnly = truthy(cmd.get("nameOnly"));
        TreeSet<String> names = new TreeSet<>(SystemCollections.DATABASES);
        Document stored = namespaces.backend().handleCommand(Namespaces.INTERNAL, "admin", "listDatabases",
                new Document("listDatabases", 1));
        for (Object o : (List<?>) stored.get("databases")) {
            names.add(String.valueOf(((Document) o).get("name")));
        }
        List<Object> items = new ArrayList<>();
        long total = 0;
        for (String name : names) {
            List<String> collections = collections(name);
            if (collections.isEmpty()) {
                continue;   // mongod has no database without a collection
            }
            Document item = new Document("name", name);
            long size = 0;
            if (!nameOnly) {
                size = size(name, collections);
                item.put("sizeOnDisk", size);
                item.put("empty", false);
            }
            if (filter == null || matcher.matches(item, filter)) {
                total += size;
                items.add(item);
            }
        }
        Document reply = new Document("databases", items);
        if (!nameOnly) {
            reply.put("totalSize", total);
            reply.put("totalSizeMb", total / (1024 * 1024));
        }
        reply.put("ok", 1.0);
        return reply;
    }

    /** The collections and views of {@code db}, as {@code listCollections} lists them. */
    private List<String> collections(String db) {
        Document cursor = (Document) reads.listCollections(db, new Document("listCollections", 1).append("nameOnly", true))
                .get("cursor");
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) cursor.get("firstBatch")) {
            out.add(String.valueOf(((Document) o).get("name")));
        }
        return out;
    }

    private long size(String db, List<String> collections) {
        long size = SystemCollections.DATABASES.contains(db) ? system.size(db) : 0;
        for (String name : collections) {
            String ns = db + "." + name;
            if (!system.owns(ns) && namespaces.existing(ns) != null) {
                size += reads.size(ns);
            }
        }
        return size;
    }

    private static boolean truthy(Object v) {
        return v instanceof Boolean b ? b : v instanceof Number n && n.doubleValue() != 0;
    }
}
