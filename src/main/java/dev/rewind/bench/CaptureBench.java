package dev.rewind.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.NamespacePattern;
import dev.rewind.capture.CaptureLoop;
import dev.rewind.capture.CaptureOptions;
import dev.rewind.cli.Main;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.snapshot.Progress;
import dev.rewind.snapshot.SnapshotTaker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.bson.types.ObjectId;
import picocli.CommandLine;

/**
 * The continuous-capture benchmark, on in-memory sandboxes: capture lag while writers go as fast
 * as the sandbox allows, the catch-up rate after capture was stopped, a point-in-time restore
 * against a plain restore of the same snapshot, and (with {@link CaptureHeap}) the heap of a
 * capture process at two database sizes.
 */
public final class CaptureBench {
    /** What to run and how big; every size can be made small for a quick run. */
    public record Sizes(int docs, int changes, int seconds, int stopSeconds, int writers,
                        int heapSeconds, List<Integer> heapDocs) { }

    static final List<NamespacePattern> BENCH = List.of(NamespacePattern.parse("bench.*"));
    private static final Duration SEAL = Duration.ofSeconds(1);
    private static final Duration PATIENCE = Duration.ofMinutes(60);

    private final Sizes sizes;
    private final PrintWriter out;

    public CaptureBench(Sizes sizes, PrintWriter out) {
        this.sizes = sizes;
        this.out = out;
    }

