package dev.rewind.bench;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.BsonValue;

/**
 * When each write was acknowledged and when its change event became durable, keyed by
 * (document {@code _id}, operation). The write load touches each {@code _id} at most once per
 * operation kind, so the pair names exactly one write and exactly one event. An event whose
 * {@code _id} is unknown stays unpaired: the sandbox's update events carry the update
 * specification instead of the key, and capture learns the {@code _id} only from the looked-up
 * document, which is gone when the document was deleted before the lookup.
 */
final class LagLog {
    /** Lag percentiles over a set of writes, in milliseconds. */
    record Lags(int count, double p50, double p99, double max) { }

    private final Map<Long, Long> acked = new ConcurrentHashMap<>();
    private final Map<Long, Long> sealed = new ConcurrentHashMap<>();

    static long key(long id, Operation op) {
        int kind = switch (op) {
            case INSERT -> 0;
            case UPDATE -> 1;
            case REPLACE -> 2;
            case DELETE -> 3;
            default -> -1;
        };
        return kind < 0 ? -1 : id * 4 + kind;
    }

    /** Called by a writer right after the server acknowledged the write. */
    void acked(long id, Operation op) {
        acked.put(key(id, op), System.nanoTime());
    }

    /** The {@code CaptureLoop.onSealed} hook: the events of a segment that just became durable. */
    void sealed(List<ChangeEvent> events) {
        long now = System.nanoTime();
        for (ChangeEvent e : events) {
            BsonValue id = e.id();
            if (id != null && id.isInt64()) {
                long k = key(id.asInt64().getValue(), e.operation());
                if (k >= 0) {
                    sealed.put(k, now);
                }
            }
        }
    }

    int writes() {
        return acked.size();
    }

    /** Events that became durable between the two {@code System.nanoTime()} readings. */
    long sealedBetween(long from, long to) {
        return sealed.values().stream().filter(t -> t >= from && t <= to).count();
    }

    /**
     * Lags of the durable writes, in the order they were acknowledged, split into {@code parts}
     * equal slices (first slice first); {@code parts = 1} gives all of them.
     */
    List<Lags> lags(int parts) {
        List<long[]> pairs = new ArrayList<>();
        acked.forEach((k, ack) -> {
            Long seal = sealed.get(k);
            if (seal != null) {
                pairs.add(new long[] {ack, Math.max(0, seal - ack)});
            }
        });
        pairs.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Lags> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) pairs.size() * p / parts);
            int to = (int) ((long) pairs.size() * (p + 1) / parts);
            long[] lags = new long[to - from];
            for (int i = from; i < to; i++) {
                lags[i - from] = pairs.get(i)[1];
            }
            Arrays.sort(lags);
            out.add(new Lags(lags.length, millis(lags, 0.50), millis(lags, 0.99),
                    lags.length == 0 ? Double.NaN : lags[lags.length - 1] / 1e6));
        }
        return out;
    }

    private static double millis(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
