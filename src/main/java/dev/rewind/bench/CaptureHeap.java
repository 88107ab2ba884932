package dev.rewind.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.repo.Repository;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Part 4 of the capture benchmark: runs {@code rewind capture} as its own JVM with
 * {@code -Xmx256m} against an in-memory sandbox of a given size while writers run, and samples
 * its heap with {@code jstat -gc}: during the first snapshot, and at steady state after a full
 * GC ({@code jcmd GC.run}) every few seconds.
 */
final class CaptureHeap {
    static final String MAX_HEAP = "-Xmx256m";
    private static final int EVERY_SECONDS = 5;

    private final int writers;
    private final int seconds;
    private final PrintWriter out;

    CaptureHeap(int writers, int seconds, PrintWriter out) {
        this.writers = writers;
        this.seconds = seconds;
        this.out = out;
    }

    void measure(int docs, Path dir) throws IOException, InterruptedException {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            FamilyChanges.load(client.getDatabase("bench").getCollection("family"), docs);
            Repository repo = Repository.init(new LocalStore(dir.resolve("repo")));
            Path logFile = dir.resolve("capture.log");
            Process capture = new ProcessBuilder(tool("java"), MAX_HEAP, "-cp", classPath(), "dev.rewind.cli.Main", "capture",
                    "--uri", sandbox.uri(), "--repo", dir.resolve("repo").toString(), "--ns", "bench.*",
                    "--seal-interval", "1s").redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            WriteLoad load = new WriteLoad(client.getDatabase("bench").getCollection("writes"), writers);
            LagLog acks = new LagLog();
            try {
                load.start(acks);
                long t0 = System.nanoTime();
                double peakDuringSnapshot = 0;
                while (repo.snapshots().isEmpty()) {
                    if (!capture.isAlive()) {
                        throw new IllegalStateException("the capture process ended: " + Files.readString(logFile));
                    }
                    peakDuringSnapshot = Math.max(peakDuringSnapshot, heapUsedMb(capture.pid()));
                    Thread.sleep(1000);
                }
                double snapshotSeconds = (System.nanoTime() - t0) / 1e9;
                List<Double> afterGc = new ArrayList<>();
                double peakBeforeGc = 0;
                long w0 = acks.writes();
                long s0 = System.nanoTime();
                for (int i = 0; i < seconds / EVERY_SECONDS; i++) {
                    Thread.sleep(EVERY_SECONDS * 1000L);
                    if (!capture.isAlive()) {
                        throw new IllegalStateException("the capture process ended: " + Files.readString(logFile));
                    }
                    peakBeforeGc = Math.max(peakBeforeGc, heapUsedMb(capture.pid()));
                    run(tool("jcmd"), String.valueOf(capture.pid()), "GC.run");
                    afterGc.add(heapUsedMb(capture.pid()));
                }
                double rate = (acks.writes() - w0) / ((System.nanoTime() - s0) / 1e9);
                List<Double> sorted = new ArrayList<>(afterGc);
                sorted.sort(null);
                out.printf(Locale.ROOT, "4. capture process (%s) heap, %,d documents: first snapshot %.1f s, heap used up to %.0f MB"
                        + " during it%n", MAX_HEAP, docs, snapshotSeconds, peakDuringSnapshot);
                out.printf(Locale.ROOT, "   steady state, %d s of writes at %,.0f ops/s: after GC min/median/max %.1f / %.1f / %.1f MB;"
                        + " before GC up to %.0f MB; RSS %s%n", seconds, rate, sorted.get(0), sorted.get(sorted.size() / 2),
                        sorted.get(sorted.size() - 1), peakBeforeGc, rss(capture.pid()));
                out.printf(Locale.ROOT, "   samples after GC (MB): %s%n", afterGc.stream()
                        .map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
                out.flush();
            } finally {
                load.stop();
                capture.destroy();
                if (!capture.waitFor(60, TimeUnit.SECONDS)) {
                    capture.destroyForcibly();
                }
            }
        }
    }

    /** Heap in use (survivors + eden + old), in MB, from {@code jstat -gc}; 0 when it cannot be read. */
    static double heapUsedMb(long pid) throws IOException, InterruptedException {
        List<String> lines = run(tool("jstat"), "-gc", String.valueOf(pid)).lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) {
            return 0;
        }
        String[] head = lines.get(0).trim().split("\\s+");
        String[] values = lines.get(1).trim().split("\\s+");
        double kb = 0;
        for (int i = 0; i < head.length && i < values.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(head[i])) {
                kb += Double.parseDouble(values[i]);
            }
        }
        return kb / 1024;
    }

    private static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }

    /** A JDK tool next to the running java, else on the PATH. */
    private static String tool(String name) {
        Path p = Path.of(System.getProperty("java.home"), "bin", name);
        return Files.isExecutable(p) ? p.toString() : name;
    }

    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String s : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            parts.add(Path.of(s).toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, parts);
    }
}
