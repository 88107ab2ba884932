package dev.rewind.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One command run as its own process and measured from outside: wall time, and where GNU time
 * ({@code /usr/bin/time}) is there, the process's user + system CPU and its peak resident memory.
 *
 * @param wallSeconds elapsed time
 * @param cpuSeconds user + system time, or -1 when unknown
 * @param peakRssMb the largest resident set, in MiB, or -1 when unknown
 */
public record Measured(double wallSeconds, double cpuSeconds, double peakRssMb) {
    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    /** Runs {@code command} to the end (failing if it fails), its output into {@code log}. */
    public static Measured run(List<String> command, Path log) throws IOException, InterruptedException {
        Path report = Files.createTempFile("rewind-measured", ".txt");
        List<String> full = new ArrayList<>();
        boolean timed = Files.isExecutable(GNU_TIME);
        if (timed) {
            full.addAll(List.of(GNU_TIME.toString(), "-o", report.toString(), "-f", "%U %S %M"));
        }
        full.addAll(command);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.HOURS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IOException("failed (exit " + p.exitValue() + "): " + String.join(" ", command) + "\n"
                    + Files.readString(log));
        }
        double cpu = -1;
        double rss = -1;
        if (timed) {
            String[] f = Files.readString(report).trim().split("\\s+");
            String[] last = f.length >= 3 ? new String[] {f[f.length - 3], f[f.length - 2], f[f.length - 1]} : f;
            cpu = Double.parseDouble(last[0]) + Double.parseDouble(last[1]);
            rss = Long.parseLong(last[2]) / 1024.0;
        }
        Files.deleteIfExists(report);
        return new Measured(wall, cpu, rss);
    }

    /** The median of each measure over several runs. */
    public static Measured median(List<Measured> runs) {
        return new Measured(median(runs.stream().mapToDouble(Measured::wallSeconds).toArray()),
                median(runs.stream().mapToDouble(Measured::cpuSeconds).toArray()),
                median(runs.stream().mapToDouble(Measured::peakRssMb).toArray()));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
