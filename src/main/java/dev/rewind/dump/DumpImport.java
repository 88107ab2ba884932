package dev.rewind.dump;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.repo.Chunker;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Makes a snapshot of a mongodump output, in two phases. First the whole dump is read and checked,
 * each collection's documents sorted by {@code _id} (in memory up to {@code memoryBytes}, beyond that in
 * run files under a temporary folder); a damaged or incomplete dump fails here, before anything is
 * written. Then each collection is cut into objects as a snapshot's scan would cut it — so what the
 * repository already holds is stored once — and the manifest is published last, with the options,
 * indexes and UUIDs of the dump's metadata. The snapshot has no change-log position ({@code startAt}
 * and {@code endAt} are null), so it opens no restorable window. Time-series collections are left
 * out: a dump holds their buckets, not their measurements. The caller holds the writer lock.
 */
public final class DumpImport {
    /** What an import made, and what it left out. */
    public record Result(SnapshotManifest manifest, long duplicates, List<String> timeSeriesSkipped,
                         OplogReplay.Summary replayed) { }

    /** Objects compressed and stored at once, on {@link #WORKERS} threads, while the merge goes on. */
    private static final int IN_FLIGHT = 8;
    private static final int WORKERS = 2;

    private final Repository repo;
    private final Path tmpParent;
    private final long memoryBytes;
    private ExecutorService workers;

    public DumpImport(Repository repo, Path tmpParent, long memoryBytes) {
        this.repo = repo;
        this.tmpParent = tmpParent;
        this.memoryBytes = memoryBytes;
    }

    public Result run(DumpReader dump, List<NamespacePattern> patterns) throws IOException {
        return run(dump, patterns, false);
    }

