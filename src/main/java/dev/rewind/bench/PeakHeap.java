package dev.rewind.bench;

import dev.rewind.cli.Main;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Runs a {@code rewind} command line, then prints the peak heap the process used: the sum of the
 * heap memory pools' peak usages (an upper bound of the live heap at any moment, since each pool
 * peaks on its own). Used by the benchmarks to measure a command in its own JVM.
 */
public final class PeakHeap {
    static final String PREFIX = "peakHeapBytes=";

    private PeakHeap() { }

    public static void main(String[] args) {
        int code = Main.run(args);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println(PREFIX + peak);
        System.exit(code);
    }
}
