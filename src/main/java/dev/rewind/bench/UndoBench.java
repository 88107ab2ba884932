package dev.rewind.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.rewind.NamespacePattern;
import dev.rewind.capture.CaptureLoop;
import dev.rewind.capture.CaptureOptions;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The undo benchmark: a collection of family documents on an in-memory sandbox, captured into a
 * repository; an accident deletes some of them one at a time (the first ones in {@code _id} order,
 * or a random choice); then {@code rewind undo} runs as a separate JVM, first as a dry run, then with
 * {@code --apply}. Prints the time of each, documents/s, the peak heap of the undo process, and the
 * snapshot bytes undo read against the snapshot's stored size.
 */
public final class UndoBench {
    private final int documents;
    private final int deletes;
    private final boolean random;
    private final String childHeap;
    private final PrintWriter out;
    private List<Long> memoryDocs = new ArrayList<>();
    private boolean synthetic;
    private boolean uniqueEmail;
    private boolean drop;
    private boolean launcherOptions;

    public UndoBench(int documents, int deletes, boolean random, String childHeap, PrintWriter out) {
        this.documents = documents;
        this.deletes = deletes;
        this.random = random;
        this.childHeap = childHeap;
        this.out = out;
    }

    /** Writes the accident straight into the repository ({@link SyntheticAccident}) instead of staging it through capture. */
    public UndoBench synthetic(boolean on) {
        this.synthetic = on;
        return this;
    }

    /**
     * Makes the accident a drop of the whole collection, after which the application signs up {@link #AFTER_DROP}
     * families into a new one; undo runs with {@code --ops drop}, and {@code restore --at} (today's way back) of the
     * state just before the drop is measured beside it.
     */
    public UndoBench drop(boolean on) {
        this.drop = on;
        return this;
    }

    /**
     * Runs each command with the launcher's JVM options ({@code jvm.options} and the class archive, as
     * {@code ./rewind} does) before {@code -Xmx}, instead of the JVM's defaults (the G1 collector).
     */
    public UndoBench launcherOptions(boolean on) {
        this.launcherOptions = on;
        return this;
    }

    /** Families the application writes after a drop, which undo must leave alone. */
    static final int AFTER_DROP = 100;

    /** Gives the collection a unique index on {@code email} first, so that undo checks who holds each key it puts back. */
    public UndoBench uniqueEmail(boolean on) {
        this.uniqueEmail = on;
        return this;
    }

    /** Runs the dry run once per value of {@code --memory-docs} (none: undo's default, from its heap), the apply with the last. */
    public UndoBench memoryDocs(List<Long> n) {
        this.memoryDocs = n == null ? new ArrayList<>() : new ArrayList<>(n);
        return this;
    }

