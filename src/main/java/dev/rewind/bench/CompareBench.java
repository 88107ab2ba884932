package dev.rewind.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.bson.Document;

/**
 * Rewind and the peer tools (mongodump and mongorestore 100.8.0) side by side, in one run, on the
 * same in-memory sandbox and the same family documents: snapshot against {@code mongodump --gzip}
 * and plain {@code mongodump} (the server's scan speed), restore against {@code mongorestore}, and
 * the bytes each stores. Each tool runs as its own process, measured from outside (wall time, CPU,
 * peak RSS); medians of {@code rounds}. The peer binaries are for measuring only.
 */
public final class CompareBench {
    /**
     * The launcher's JVM options ({@code ./rewind} passes {@code jvm.options} as an argument file):
     * Rewind's processes here run with them, as a user's would. The file is looked for beside the
     * folder of the jar (the project's root) and in the working folder; without it they run with
     * the JVM's defaults, and the benchmark says so.
     */
    static List<String> launcherJvmOptions(PrintWriter out) {
        List<Path> places = new ArrayList<>();
        try {
            Path jar = Path.of(CompareBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.getParent() != null && jar.getParent().getParent() != null) {
                places.add(jar.getParent().getParent().resolve("jvm.options"));
            }
        } catch (java.net.URISyntaxException | SecurityException e) {
            // fall back to the working folder
        }
        places.add(Path.of("jvm.options").toAbsolutePath());
        for (Path p : places) {
            if (Files.isRegularFile(p)) {
                List<String> options = new ArrayList<>(List.of("@" + p));
                options.addAll(classArchive(p.getParent().resolve("target")));
                return options;
            }
        }
        out.println("NOTE: no jvm.options found (looked at " + places + "): Rewind runs with the JVM's default options");
        return List.of();
    }

    /**
     * The launcher's class cache options, when {@code target/rewind.aot} (an AOT cache, java 25 or
     * newer) or {@code target/rewind.jsa} (a class archive) was made for the jar there and for the
     * java this benchmark runs its processes with: the {@code .for} file beside it holds the jar's
     * path, its time in seconds and its size, then java's real path and its time, as ./rewind writes it.
     */
    static List<String> classArchive(Path target) {
        Path jar = target.resolve("rewind.jar");
        try {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
            String stamp = jar.toAbsolutePath() + " " + Files.getLastModifiedTime(jar).toMillis() / 1000 + " " + Files.size(jar)
                    + " " + java + " " + Files.getLastModifiedTime(java).toMillis() / 1000;
            Path aot = target.resolve("rewind.aot");
            if (madeFor(aot, stamp)) {
                return List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off", "-Xlog:cds=off");
            }
            Path jsa = target.resolve("rewind.jsa");
            if (madeFor(jsa, stamp)) {
                return List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
            }
        } catch (IOException e) {
            // no jar, or no cache made for it: run without one, as the launcher then does
        }
        return List.of();
    }

    private static boolean madeFor(Path cache, String stamp) throws IOException {
        Path stampFile = cache.resolveSibling(cache.getFileName() + ".for");
        return Files.isRegularFile(cache) && Files.isRegularFile(stampFile) && Files.readString(stampFile).strip().equals(stamp);
    }

    private final int documents;
    private final int rounds;
    private final Path peers;
    private final PrintWriter out;
    private final List<String> jvmOptions;
    private final java.util.Map<String, List<Double>> serverGc = new java.util.HashMap<>();
    private final java.util.Map<String, List<Double>> steal = new java.util.HashMap<>();
    private int scaleBase;
    private int undoDocuments;
    private int undoDeletes;

    public CompareBench(int documents, int rounds, Path peers, PrintWriter out) {
        this.documents = documents;
        this.rounds = rounds;
        this.peers = peers;
        this.out = out;
        this.jvmOptions = launcherJvmOptions(out);
    }

    /** Also measures at {@code base}, 4× and 16× as many documents (0: not). */
    public CompareBench scaling(int base) {
        this.scaleBase = base;
        return this;
    }

    /** Also runs the undo benchmark: {@code deletes} of {@code documents} undone (0: not). */
    public CompareBench undo(int documents, int deletes) {
        this.undoDocuments = documents;
        this.undoDeletes = deletes;
        return this;
    }

