package dev.rewind.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.rewind.cli.Main;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Runs a {@code rewind} command line, then prints the heap the process used: the sum of the heap
 * memory pools' peak usages (an upper bound of the live heap at any moment, since each pool peaks on
 * its own, garbage included: it can exceed {@code -Xmx}), and the largest heap in use just after a
 * garbage collection (the live heap's peak, as near as the collections saw it). Used by the
 * benchmarks to measure a command in its own JVM.
 */
public final class PeakHeap {
    static final String PREFIX = "peakHeapBytes=";
    static final String LIVE_PREFIX = "peakLiveHeapBytes=";

    private PeakHeap() { }

    public static void main(String[] args) {
        AtomicLong live = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum()
                            - nonHeap(info);
                    live.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        int code = Main.run(args);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println(PREFIX + peak);
        System.out.println(LIVE_PREFIX + live.get());
        System.exit(code);
    }

    /** The non-heap pools (metaspace, code cache) in a collection's report, which the live heap leaves out. */
    private static long nonHeap(GarbageCollectionNotificationInfo info) {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
            if (pool.getType() == MemoryType.NON_HEAP && u != null) {
                sum += u.getUsed();
            }
        }
        return sum;
    }
}