    public void run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rewind-undo-bench");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            say("each command in its own JVM: %s", launcherOptions ? "the launcher's options (jvm.options), then -Xmx" + childHeap
                    : "the JVM's defaults, -Xmx" + childHeap);
            if (drop) {
                say("sandbox (in memory), %,d family documents, the collection dropped, then %,d sign-ups; undo in a JVM with -Xmx%s",
                        documents, AFTER_DROP, childHeap);
            } else {
                say("sandbox (in memory), %,d family documents, %,d deleted %s (%s), undo in a JVM with -Xmx%s",
                        documents, deletes, synthetic ? "in a log written straight into the repository" : "one at a time",
                        synthetic || !random ? "first in _id order" : "random choice", childHeap);
            }
            MongoCollection<Document> family = client.getDatabase("bench").getCollection("family");
            if (uniqueEmail) {
                family.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
                say("a unique index on email");
            }
            Path repoDir = dir.resolve("repo");
            Repository repo = Repository.init(new LocalStore(repoDir));
            long t0 = System.nanoTime();
            SnapshotManifest snapshot;
            ClusterTime t1;
            ClusterTime t2;
            if (synthetic) {
                SyntheticAccident.Window w = SyntheticAccident.write(repo, client, sandbox.uri(), documents, deletes,
                        uniqueEmail);
                snapshot = w.snapshot();
                t1 = w.from();
                t2 = w.to();
                say("synthetic accident written in %.1f s: a snapshot of %,d documents (%,d bytes stored), %,d delete events"
                        + " in the log, %,d documents live", secs(t0), snapshot.documents(), snapshot.storedBytes(), deletes,
                        family.countDocuments());
            } else {
                Captured c = capture(sandbox, client, family, repo);
                snapshot = c.snapshot();
                t1 = c.from();
                t2 = c.to();
            }
            runUndo(sandbox, family, dir, repoDir, snapshot, t1, t2);
        } finally {
            SnapshotBench.deleteTree(dir);
        }
    }

    private record Captured(SnapshotManifest snapshot, ClusterTime from, ClusterTime to) { }

    /** Loads the families, captures them, deletes the victims one at a time and waits for capture to record it. */
    private Captured capture(Sandbox sandbox, MongoClient client, MongoCollection<Document> family, Repository repo)
            throws InterruptedException {
        long t0 = System.nanoTime();
        new Families(42).insert(family, documents);
        say("loaded in %.1f s", secs(t0));
        CaptureLoop loop = new CaptureLoop(repo, client, sandbox.uri(), new CaptureOptions(
                List.of(NamespacePattern.parse("bench.*")), Duration.ofSeconds(1), Duration.ofSeconds(1), null, 20_000),
                m -> { });
        AtomicBoolean stop = new AtomicBoolean();
        Thread capture = new Thread(() -> {
            try {
                loop.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "capture");
        t0 = System.nanoTime();
        capture.start();
        while (repo.snapshots().isEmpty()) {
            Thread.sleep(200);
        }
        SnapshotManifest snapshot = repo.snapshots().get(0);
        say("snapshot taken by capture in %.1f s: %,d documents, %,d bytes stored", secs(t0), snapshot.documents(),
                snapshot.storedBytes());
        Thread.sleep(1100);

        ClusterClock clock = new ClusterClock(client);
        ClusterTime t1 = clock.now();
        ClusterTime t2;
        if (drop) {
            family.drop();
            t2 = clock.now();
            new Families(43).insert(family, AFTER_DROP);
            say("accident: the collection dropped, then %,d sign-ups into a new one", AFTER_DROP);
        } else {
            List<Object> victims = victims(family);
            t0 = System.nanoTime();
            for (Object id : victims) {
                family.deleteOne(Filters.eq("_id", id));
            }
            t2 = clock.now();
            say("accident: %,d deleteOne in %.1f s", victims.size(), secs(t0));
        }
        ClusterTime end = clock.now();
        t0 = System.nanoTime();
        while (LogCoverage.windows(repo.snapshots(), repo.segmentNames()).stream().noneMatch(w -> !w.to().isBefore(end))) {
            Thread.sleep(200);
        }
        say("capture caught up %.1f s after the accident", secs(t0));
        stop.set(true);
        capture.join();
        return new Captured(snapshot, t1, t2);
    }

    /** The dry runs, one per --memory-docs value, then --apply with the last (not after a synthetic accident). */
    private void runUndo(Sandbox sandbox, MongoCollection<Document> family, Path dir, Path repoDir, SnapshotManifest snapshot,
                         ClusterTime t1, ClusterTime t2) throws IOException, InterruptedException {

        String[] base = {"undo", "--repo", repoDir.toString(), "--uri", sandbox.uri(), "--ns", "bench.family",
            "--from", t1.toString(), "--to", t2.toString(), "--ops", drop ? "drop" : "delete", "--json"};
        long touched = drop ? documents : deletes;
        String[] undo = base;
        List<Long> settings = memoryDocs.isEmpty() ? java.util.Collections.singletonList(null) : memoryDocs;
        for (Long setting : settings) {
            undo = setting == null ? base : plus(base, "--memory-docs", setting.toString());
            Run dry = child(undo, dir.resolve("dry.json"));
            Document plan = Document.parse(dry.stdout());
            long read = ((Number) plan.get("snapshotBytesRead")).longValue();
            say("dry run : %6.1f s  %,9.0f docs/s  peak heap %,6.0f MiB (live %,4.0f MiB)  %s, --memory-docs %s: %d pass(es)",
                    dry.seconds(), touched / dry.seconds(), dry.peakHeap() / 1048576.0, dry.peakLive() / 1048576.0,
                    plan.get("totals", Document.class).toJson(), setting == null ? "default" : String.format("%,d", setting),
                    plan.getInteger("passes"));
            say("          snapshot bytes read %,d of %,d stored (%.1f%%)", read, snapshot.storedBytes(),
                    100.0 * read / snapshot.storedBytes());
        }
        // diff and timeline of the same window, in the same heap
        measure("diff", new String[] {"diff", "--repo", repoDir.toString(), "--ns", "bench.family", "--at", t1.toString(),
            "--to", t2.toString(), "--json"}, dir);
        measure("timeline", new String[] {"timeline", "--repo", repoDir.toString(), "--from", t1.toString(), "--to",
            t2.toString(), "--json"}, dir);
        // the state after the accident, restored next to it: restore --at in passes over the same log, in the same heap
        // (after a drop, of the state just before it: today's way back, into another name)
        String[] restoreAt = {"restore", "--repo", repoDir.toString(), "--uri", sandbox.uri(), "--at", (drop ? t1 : t2).toString(),
            "--ns-from", "bench.family", "--ns-to", "bench.restored", "--quiet", "--json"};
        if (!memoryDocs.isEmpty()) {
            restoreAt = plus(restoreAt, "--memory-docs", memoryDocs.get(memoryDocs.size() - 1).toString());
        }
        measure("restore --at", restoreAt, dir);
        try (MongoClient c = MongoClients.create(sandbox.uri())) {
            c.getDatabase("bench").getCollection("restored").drop();  // so that the apply meets the sandbox as the accident left it
        }
        if (synthetic) {
            say("apply   : not run after a synthetic accident (it would put %,d documents back into the in-memory sandbox)",
                    deletes);
            return;
        }
        Run apply = child(plus(undo, "--apply"), dir.resolve("apply.json"));
        Document done = Document.parse(apply.stdout());
        say("apply   : %6.1f s  %,9.0f docs/s  peak heap %,6.0f MiB (live %,4.0f MiB)  %s in %d pass(es)", apply.seconds(),
                touched / apply.seconds(), apply.peakHeap() / 1048576.0, apply.peakLive() / 1048576.0,
                done.get("totals", Document.class).toJson(), done.getInteger("passes"));
        say("documents now: %,d of %,d%s", family.countDocuments(), documents, drop ? String.format(" (+ %,d sign-ups after the drop)", AFTER_DROP) : "");
    }

    private List<Object> victims(MongoCollection<Document> family) {
        List<Object> ids = new ArrayList<>(documents);
        for (Document d : family.find().projection(new Document("_id", 1)).sort(new Document("_id", 1)).batchSize(10_000)) {
            ids.add(d.get("_id", ObjectId.class));
        }
        if (random) {
            Collections.shuffle(ids, new Random(7));
        }
        return new ArrayList<>(ids.subList(0, Math.min(deletes, ids.size())));
    }

    /** Runs another reader of the window in its own JVM and prints its time, heap and the numbers of its JSON. */
    private void measure(String what, String[] args, Path dir) throws IOException, InterruptedException {
        Run r = child(args, dir.resolve(what + ".json"));
        Document numbers = new Document();
        if (r.stdout() != null) {
            Document.parse(r.stdout()).forEach((k, v) -> {
                if (v instanceof Number) {
                    numbers.put(k, v);
                }
            });
        }
        say("%-8s: %6.1f s  peak heap %,6.0f MiB (live %,4.0f MiB)  %s", what, r.seconds(), r.peakHeap() / 1048576.0,
                r.peakLive() / 1048576.0, numbers.toJson());
    }

    /** {@code args} followed by {@code more}. */
    private static String[] plus(String[] args, String... more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }

    private record Run(double seconds, String stdout, long peakHeap, long peakLive) { }

    /** Runs the command in a separate JVM (see {@link PeakHeap}) and returns its output and peak heap. */
    private Run child(String[] args, Path outFile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (launcherOptions) {
            cmd.addAll(CompareBench.launcherJvmOptions(out));
        }
        cmd.addAll(List.of("-Xmx" + childHeap, "-cp", System.getProperty("java.class.path"), PeakHeap.class.getName()));
        cmd.addAll(List.of(args));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int code = p.waitFor();
        double s = secs(t0);
        String stdout = Files.readString(outFile, StandardCharsets.UTF_8);
        if (code != 0) {
            throw new IllegalStateException("undo exited with " + code + ": " + stdout);
        }
        long peak = 0;
        long live = 0;
        String json = null;
        for (String line : stdout.split("\n")) {
            if (line.startsWith(PeakHeap.PREFIX)) {
                peak = Long.parseLong(line.substring(PeakHeap.PREFIX.length()).trim());
            } else if (line.startsWith(PeakHeap.LIVE_PREFIX)) {
                live = Long.parseLong(line.substring(PeakHeap.LIVE_PREFIX.length()).trim());
            } else if (line.startsWith("{")) {
                json = line;
            }
        }
        return new Run(s, json, peak, live);
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
