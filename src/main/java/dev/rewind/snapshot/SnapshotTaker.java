package dev.rewind.snapshot;

import com.mongodb.MongoServerException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.Addresses;
import dev.rewind.mongo.Catalog;
import dev.rewind.mongo.Deployment;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.PruneGuard;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.bson.RawBsonDocument;

/**
 * Takes a snapshot: records the cluster time, scans each collection and time-series collection in
 * {@code _id} order with an explicit batch size, cuts the documents into content-defined objects
 * that are compressed and stored on worker threads while the scan goes on, records the cluster time
 * again, and publishes the manifest last; a view is recorded by its definition. The caller holds the
 * repository's writer lock.
 *
 * <p>A drop or rename of a collection while it is read kills the scan's cursor (QueryPlanKilled):
 * what was not read yet is then nowhere to be read at that name, and the log cannot make up for it
 * (it starts at the snapshot). The whole snapshot is then taken again, from a new start: the
 * objects already stored are found again, not written again. After {@value #ATTEMPTS} attempts it
 * fails, and publishes nothing.
 */
public final class SnapshotTaker {
    static final int BATCH_SIZE = 1000;
    /** How many times a snapshot is taken before a collection dropped or renamed under every scan fails it. */
    static final int ATTEMPTS = 3;
    /** mongod's error when a drop or rename of the collection kills a query's cursor. */
    static final int QUERY_PLAN_KILLED = 175;
    private static final int IN_FLIGHT = 8;
    private static final java.time.Duration PRUNE_PATIENCE = java.time.Duration.ofMinutes(30);

    private final Repository repo;
    private final MongoClient client;
    private final String sourceDescription;
    private final Progress progress;
    private final AtomicLong newObjects = new AtomicLong();
    private final AtomicLong newStoredBytes = new AtomicLong();
    private Runnable beforePublish = () -> { };
    private final List<String> restarts = new ArrayList<>();

    public SnapshotTaker(Repository repo, MongoClient client, String sourceDescription, Progress progress) {
        this.repo = repo;
        this.client = client;
        this.sourceDescription = sourceDescription;
        this.progress = progress;
    }

    /** Runs {@code check} just before the manifest is published (capture checks its writer lock there). */
    public SnapshotTaker beforePublish(Runnable check) {
        this.beforePublish = check;
        return this;
    }

    public SnapshotManifest take(List<NamespacePattern> patterns) throws InterruptedException {
        return take(patterns, false);
    }

