package dev.rewind.timeline;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts the events of {@code (from, to]} per namespace and bucket (pure: it is fed events and
 * never reads). Memory is one {@link Counts} per namespace and non-empty bucket, whatever the
 * number of events. A {@code dropDatabase} counts as a drop of the namespace {@code db.*}.
 */
public final class Timeline {
    /** The most buckets a timeline spans, so that a fine width over a long range is refused, not slow. */
    public static final long MAX_BUCKETS = 10_000;

    private final ClusterTime from;
    private final ClusterTime to;
    private final BucketSize size;
    private final ZoneId zone;
    private final List<NamespacePattern> patterns;
    private final Map<String, TreeMap<Long, Counts>> counts = new TreeMap<>();
    private final Set<String> seen = new TreeSet<>();
    private long events;

    public Timeline(ClusterTime from, ClusterTime to, BucketSize size, ZoneId zone, List<NamespacePattern> patterns) {
        this.from = from;
        this.to = to;
        this.size = size;
        this.zone = zone;
        this.patterns = List.copyOf(patterns);
        long buckets = (size.start(to.seconds(), zone) - size.start(firstSecond(), zone)) / size.seconds() + 1;
        if (buckets > MAX_BUCKETS) {
            throw RewindException.usage("--by " + size.label() + " cuts the range into " + buckets + " buckets (at most "
                    + MAX_BUCKETS + ")", "choose a wider --by, or a narrower --from/--to; without --by a width is chosen");
        }
    }

    /** Takes an event; events outside the range, of other namespaces, or of no counted kind are ignored. */
    public void accept(ChangeEvent e) {
        accept(e, false);
    }

    /** As {@link #accept(ChangeEvent)}; {@code own} when it is one of Rewind's own writes (counted apart). */
    public void accept(ChangeEvent e, boolean own) {
        e.impliedDrop().ifPresent(drop -> accept(drop, own));  // a rename over a collection is its drop
        if (e.ns() == null || !Counts.counts(e) || !e.clusterTime().isAfter(from) || e.clusterTime().isAfter(to)) {
            return;
        }
        String ns = name(e);
        seen.add(ns);
        if (!NamespacePattern.anyMatches(patterns, ns)) {
            return;
        }
        events++;
        Counts c = counts.computeIfAbsent(ns, k -> new TreeMap<>())
                .computeIfAbsent(size.start(e.clusterTime().seconds(), zone), k -> new Counts());
        if (own) {
            c.addRewinds();
        } else {
            c.add(e);
        }
    }

    /** The namespace an event counts under: {@code db.coll}, or {@code db.*} for a database. */
    static String name(ChangeEvent e) {
        return e.ns().isDatabase() ? e.ns().db() + ".*" : e.ns().toString();
    }

    public void acceptAll(Iterable<ChangeEvent> events) {
        events.forEach(this::accept);
    }

    /** Events counted (in the range and matching the patterns). */
    public long events() {
        return events;
    }

    /** Every namespace with a counted kind of event in the range, matching the patterns or not. */
    public Set<String> namespacesSeen() {
        return seen;
    }

    /** Bucket starts (epoch seconds) from the one holding the range's first second to the one holding its last. */
    public List<Long> bucketStarts() {
        List<Long> out = new ArrayList<>();
        long last = size.start(to.seconds(), zone);
        for (long s = size.start(firstSecond(), zone); s <= last; ) {
            out.add(s);
            long next = size.start(s + size.seconds(), zone);
            s = next > s ? next : size.start(s + size.seconds() + 3600, zone);
        }
        return out;
    }

    /** The timeline of each namespace with events, by name, every bucket of the range included. */
    public List<NamespaceTimeline> namespaces() {
        List<Long> starts = bucketStarts();
        List<NamespaceTimeline> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Long, Counts>> entry : counts.entrySet()) {
            List<Counts> row = new ArrayList<>(starts.size());
            for (long s : starts) {
                row.add(entry.getValue().getOrDefault(s, new Counts()));
            }
            out.add(NamespaceTimeline.of(entry.getKey(), starts, row));
        }
        return out;
    }

    public ClusterTime from() { return from; }

    public ClusterTime to() { return to; }

    public BucketSize size() { return size; }

    public ZoneId zone() { return zone; }

    /** The first whole second the range can hold an event of. */
    private long firstSecond() {
        return from.unsignedIncrement() == 0xFFFF_FFFFL ? from.seconds() + 1 : from.seconds();
    }
}
