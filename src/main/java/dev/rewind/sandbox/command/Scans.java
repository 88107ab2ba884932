package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.backend.Backends;
import dev.rewind.sandbox.catalog.Catalog;
import dev.rewind.sandbox.catalog.Namespaces;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Query cursors that read as mongod's do: batch by batch. mongod's {@code find} yields between
 * batches (and within them), so a cursor sees each document as it is when it reaches it: a
 * document changed before its batch is read comes back changed, one deleted before comes back not
 * at all, one that no longer matches the filter is skipped (MongoDB manual, "Cursor Isolation": a
 * cursor "can return the same document more than once" or miss one; reads are not isolated from
 * concurrent writes). mongo-java-server computes every result at the {@code find}; here the
 * {@code find} only fixes which documents, in which order, and each batch reads them afresh,
 * atomically. A document inserted after the {@code find} is returned when mongod's plan would
 * reach it ({@link ReadOn}). Each batch is read under the data lock by the caller.
 *
 * <p>A drop of the collection (or of its database) or a rename of it kills its cursors, as
 * mongod's: the next {@code getMore} fails with QueryPlanKilled (175), "collection dropped" or
 * "collection renamed" (mongod's jstests/core/getmore_invalidated_cursors.js), and the cursor is
 * gone. A collection is known by its UUID, so one dropped and created again under the same name
 * is not the one the cursor read.
 */
final class Scans {
    private static final long IDLE_TIMEOUT_MS = 10 * 60 * 1000;

    /**
     * How a cursor reads on past documents inserted after its {@code find}, as mongod's plans do. A
     * scan in {@code _id} order (sorted by {@code _id}, or hinted to its index) reads the index on
     * from the key it stands at (an index scan saves its position and seeks back to it after each
     * yield), so it returns an inserted document whose {@code _id} lies ahead of it and never one
     * behind it. A scan in natural order reads the collection in record order, where a new document
     * gets a record after every other one, so it returns each document inserted before it ends
     * (one deleted and inserted again before the scan reached it: once, at its new place). MongoDB
     * manual, "Cursors", "Cursor Isolation": a cursor's reads are not isolated from concurrent
     * writes. {@code order} is null for natural order. A blocking sort (on any other field) fixes
     * the documents at the {@code find}: no {@code ReadOn}. A {@code limit} counts the documents as
     * the cursor returns them (mongod's limit stage), so one inserted ahead may take the place of the
     * last, and one deleted before it was reached leaves room for the next.
     */
    record ReadOn(Comparator<Object> order) {
        static final ReadOn NATURAL = new ReadOn(null);
    }

    /** How a find's cursor reads on past later inserts, or null when its documents are fixed at the find. */
    static ReadOn readOn(Document find) {
        Document sort = find.get("sort") instanceof Document d ? d : new Document();
        Document hint = find.get("hint") instanceof Document d ? d : new Document();
        Document keys = sort.isEmpty() ? hint : sort;
        if (keys.isEmpty() || keys.equals(new Document("$natural", 1))) {
            return ReadOn.NATURAL;
        }
        if (keys.size() == 1 && keys.get("_id") instanceof Number direction) {
            return new ReadOn(direction.intValue() < 0 ? ValueComparator.desc() : ValueComparator.asc());
        }
        return null;
    }

    private final Namespaces namespaces;
    private final Map<Long, Scan> scans = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(0x5CA_0000_0000L);

    Scans(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    private static final class Scan {
        final String ns;
        /** The collection's UUID at the find; null when it did not exist. */
        final java.util.UUID uuid;
        final Document filter;
        final Document projection;
        /** The documents to read, in order; those inserted since the find join it ({@link #inserted}). */
        final List<Object> ids;
        final ReadOn readOn;
        /** At most this many documents in all (0: no limit), and how many have been returned. */
        final int limit;
        int returned;
        /** How many of {@code ids} the find fixed. */
        final int found;
        /** In natural order: documents inserted since the find, by {@code _id}, and where each now is in {@code ids}. */
        final Map<Object, Integer> moved = new TreeMap<>(ValueComparator.asc());
        int next;
        volatile long lastUse = System.nanoTime();

        Scan(String ns, java.util.UUID uuid, Document filter, Document projection, List<Object> ids, ReadOn readOn, int limit) {
            this.ns = ns;
            this.uuid = uuid;
            this.filter = filter;
            this.projection = projection;
            this.ids = new ArrayList<>(ids);
            this.readOn = readOn;
            this.limit = limit;
            this.found = ids.size();
        }

        /** Whether the scan has nothing more to return: at the end of its documents, or at its limit. */
        boolean done() {
            return next >= ids.size() || (limit > 0 && returned >= limit);
        }

        /** Whether the document at {@code i} is one the find fixed that has since been inserted again at the end. */
        boolean movedAway(int i) {
            return i < found && !moved.isEmpty() && moved.containsKey(ids.get(i));
        }
    }

    /**
     * A client's command inserted document {@code id} into {@code ns} (called under the data lock,
     * as every batch is read): each open scan of {@code ns} that would reach it takes it in.
     */
    void inserted(String ns, Object id) {
        for (Scan scan : scans.values()) {
            if (scan.readOn == null || !scan.ns.equals(ns)) {
                continue;
            }
            Comparator<Object> order = scan.readOn.order();
            if (order == null) {
                Integer at = scan.moved.get(id);
                if (at == null || at < scan.next) {
                    scan.moved.put(id, scan.ids.size());
                    scan.ids.add(id);
                }
                continue;
            }
            if (scan.next > 0 && order.compare(id, scan.ids.get(scan.next - 1)) <= 0) {
                continue;   // behind the scan's position: never returned
            }
            List<Object> ahead = scan.ids.subList(scan.next, scan.ids.size());
            int at = Collections.binarySearch(ahead, id, order);
            if (at < 0) {
                ahead.add(-at - 1, id);
            }
        }
    }

    boolean owns(long id) {
        return scans.containsKey(id);
    }

    /**
     * Opens a scan of {@code ids} (the documents a find matched, in its order) and reads the first
     * batch; the reply is a find's, with a cursor when more remain, unless {@code single}
     * ({@code singleBatch}, or a negative {@code limit}), which closes it after the first batch.
     * {@code limit}: at most that many documents in all (0: no limit).
     */
    Document open(String ns, Document filter, Document projection, List<Object> ids, ReadOn readOn, int limit, int batchSize,
                  boolean single) {
        scans.values().removeIf(s -> (System.nanoTime() - s.lastUse) / 1_000_000 > IDLE_TIMEOUT_MS);
        Scan scan = new Scan(ns, uuidOf(ns), filter, projection, ids, readOn, limit);
        // batchSize 0: "the cursor will be established, but no documents will be returned in the first batch" (manual, "find")
        List<Object> batch = read(scan, batchSize < 0 ? Integer.MAX_VALUE : batchSize);
        long id = 0;
        // singleBatch closes the cursor after its batch, even at 16 MiB; batchSize 0 opens one even on no match
        if ((!scan.done() || batchSize == 0) && !single) {
            id = this.ids.incrementAndGet();
            scans.put(id, scan);
        }
        return reply(ns, "firstBatch", batch, id);
    }

    /** A getMore without batchSize: no count, only the 16 MiB (MongoDB manual, "Cursor Batches"). */
    Document getMore(long id, int batchSize) {
        Scan scan = scans.get(id);
        if (scan == null) {
            throw new ServerError(43, "CursorNotFound", "cursor id " + id + " not found");
        }
        scan.lastUse = System.nanoTime();
        killedByDdl(id, scan);
        List<Object> batch = read(scan, batchSize <= 0 ? Integer.MAX_VALUE : batchSize);
        if (scan.done()) {
            scans.remove(id);
            return reply(scan.ns, "nextBatch", batch, 0);
        }
        return reply(scan.ns, "nextBatch", batch, id);
    }

    /** Throws QueryPlanKilled, and forgets the cursor, when its collection was dropped or renamed since the find. */
    private void killedByDdl(long id, Scan scan) {
        if (scan.uuid == null || scan.uuid.equals(uuidOf(scan.ns))) {
            return;
        }
        scans.remove(id);
        Catalog.Entry moved = namespaces.catalog().withUuid(scan.uuid);
        String why = moved != null && namespaces.existing(moved.ns()) != null
                ? "collection renamed from '" + scan.ns + "' to '" + moved.ns() + "'. UUID " + scan.uuid
                : "collection dropped. UUID " + scan.uuid;
        throw new ServerError(175, "QueryPlanKilled", "PlanExecutor error during getMore :: caused by :: " + why);
    }

    /** The UUID of the collection stored at {@code ns}, or null when none is. */
    private java.util.UUID uuidOf(String ns) {
        return namespaces.existing(ns) == null ? null : namespaces.entry(ns).uuid();
    }

    boolean kill(long id) {
        return scans.remove(id) != null;
    }

    /**
     * The next documents of the scan, read now and encoded as they are read (the caller holds the
     * data lock; stored documents change in place): at most {@code max}, and only as many as fit
     * in 16 MiB, though always one (mongod's {@code FindCommon::haveSpaceForNext}; MongoDB manual,
     * "Cursors", "Cursor Batches").
     */
    private List<Object> read(Scan scan, int max) {
        MongoCollection<?> coll = namespaces.existing(scan.ns);
        Batch batch = new Batch();
        DefaultQueryMatcher matcher = new DefaultQueryMatcher();
        boolean everything = scan.filter.isEmpty();
        if (coll == null) {
            scan.next = scan.ids.size();
        }
        if (scan.limit > 0) {
            max = Math.min(max, scan.limit - scan.returned);
        }
        while (batch.size() < max && scan.next < scan.ids.size() && !batch.full) {
            if (scan.movedAway(scan.next)) {
                scan.next++;
                continue;
            }
            if (scan.projection == null) {
                // one lookup by _id each, through the _id index, as mongod's cursor reads on from where it is
                Document d = Backends.byId(coll, scan.ids.get(scan.next));
                if (d != null && (everything || matcher.matches(d, scan.filter)) && !batch.add(d)) {
                    break;   // this one starts the next batch
                }
                scan.next++;
                continue;
            }
            int to = (int) Math.min(scan.ids.size(), scan.next + (long) Math.min(max - batch.size(), 1000));
            List<Object> matching = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            for (int i = scan.next; i < to; i++) {
                if (scan.movedAway(i)) {
                    continue;
                }
                Document d = Backends.byId(coll, scan.ids.get(i));
                if (d != null && (everything || matcher.matches(d, scan.filter))) {
                    matching.add(scan.ids.get(i));
                    at.add(i);
                }
            }
            scan.next = to;
            List<Document> projected = matching.isEmpty() ? List.of() : projected(scan, matching);
            // in the scan's order, one for each matching _id, unless the projection leaves _id out
            boolean aligned = projected.size() == matching.size() && !projected.isEmpty()
                    && projected.get(0).containsKey("_id");
            for (int k = 0; k < projected.size(); k++) {
                if (!aligned) {
                    // without _id, which ids the rest are is unknown: this chunk goes whole, past 16 MiB if it must
                    batch.addAnyway(projected.get(k));
                } else if (!batch.add(projected.get(k))) {
                    scan.next = at.get(k);   // this one starts the next batch
                    break;
                }
            }
        }
        scan.returned += batch.size();
        return batch.documents();
    }

    /**
     * The documents projected as find projects them (mongo-java-server's find, by _id), in the
     * scan's order; when the projection leaves out {@code _id}, in the order the query gave them.
     */
    private List<Document> projected(Scan scan, List<Object> ids) {
        String db = Namespaces.dbName(scan.ns);
        Document reply = namespaces.backend().handleCommand(Namespaces.INTERNAL, db, "find",
                new Document("find", Namespaces.collectionName(scan.ns)).append("filter",
                        new Document("_id", new Document("$in", new ArrayList<>(ids)))).append("projection", scan.projection)
                        .append("batchSize", Integer.MAX_VALUE));
        Map<Object, Document> byId = new LinkedHashMap<>();
        List<Document> unkeyed = new ArrayList<>();
        for (Object o : (List<?>) ((Document) reply.get("cursor")).get("firstBatch")) {
            Document d = (Document) o;
            if (d.containsKey("_id")) {
                byId.put(d.get("_id"), d);
            } else {
                unkeyed.add(d);
            }
        }
        if (!unkeyed.isEmpty()) {
            return unkeyed;
        }
        List<Document> out = new ArrayList<>();
        for (Object id : ids) {
            Document d = byId.get(id);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private static Document reply(String ns, String name, List<Object> batch, long id) {
        Document cursor = new Document(name, batch).append("id", id).append("ns", ns);
        return new Document("cursor", cursor).append("ok", 1.0);
    }
}