    /** Takes a snapshot; with {@code allowEmpty} a snapshot of nothing is fine (capture starts on an empty database). */
    public SnapshotManifest take(List<NamespacePattern> patterns, boolean allowEmpty) throws InterruptedException {
        // a prune running now must not sweep the objects this snapshot writes or reuses (PruneGuard)
        try (PruneGuard guard = PruneGuard.forSnapshot(repo.store(), PRUNE_PATIENCE,
                m -> org.slf4j.LoggerFactory.getLogger(SnapshotTaker.class).warn(m))) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return takeGuarded(patterns, allowEmpty);
                } catch (MongoServerException | Replaced e) {
                    if (e instanceof MongoServerException m && m.getCode() != QUERY_PLAN_KILLED) {
                        throw m;
                    }
                    String why = e instanceof MongoServerException m ? serverMessage(m) : e.getMessage();
                    if (attempt == ATTEMPTS) {
                        throw new RewindException(dev.rewind.ExitCode.SERVER_REFUSED, "a collection was dropped or renamed while"
                                + " the snapshot read it, in each of " + ATTEMPTS + " attempts (" + why
                                + "); nothing was published",
                                "something replaces it over and over ($out, renameCollection, drop and create): take the"
                                        + " snapshot between its runs, or leave it out with --ns", e);
                    }
                    org.slf4j.LoggerFactory.getLogger(SnapshotTaker.class).warn("a collection was dropped or renamed while the"
                            + " snapshot read it ({}); taking the snapshot again (attempt {} of {})", why, attempt + 1, ATTEMPTS);
                    restarts.add(why);
                }
            }
        }
    }

    /** The collection at a listed name is no longer the one listed (its UUID changed): the snapshot is taken again. */
    private static final class Replaced extends RuntimeException {
        Replaced(String message) {
            super(message, null, false, false);
        }
    }

    private static String serverMessage(MongoServerException e) {
        // a cursor's error is a MongoQueryException, which is a MongoCommandException
        return e instanceof com.mongodb.MongoCommandException c ? c.getErrorMessage() : e.getMessage();
    }

    /** The errors that made this taker start again, one per attempt given up (for a caller to report). */
    public List<String> restarts() {
        return List.copyOf(restarts);
    }

    private SnapshotManifest takeGuarded(List<NamespacePattern> patterns, boolean allowEmpty) throws InterruptedException {
        Catalog catalog = new Catalog(client);
        ClusterClock clock = new ClusterClock(client);
        Instant started = Instant.now();
        ClusterTime startAt = clock.now();
        Deployment deployment = Deployment.of(client, Addresses.hostsOf(sourceDescription));
        List<Catalog.Entry> entries = catalog.list(patterns);
        if (entries.isEmpty() && !allowEmpty) {
            throw noMatch(catalog, patterns);
        }
        List<NamespaceSnapshot> namespaces = new ArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "snapshot-store");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Catalog.Entry e : entries) {
                namespaces.add(scan(catalog, e, workers));
            }
        } finally {
            // let the objects being stored finish (a scan that failed is taken again, and finds them);
            // interrupted, stop them
            workers.shutdown();
            try {
                workers.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
            } finally {
                workers.shutdownNow();
            }
        }
        ClusterTime endAt = clock.now();
        String id = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(4));
        SnapshotManifest manifest = new SnapshotManifest(id, started, Instant.now(), sourceDescription,
                catalog.serverVersion(), startAt, endAt, namespaces, newObjects.get(), newStoredBytes.get(), deployment);
        beforePublish.run();
        repo.saveSnapshot(manifest);
        return manifest;
    }

    private NamespaceSnapshot scan(Catalog catalog, Catalog.Entry e, ExecutorService workers) throws InterruptedException {
        if (!"collection".equals(e.type()) && !"timeseries".equals(e.type())) {
            // a view holds no documents: its definition (viewOn, pipeline) is its options
            return new NamespaceSnapshot(e.db(), e.name(), e.type(), e.options(), List.of(), 0, 0, List.of(), e.uuid());
        }
        // a time-series collection is read like a collection: find returns its measurements (MongoDB
        // unpacks its buckets); change streams never report them, so the snapshot is all Rewind has of them
        List<Document> indexes = catalog.indexes(e.db(), e.name());
        MongoCollection<RawBsonDocument> coll = client.getDatabase(e.db()).getCollection(e.name(), RawBsonDocument.class);
        long expected = coll.estimatedDocumentCount();
        List<Future<ObjectRef>> pending = new ArrayList<>();
        BlockingQueue<Boolean> slots = new ArrayBlockingQueue<>(IN_FLIGHT);
        long[] counts = new long[2];
        var chunker = repo.chunker((chunk, docs) -> {
            try {
                slots.put(Boolean.TRUE);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ie);
            }
            pending.add(workers.submit(() -> {
                try {
                    Repository.StoredObject stored = repo.putObject(chunk);
                    if (stored.written()) {
                        newObjects.incrementAndGet();
                        newStoredBytes.addAndGet(stored.storedBytes());
                    }
                    return new ObjectRef(stored.hash(), docs, chunk.length, stored.storedBytes());
                } finally {
                    slots.poll();
                }
            }));
        });
        long lastReport = 0;
        try (MongoCursor<RawBsonDocument> cursor = coll.find().sort(new Document("_id", 1)).batchSize(BATCH_SIZE).iterator()) {
            // the find read whatever was at the name then: a collection renamed or dropped since the
            // listing (and another made under its name) would be stored as the one listed, and the
            // log's rename or drop replayed over the wrong documents. A rename after the find kills
            // the cursor instead (QueryPlanKilled), or the first batch held it all. One gone with
            // nothing read is stored empty, as before: the log's drop follows (a transient $out
            // collection listed, then gone, does not make the snapshot start again).
            String uuidNow = e.uuid() == null ? null : catalog.uuidOf(e.db(), e.name());
            if (e.uuid() != null && !e.uuid().equals(uuidNow) && (uuidNow != null || cursor.hasNext())) {
                throw new Replaced(e.ns() + " was renamed or dropped after the snapshot listed it (UUID " + e.uuid()
                        + (uuidNow == null ? ", now gone" : ", now " + uuidNow) + ")");
            }
            while (cursor.hasNext()) {
                RawBsonDocument doc = cursor.next();
                java.nio.ByteBuffer bytes = doc.getByteBuffer().asNIO();
                counts[0]++;
                counts[1] += bytes.remaining();
                chunker.add(bytes);
                long now = System.nanoTime();
                if (now - lastReport > 200_000_000L) {
                    lastReport = now;
                    progress.update(e.ns(), counts[0], counts[1], expected);
                }
            }
        }
        chunker.finish();
        List<ObjectRef> objects = new ArrayList<>();
        for (Future<ObjectRef> f : pending) {
            objects.add(await(f));
        }
        progress.update(e.ns(), counts[0], counts[1], counts[0]);
        return new NamespaceSnapshot(e.db(), e.name(), e.type(), e.options(), indexes, counts[0], counts[1], objects, e.uuid());
    }

    private static ObjectRef await(Future<ObjectRef> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException ex) {
            Throwable c = ex.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        }
    }

    private static RewindException noMatch(Catalog catalog, List<NamespacePattern> patterns) {
        List<String> all = catalog.list(List.of()).stream().map(Catalog.Entry::ns).toList();
        String have = all.isEmpty() ? "the server holds no user collections"
                : "the server holds: " + String.join(", ", all.subList(0, Math.min(all.size(), 20)))
                + (all.size() > 20 ? ", ..." : "");
        return RewindException.notFound("no namespace matches " + patterns, have);
    }
}