    public void run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rewind-capture-bench");
        try {
            say("in-memory sandbox, %d writer threads, seal interval %d ms, %d cores", sizes.writers(), SEAL.toMillis(),
                    Runtime.getRuntime().availableProcessors());
            if (sizes.seconds() > 0) {
                lagAndCatchUp(dir);
            }
            if (sizes.docs() > 0) {
                pointInTimeRestore(dir);
            }
            if (sizes.heapSeconds() > 0) {
                CaptureHeap heap = new CaptureHeap(sizes.writers(), sizes.heapSeconds(), out);
                for (int docs : sizes.heapDocs()) {
                    heap.measure(docs, dir.resolve("heap-" + docs));
                }
            }
        } finally {
            SnapshotBench.deleteTree(dir);
        }
    }

    /** Parts 1 and 2: lag at the sandbox's top write rate, then the catch-up after a stop. */
    private void lagAndCatchUp(Path dir) throws InterruptedException {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> coll = client.getDatabase("bench").getCollection("writes");
            coll.insertOne(new Document("_id", 0L));
            Repository repo = Repository.init(new LocalStore(dir.resolve("lag")));
            // a snapshot first, so that the capture below does not take one while it is measured
            new SnapshotTaker(repo, client, sandbox.uri(), Progress.NONE).take(BENCH, true);
            LagLog lags = new LagLog();
            Capture capture = new Capture(repo, client, sandbox.uri(), lags);
            Thread.sleep(1500);

            WriteLoad load = new WriteLoad(coll, sizes.writers());
            long t0 = System.nanoTime();
            load.start(lags);
            Thread.sleep(sizes.seconds() * 1000L);
            load.stop();
            long t1 = System.nanoTime();
            ClusterClock clock = new ClusterClock(client);
            ClusterTime lastWrite = clock.now();
            long sealedInWindow = lags.sealedBetween(t0, t1);
            await("capture to seal the last write", () -> covered(repo).compareTo(lastWrite) >= 0);
            long drained = System.nanoTime();
            double window = (t1 - t0) / 1e9;
            List<LagLog.Lags> thirds = lags.lags(3);
            LagLog.Lags all = lags.lags(1).get(0);
            say("1. capture lag while writing as fast as the sandbox allows, %d s (insert/$set/replace/delete, 25%% each)",
                    sizes.seconds());
            say("   write rate           %,10.0f ops/s   (%,d writes)", lags.writes() / window, lags.writes());
            say("   capture rate         %,10.0f events/s durable during the writes", sealedInWindow / window);
            say("   lag p50 / p99 / max  %,10.0f / %,.0f / %,.0f ms   (ack -> segment durable; %,d writes paired with their event)",
                    all.p50(), all.p99(), all.max(), all.count());
            say("   lag p50 by third     %,10.0f / %,.0f / %,.0f ms", thirds.get(0).p50(), thirds.get(1).p50(), thirds.get(2).p50());
            boolean keptUp = thirds.get(2).p50() <= 1.5 * thirds.get(0).p50() + 100;
            say("   kept up: %s (the last third's p50 is %s 1.5x the first's + 100 ms); last write durable %,.0f ms after it",
                    keptUp ? "yes" : "NO", keptUp ? "within" : "above", (drained - t1) / 1e6);

            capture.stop();
            LagLog stopped = new LagLog();
            long s0 = System.nanoTime();
            load.start(stopped);
            Thread.sleep(sizes.stopSeconds() * 1000L);
            load.stop();
            double stopWindow = (System.nanoTime() - s0) / 1e9;
            ClusterTime lastStopped = clock.now();
            long r0 = System.nanoTime();
            Capture again = new Capture(repo, client, sandbox.uri(), null);
            boolean caughtUp = awaitOrGiveUp(() -> covered(repo).compareTo(lastStopped) >= 0);
            double catchUp = (System.nanoTime() - r0) / 1e9;
            long durable = again.sealed.get();
            again.stop();
            say("2. catch-up: capture stopped for %d s while writers went on (%,.0f ops/s), then restarted, writers stopped",
                    sizes.stopSeconds(), stopped.writes() / stopWindow);
            if (caughtUp) {
                say("   %,d events durable %.1f s after the restart: %,.0f events/s while catching up (%.1fx the write rate)",
                        stopped.writes(), catchUp, stopped.writes() / catchUp, (stopped.writes() / catchUp) / (stopped.writes() / stopWindow));
            } else {
                say("   NOT caught up after %.0f s: %,d of %,d events durable, %,.0f events/s (%.2fx the write rate)",
                        catchUp, durable, stopped.writes(), durable / catchUp, (durable / catchUp) / (stopped.writes() / stopWindow));
            }
        }
    }

    /** Part 3: a restore --at the end of the log (snapshot + changes merged) against a plain restore of the snapshot. */
    private void pointInTimeRestore(Path dir) throws InterruptedException {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> coll = client.getDatabase("bench").getCollection("family");
            List<ObjectId> ids = FamilyChanges.load(coll, sizes.docs());
            Path repoDir = dir.resolve("pitr");
            Repository repo = Repository.init(new LocalStore(repoDir));
            long t0 = System.nanoTime();
            Capture capture = new Capture(repo, client, sandbox.uri(), null);
            await("the first snapshot", () -> !repo.snapshots().isEmpty());
            double snapshotSeconds = (System.nanoTime() - t0) / 1e9;
            SnapshotManifest snapshot = repo.snapshots().get(0);

            long c0 = System.nanoTime();
            FamilyChanges.run(coll, ids, sizes.changes(), sizes.writers());
            double changeSeconds = (System.nanoTime() - c0) / 1e9;
            ClusterTime end = new ClusterClock(client).now();
            await("the log to reach the last change", () -> covered(repo).compareTo(end) >= 0);
            capture.stop();
            say("3. restore --at vs plain restore: %,d families snapshotted by capture in %.1f s while it ran,"
                    + " then %,d changes (%,.0f/s)", snapshot.documents(), snapshotSeconds, sizes.changes(),
                    sizes.changes() / changeSeconds);

            String uri = sandbox.uri();
            String repoArg = repoDir.toString();
            double plain = Double.MAX_VALUE;
            double at = Double.MAX_VALUE;
            for (int round = 1; round <= 2; round++) {
                double p = restore(client, "plain", "restore", "--repo", repoArg, "--uri", uri, "--snapshot", snapshot.id(),
                        "--ns-from", "bench.*", "--ns-to", "plain.*", "--quiet");
                double a = restore(client, "at", "restore", "--repo", repoArg, "--uri", uri, "--at", end.toString(),
                        "--ns-from", "bench.*", "--ns-to", "at.*", "--quiet");
                say("   round %d: plain %.1f s (%,.0f docs/s), --at %.1f s", round, p, snapshot.documents() / p, a);
                plain = Math.min(plain, p);
                at = Math.min(at, a);
            }
            say("   best: plain %.1f s, --at %.1f s: %.2fx (target <= 1.3x)", plain, at, at / plain);
        }
    }

    private double restore(MongoClient client, String db, String... args) {
        client.getDatabase(db).drop();
        StringWriter text = new StringWriter();
        CommandLine cli = Main.commandLine(args);
        cli.setOut(new PrintWriter(text));
        cli.setErr(new PrintWriter(text));
        long t0 = System.nanoTime();
        int code = cli.execute(args);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("restore failed (" + code + "): " + text);
        }
        long count = client.getDatabase(db).getCollection("family").countDocuments();
        say("   %s", text.toString().lines().findFirst().orElse("") + ", " + String.format(Locale.ROOT, "%,d", count)
                + " documents in " + db + ".family");
        client.getDatabase(db).drop();
        return seconds;
    }

    private static ClusterTime covered(Repository repo) {
        List<SegmentName> names = repo.segmentNames();
        return names.isEmpty() ? ClusterTime.MIN : names.get(names.size() - 1).to();
    }

    /** Waits like {@link #await} but returns false instead of failing when it gives up. */
    private static boolean awaitOrGiveUp(BooleanSupplier done) throws InterruptedException {
        try {
            await("capture to catch up", done);
            return true;
        } catch (IllegalStateException e) {
            if (Capture.failure != null) {
                throw e;
            }
            return false;
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (Capture.failure != null) {
                throw new IllegalStateException("capture failed while waiting for " + what, Capture.failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + PATIENCE.toMinutes() + " minutes");
            }
            Thread.sleep(100);
        }
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }

    /** A {@link CaptureLoop} running on its own thread, as {@code rewind capture} runs it, with a seal interval of 1 s. */
    private static final class Capture {
        static volatile Throwable failure;
        final AtomicLong sealed = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Capture(Repository repo, MongoClient client, String source, LagLog lags) {
            CaptureOptions options = new CaptureOptions(BENCH, SEAL, CaptureOptions.DEFAULT_IDLE, null, 20_000);
            CaptureLoop loop = new CaptureLoop(repo, client, source, options, m -> { });
            loop.onSealed(events -> sealed.addAndGet(events.size()));
            if (lags != null) {
                loop.onSealed(lags::sealed);
            }
            thread = new Thread(() -> {
                try {
                    loop.run(stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
            }, "bench-capture");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops the loop, which seals what it holds, and waits for it. */
        void stop() throws InterruptedException {
            stop.set(true);
            thread.join();
            if (failure != null) {
                throw new IllegalStateException("capture failed", failure);
            }
        }
    }
}
