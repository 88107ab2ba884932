package dev.rewind.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The share of this machine's CPU time its host took for other guests ("steal", the eighth figure
 * of the {@code cpu} line of Linux's {@code /proc/stat}). A virtual machine whose host is busy runs
 * every tool slower, by as much as a quarter: a benchmark prints it beside its figures so that a
 * reader can tell such a run from a slower program.
 */
final class HostSteal {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** Steal and total jiffies at one moment. */
    record Sample(long steal, long total) {
        /** Steal between {@code before} and this sample, as a share of all CPU time in between. */
        double shareSince(Sample before) {
            long total = this.total - before.total;
            return total <= 0 ? 0 : (steal - before.steal) / (double) total;
        }
    }

    private HostSteal() { }

    /** Now, or null where {@code /proc/stat} cannot be read (not Linux). */
    static Sample now() {
        try {
            for (String line : Files.readAllLines(PROC_STAT)) {
                if (line.startsWith("cpu ")) {
                    return parse(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: no figure
        }
        return null;
    }

    /** The summary line {@code cpu  user nice system idle iowait irq softirq steal ...}. */
    static Sample parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long total = 0;
        // user nice system idle iowait irq softirq steal: guest times are already in user and nice
        for (int i = 1; i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        return new Sample(Long.parseLong(f[8]), total);
    }
}