    /**
     * As {@link #run(DumpReader, List)}; with {@code replayOplog}, the dump's oplog is replayed over
     * its documents ({@link OplogReplay}), refused before anything is written when it cannot be.
     */
    public Result run(DumpReader dump, List<NamespacePattern> patterns, boolean replayOplog) throws IOException {
        List<CollectionMetadata> chosen = DumpScope.select(dump, patterns);
        java.util.Set<String> inDump = new java.util.HashSet<>(dump.collections().stream().map(CollectionMetadata::ns).toList());
        // a collection created while mongodump ran is not in the dump; its creation and writes are in the oplog
        java.util.function.Predicate<String> creatable = ns -> !inDump.contains(ns) && NamespacePattern.anyMatches(patterns, ns)
                && !dev.rewind.MongoNames.SYSTEM_DATABASES.contains(ns.substring(0, Math.max(0, ns.indexOf('.'))));
        if (replayOplog) {
            dump.keepOplogWrites(chosen.stream().map(CollectionMetadata::ns).toList(), creatable);
        }
        dump.oplog();   // a directory's oplog.bson is read (and checked) before anything is written
        List<String> skipped = new ArrayList<>();
        Map<String, SortedRuns> sorted = new LinkedHashMap<>();
        Path tmp = Files.createTempDirectory(tmpParent, "rewind-import-");
        workers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "import-store");
            t.setDaemon(true);
            return t;
        });
        try {
            for (CollectionMetadata c : chosen) {
                if (c.isTimeSeries()) {
                    skipped.add(c.ns());
                } else if (!c.isView()) {
                    sorted.put(c.ns(), new SortedRuns(tmp, c.ns()));
                }
            }
            long[] held = {0};
            String where = dump.description();
            dump.read(sorted::containsKey, (c, doc) -> {
                SortedRuns runs = sorted.get(c.ns());
                runs.add(doc, where);
                held[0] += doc.length + SortedRuns.OVERHEAD;
                if (held[0] > memoryBytes) {
                    SortedRuns largest = sorted.values().stream().max(Comparator.comparingLong(SortedRuns::heldBytes)).get();
                    held[0] -= largest.heldBytes();
                    largest.spill();
                }
            });
            // the whole dump is sound (and its oplog, read last in an archive, replays): now write
            // the dump's views too: the oplog may drop or change them (mongod: writes to system.views)
            List<String> replayed = new ArrayList<>(sorted.keySet());
            chosen.stream().filter(CollectionMetadata::isView).forEach(v -> replayed.add(v.ns()));
            OplogReplay replay = replayOplog ? OplogReplay.plan(dump.oplog().inOrder(), replayed, creatable) : null;
            long[] created = {0, 0};
            long duplicates = 0;
            List<NamespaceSnapshot> namespaces = new ArrayList<>();
            for (CollectionMetadata c : chosen) {
                if (c.isTimeSeries()) {
                    continue;
                }
                if (c.isView()) {
                    CollectionMetadata atEnd = replay == null ? c : replay.after(c);
                    if (atEnd != null) {
                        namespaces.add(view(atEnd));
                    }
                    continue;
                }
                SortedRuns runs = sorted.get(c.ns());
                CollectionMetadata atEnd = replay == null ? c : replay.after(c);
                if (atEnd != null && atEnd.isView()) {
                    namespaces.add(view(atEnd));
                } else if (atEnd != null) {
                    namespaces.add(store(atEnd, runs, created, replay));
                }
                duplicates += runs.duplicates();
                runs.close();
            }
            for (CollectionMetadata m : replay == null ? List.<CollectionMetadata>of() : replay.createdCollections()) {
                if (m.isView()) {
                    namespaces.add(view(m));
                } else {
                    try (SortedRuns none = new SortedRuns(tmp, m.ns())) {
                        namespaces.add(store(m, none, created, replay));
                    }
                }
            }
            String id = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(4));
            SnapshotManifest manifest = new SnapshotManifest(id, dump.written(), dump.written(), dump.description(),
                    dump.serverVersion() == null ? "unknown" : dump.serverVersion(), null, null, namespaces, created[0], created[1]);
            repo.saveSnapshot(manifest);
            return new Result(manifest, duplicates, skipped, replay == null ? null : replay.summary());
        } finally {
            workers.shutdownNow();
            for (SortedRuns r : sorted.values()) {
                r.close();
            }
            deleteTree(tmp);
        }
    }

    /** A view's entry: its options (viewOn, pipeline), no documents. */
    private static NamespaceSnapshot view(CollectionMetadata c) {
        return new NamespaceSnapshot(c.db(), c.collection(), "view", c.options(), List.of(), 0, 0, List.of(), null);
    }

    private NamespaceSnapshot store(CollectionMetadata c, SortedRuns runs, long[] created, OplogReplay replay) throws IOException {
        List<Future<ObjectRef>> pending = new ArrayList<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        long[] counts = {0, 0};
        Chunker chunker = repo.chunker((chunk, docs) -> {
            inFlight.acquireUninterruptibly();
            pending.add(workers.submit(() -> {
                try {
                    Repository.StoredObject stored = repo.putObject(chunk);
                    if (stored.written()) {
                        synchronized (created) {
                            created[0]++;
                            created[1] += stored.storedBytes();
                        }
                    }
                    return new ObjectRef(stored.hash(), docs, chunk.length, stored.storedBytes());
                } finally {
                    inFlight.release();
                }
            }));
        });
        SortedRuns.Sink cut = doc -> {
            counts[0]++;
            counts[1] += doc.length;
            chunker.add(ByteBuffer.wrap(doc));
        };
        if (replay == null) {
            runs.merge(cut);
        } else {
            OplogReplay.Merge merge = replay.over(c.ns(), cut);
            runs.merge(merge);
            merge.finish();
        }
        chunker.finish();
        List<ObjectRef> objects = new ArrayList<>();
        for (Future<ObjectRef> f : pending) {
            objects.add(await(f));
        }
        return new NamespaceSnapshot(c.db(), c.collection(), "collection", c.options(), c.indexes(), counts[0], counts[1],
                objects, c.uuid());
    }

    private static ObjectRef await(Future<ObjectRef> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while storing objects");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
