package dev.rewind.timeline;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * When a bucket is a burst. Per namespace, over every bucket of the range (empty ones count as 0):
 * a bucket is a burst when its deletes are at least {@value #FACTOR} times the median deletes per
 * bucket and at least {@value #MIN_EVENTS}, or when its total events are at least {@value #FACTOR}
 * times the median total per bucket and at least {@value #MIN_EVENTS}. The floor keeps a quiet
 * namespace (median 0) from calling every busy bucket a burst.
 */
public final class BurstRule {
    public static final int FACTOR = 5;
    public static final long MIN_EVENTS = 100;

    private BurstRule() { }

    /** For each bucket, whether it is a burst. */
    public static boolean[] flag(List<Counts> buckets) {
        double deleteMedian = median(buckets, Counts::deletes);
        double totalMedian = median(buckets, Counts::total);
        boolean[] out = new boolean[buckets.size()];
        for (int i = 0; i < out.length; i++) {
            Counts c = buckets.get(i);
            out[i] = far(c.deletes(), deleteMedian) || far(c.total(), totalMedian);
        }
        return out;
    }

    static boolean far(long value, double median) {
        return value >= MIN_EVENTS && value >= FACTOR * median;
    }

    static double median(List<Counts> buckets, ToLongFunction<Counts> field) {
        if (buckets.isEmpty()) {
            return 0;
        }
        long[] v = buckets.stream().mapToLong(field).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }

    /** The rule in words, for help and output. */
    public static String describe() {
        return "a burst is a bucket whose deletes (or total events) are >= " + FACTOR
                + "x the namespace's median bucket and >= " + MIN_EVENTS;
    }
}
