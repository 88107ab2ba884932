package dev.rewind.detect;

import dev.rewind.event.ClusterTime;
import dev.rewind.event.Operation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct documents one rule saw in one namespace during the last {@code seconds} seconds of
 * event time (cluster-time seconds). A document seen again moves to the end and keeps the time it
 * was first seen; entries older than the window fall out from the front, so adding is O(1)
 * amortized. Memory grows with the distinct documents in the window, which the detector bounds by
 * clearing the window when an incident opens.
 */
final class SlidingWindow {
    /** What the window knows of one document: when it was first and last seen, by what, how many events. */
    static final class Entry {
        final ClusterTime first;
        long lastSecond;
        Operation op;
        int events;

        Entry(ClusterTime first, Operation op) {
            this.first = first;
            this.lastSecond = first.seconds();
            this.op = op;
        }
    }

    private final int seconds;
    private final LinkedHashMap<Object, Entry> entries = new LinkedHashMap<>();
    private long anonymous;

    SlidingWindow(int seconds) {
        this.seconds = seconds;
    }

    /** Adds an event at {@code at} on the document {@code key} (null for one without a known document). */
    void add(Object key, ClusterTime at, Operation op) {
        evict(at.seconds());
        Object k = key == null ? new Anonymous(anonymous++) : key;
        Entry e = entries.remove(k);
        if (e == null) {
            e = new Entry(at, op);
        }
        e.lastSecond = Math.max(e.lastSecond, at.seconds());
        e.op = op;
        e.events++;
        entries.put(k, e);
    }

    /** Drops what is older than the window ending at {@code nowSecond}. */
    void evict(long nowSecond) {
        long oldest = nowSecond - seconds + 1;
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            if (it.next().lastSecond >= oldest) {
                return;
            }
            it.remove();
        }
    }

    /** Distinct documents in the window. */
    int size() {
        return entries.size();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    void clear() {
        entries.clear();
    }

    /** The earliest event of the documents in the window. */
    ClusterTime first() {
        ClusterTime min = null;
        for (Entry e : entries.values()) {
            if (min == null || e.first.isBefore(min)) {
                min = e.first;
            }
        }
        return min;
    }

    /** The most documents last seen in one second of the window. */
    long busiestSecond() {
        Map<Long, Long> bySecond = new java.util.HashMap<>();
        long max = 0;
        for (Entry e : entries.values()) {
            max = Math.max(max, bySecond.merge(e.lastSecond, 1L, Long::sum));
        }
        return max;
    }

    /** Documents last seen in {@code second}. */
    long inSecond(long second) {
        return entries.values().stream().filter(e -> e.lastSecond == second).count();
    }

    /** Events by operation over the documents in the window (replace counted as update). */
    Map<Operation, Long> counts() {
        Map<Operation, Long> out = new EnumMap<>(Operation.class);
        for (Entry e : entries.values()) {
            out.merge(e.op == Operation.REPLACE ? Operation.UPDATE : e.op, (long) e.events, Long::sum);
        }
        return out;
    }

    /** Up to {@code n} document keys, oldest first (anonymous ones left out). */
    List<Object> samples(int n) {
        List<Object> out = new ArrayList<>();
        for (Object k : entries.keySet()) {
            if (out.size() == n) {
                break;
            }
            if (!(k instanceof Anonymous)) {
                out.add(k);
            }
        }
        return out;
    }

    private record Anonymous(long n) { }
}
