package dev.rewind.repo;

import dev.rewind.event.ClusterTime;

/**
 * A change-log segment's name, {@code segments/<from>-<to>}: it covers the cluster times
 * {@code (from, to]}, both in the sortable form, so that listing the folder lists the log in time
 * order and the chain can be checked without opening a file.
 */
public record SegmentName(ClusterTime from, ClusterTime to) implements Comparable<SegmentName> {
    public static final String FOLDER = "segments/";

    public String name() {
        return FOLDER + from.sortable() + "-" + to.sortable();
    }

    public static SegmentName parse(String name) {
        String base = name.startsWith(FOLDER) ? name.substring(FOLDER.length()) : name;
        int dash = base.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("not a segment name: " + name);
        }
        return new SegmentName(ClusterTime.parseSortable(base.substring(0, dash)),
                ClusterTime.parseSortable(base.substring(dash + 1)));
    }

    /** Whether this segment's coverage holds {@code t}. */
    public boolean covers(ClusterTime t) {
        return t.isAfter(from) && !t.isAfter(to);
    }

    @Override
    public int compareTo(SegmentName o) {
        int c = from.compareTo(o.from);
        return c != 0 ? c : to.compareTo(o.to);
    }
}