    /** Where the peer binaries usually are: {@code ../shared/peers/mongo-tools-100.8.0} from the project. */
    public static Path defaultPeers() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/peers/mongo-tools-100.8.0");
            if (Files.isExecutable(candidate.resolve("mongodump"))) {
                return candidate;
            }
        }
        return here.resolveSibling("shared").resolve("peers/mongo-tools-100.8.0");
    }

    public void run() throws IOException, InterruptedException {
        Path mongodump = peers.resolve("mongodump");
        Path mongorestore = peers.resolve("mongorestore");
        boolean havePeers = Files.isExecutable(mongodump) && Files.isExecutable(mongorestore);
        if (!havePeers) {
            out.println("THE PEER BINARIES ARE ABSENT: no mongodump and mongorestore at " + peers
                    + "; nothing to compare with (give --peers DIR). Rewind's own figures follow.");
        } else {
            sideBySide(mongodump, mongorestore);
        }
        if (scaleBase > 0) {
            scalingCurve(havePeers ? mongodump : null);
        }
        if (undoDocuments > 0) {
            out.println();
            out.flush();
            new UndoBench(undoDocuments, undoDeletes, false, "1g", out).run();
        }
        out.flush();
    }

    /**
     * Snapshot and restore at {@code scaleBase} ×1, ×4 and ×16 documents, one round each, each on a
     * fresh sandbox: does the time per document stay flat (linear growth), and the memory?
     */
    private void scalingCurve(Path mongodump) throws IOException, InterruptedException {
        out.println();
        out.printf(Locale.ROOT, "scaling (one round each; µs per document; CPU is the tool's user+sys; peak RSS):%n");
        out.printf(Locale.ROOT, "%10s %12s %10s %11s %10s %14s %10s %16s %14s%n", "documents", "snapshot s", "µs/doc",
                "CPU s", "CPU µs/doc", "snapshot RSS", "restore s", "mongodump --gzip", "its CPU µs/doc");
        for (int k : new int[] {1, 4, 16}) {
            int n = scaleBase * k;
            Path dir = Files.createTempDirectory("rewind-scale");
            try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
                String uri = sandbox.uri();
                load(client.getDatabase("famigo").getCollection("family"), n);
                Path repo = dir.resolve("repo");
                rewind(List.of("init", "--repo", repo.toString()), dir.resolve("init.log"));
                // both scans of the same collection, before the restore doubles what the sandbox holds; each after a GC
                Measured s = afterGc(() -> rewind(List.of("snapshot", "--uri", uri, "--repo", repo.toString(),
                        "--ns", "famigo.*"), dir.resolve("snapshot.log")));
                String peer = "-";
                String peerCpu = "-";
                if (mongodump != null) {
                    Measured d = afterGc(() -> Measured.run(List.of(mongodump.toString(), "--quiet", "--uri", uri,
                            "--db", "famigo", "--archive=" + dir.resolve("dump.gz"), "--gzip"), dir.resolve("mongodump.log")));
                    peer = String.format(Locale.ROOT, "%.2f s", d.wallSeconds());
                    peerCpu = String.format(Locale.ROOT, "%.1f", d.cpuSeconds() * 1e6 / n);
                }
                Measured r = afterGc(() -> rewind(List.of("restore", "--repo", repo.toString(), "--uri", uri,
                        "--snapshot", "latest", "--ns-from", "famigo.*", "--ns-to", "back.*", "--quiet"), dir.resolve("restore.log")));
                out.printf(Locale.ROOT, "%,10d %12.2f %10.1f %11.2f %10.1f %11.0f MB %10.2f %16s %14s%n", n, s.wallSeconds(),
                        s.wallSeconds() * 1e6 / n, s.cpuSeconds(), s.cpuSeconds() * 1e6 / n, s.peakRssMb(), r.wallSeconds(),
                        peer, peerCpu);
                out.flush();
            } finally {
                delete(dir);
            }
        }
    }

    private void sideBySide(Path mongodump, Path mongorestore) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rewind-compare");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            String uri = sandbox.uri();
            long rawBytes = load(client.getDatabase("famigo").getCollection("family"), documents);
            out.printf(Locale.ROOT, "sandbox (in memory), %,d family documents, %.1f MB of BSON; medians of %d rounds%n",
                    documents, rawBytes / 1e6, rounds);
            List<Measured> dumpGzip = new ArrayList<>();
            List<Measured> dumpPlain = new ArrayList<>();
            List<Measured> snapshot = new ArrayList<>();
            List<Measured> peerRestore = new ArrayList<>();
            List<Measured> restore = new ArrayList<>();
            long gzipBytes = 0;
            long storedBytes = 0;
            for (int r = 0; r < rounds; r++) {
                Path archive = dir.resolve("dump-" + r + ".gz");
                dumpGzip.add(step("mongodump --gzip", () -> Measured.run(List.of(mongodump.toString(), "--quiet", "--uri", uri,
                        "--db", "famigo", "--archive=" + archive, "--gzip"), dir.resolve("mongodump.log"))));
                gzipBytes = Files.size(archive);
                Path plain = dir.resolve("dump-" + r);
                dumpPlain.add(step("mongodump (no compression)", () -> Measured.run(List.of(mongodump.toString(), "--quiet",
                        "--uri", uri, "--db", "famigo", "--archive=" + plain), dir.resolve("mongodump-plain.log"))));
                Files.deleteIfExists(plain);

                Path repo = dir.resolve("repo-" + r);
                rewind(List.of("init", "--repo", repo.toString()), dir.resolve("init.log"));
                snapshot.add(step("rewind snapshot", () -> rewind(List.of("snapshot", "--uri", uri, "--repo", repo.toString(),
                        "--ns", "famigo.*"), dir.resolve("snapshot.log"))));
                storedBytes = size(repo);

                // each restore into a database of its own, checked and dropped before the next, in
                // turns (the peer first in even rounds): neither inherits the other's data or garbage
                String peerDb = "peer" + r;
                String rewindDb = "rewind" + r;
                Run peer = () -> Measured.run(List.of(mongorestore.toString(), "--quiet", "--uri", uri,
                        "--archive=" + archive, "--gzip", "--nsFrom", "famigo.*", "--nsTo", peerDb + ".*"),
                        dir.resolve("mongorestore.log"));
                Run ours = () -> rewind(List.of("restore", "--repo", repo.toString(), "--uri", uri, "--snapshot",
                        "latest", "--ns-from", "famigo.*", "--ns-to", rewindDb + ".*", "--quiet"), dir.resolve("restore.log"));
                for (int turn = 0; turn < 2; turn++) {
                    if ((turn == 0) == (r % 2 == 0)) {
                        peerRestore.add(step("mongorestore --gzip", peer));
                        check(client, peerDb);
                        client.getDatabase(peerDb).drop();
                    } else {
                        restore.add(step("rewind restore", ours));
                        check(client, rewindDb);
                        client.getDatabase(rewindDb).drop();
                    }
                }
                Files.deleteIfExists(archive);
                delete(repo);
            }
            Measured dg = Measured.median(dumpGzip);
            Measured dp = Measured.median(dumpPlain);
            Measured s = Measured.median(snapshot);
            Measured pr = Measured.median(peerRestore);
            Measured rr = Measured.median(restore);
            out.printf(Locale.ROOT, "%-34s %8s %8s %9s %12s %8s%n", "", "wall s", "CPU s", "RSS MB", "server GC s", "steal");
            row("mongodump --gzip", dg);
            row("mongodump (no compression)", dp);
            row("rewind snapshot", s);
            row("mongorestore --gzip", pr);
            row("rewind restore", rr);
            out.printf(Locale.ROOT, "snapshot speed        %.2fx mongodump --gzip, %.2fx the plain scan (goal >= 2x, >= 0.67x)%n",
                    dg.wallSeconds() / s.wallSeconds(), dp.wallSeconds() / s.wallSeconds());
            out.printf(Locale.ROOT, "snapshot CPU          %.2fx mongodump --gzip (goal <= 1x)%n", s.cpuSeconds() / dg.cpuSeconds());
            out.printf(Locale.ROOT, "snapshot peak RSS     %.0f MB (goal <= 150 MB; mongodump %.0f MB)%n", s.peakRssMb(), dg.peakRssMb());
            out.printf(Locale.ROOT, "restore speed         %.2fx mongorestore (goal >= 1.5x)%n", pr.wallSeconds() / rr.wallSeconds());
            out.printf(Locale.ROOT, "stored size           %.1f MB = %.2fx the gzip archive (%.1f MB) (goal <= 0.8x)%n",
                    storedBytes / 1e6, storedBytes / (double) gzipBytes, gzipBytes / 1e6);
            warnOfSteal();
        } finally {
            delete(dir);
        }
    }

    private void row(String name, Measured m) {
        double[] st = sorted(steal, name);
        out.printf(Locale.ROOT, "%-34s %8.2f %8.2f %9.0f %12.2f %8s%n", name, m.wallSeconds(), m.cpuSeconds(), m.peakRssMb(),
                medianOf(sorted(serverGc, name)), st.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * medianOf(st)));
    }

    /**
     * Says so when the host took a noticeable share of this machine's CPU during the steps: every
     * figure is then slower than the machine's own, for both tools, and varies from run to run.
     */
    private void warnOfSteal() {
        double worst = steal.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(0);
        if (worst >= STEAL_WARNING) {
            out.printf(Locale.ROOT, "WARNING: this machine's host took up to %.0f%% of its CPU time (steal, /proc/stat) during"
                    + " these steps: every figure is slower than the machine's own and may vary from run to run%n", 100 * worst);
        }
    }

    /** A step's steal share from which {@link #warnOfSteal} speaks up. */
    static final double STEAL_WARNING = 0.05;

    private static double[] sorted(java.util.Map<String, List<Double>> byStep, String name) {
        return byStep.getOrDefault(name, List.of()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double medianOf(double[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    /** One measured process run. */
    private interface Run {
        Measured call() throws IOException, InterruptedException;
    }

    /**
     * Runs one measured step with the sandbox (in this JVM) settled first: a full collection, so
     * that no step pays for the garbage of the one before. Notes how long the sandbox's collector
     * ran during the step (the median is printed beside the step): a real mongod has no such pauses.
     */
    private Measured step(String name, Run run) throws IOException, InterruptedException {
        System.gc();
        long before = gcMillis();   // after the settling collection: it is not the step's
        HostSteal.Sample stealBefore = HostSteal.now();
        Measured m = run.call();
        serverGc.computeIfAbsent(name, k -> new ArrayList<>()).add((gcMillis() - before) / 1000.0);
        HostSteal.Sample stealAfter = HostSteal.now();
        if (stealBefore != null && stealAfter != null) {
            steal.computeIfAbsent(name, k -> new ArrayList<>()).add(stealAfter.shareSince(stealBefore));
        }
        return m;
    }

    /** Runs {@code run} after a full collection in this JVM (the sandbox's host), so it starts on a clean heap. */
    private static Measured afterGc(Run run) throws IOException, InterruptedException {
        System.gc();
        return run.call();
    }

    private static long gcMillis() {
        long total = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static long load(MongoCollection<Document> family, int documents) {
        Families gen = new Families(42);
        long bytes = 0;
        List<Document> batch = new ArrayList<>(1000);
        for (int i = 0; i < documents; i++) {
            Document d = gen.next();
            bytes += org.bson.RawBsonDocument.parse(d.toJson()).getByteBuffer().remaining();
            batch.add(d);
            if (batch.size() == 1000 || i == documents - 1) {
                family.insertMany(batch);
                batch = new ArrayList<>(1000);
            }
        }
        family.createIndex(new Document("email", 1), new com.mongodb.client.model.IndexOptions().unique(true));
        return bytes;
    }

    private void check(MongoClient client, String db) throws IOException {
        long n = client.getDatabase(db).getCollection("family").countDocuments();
        if (n != documents) {
            throw new IOException(db + ".family holds " + n + " documents after the restore, not " + documents);
        }
    }

    /** Runs Rewind's command line in a JVM of its own, as a user would run {@code ./rewind}. */
    private Measured rewind(List<String> args, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.rewind.cli.Main"));
        cmd.addAll(args);
        return Measured.run(cmd, log);
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
