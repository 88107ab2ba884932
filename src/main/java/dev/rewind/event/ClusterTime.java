package dev.rewind.event;

import org.bson.BsonTimestamp;

/** MongoDB's cluster time, {@code Timestamp(seconds, increment)}: the total order of events. */
public record ClusterTime(long seconds, int increment) implements Comparable<ClusterTime> {

    public static ClusterTime fromBson(BsonTimestamp ts) {
        return new ClusterTime(Integer.toUnsignedLong(ts.getTime()), ts.getInc());
    }

    public BsonTimestamp toBson() {
        return new BsonTimestamp((int) seconds, increment);
    }

    /** Parses {@code seconds,increment}. */
    public static ClusterTime parse(String text) {
        String[] parts = text.trim().split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a cluster time (expected seconds,increment): " + text);
        }
        return new ClusterTime(Long.parseLong(parts[0].trim()), Integer.parseUnsignedInt(parts[1].trim()));
    }

    /** Fixed-width form that sorts in time order, for file names: {@code 0001763387590.0000000012}. */
    public String sortable() {
        return String.format("%013d.%010d", seconds, Integer.toUnsignedLong(increment));
    }

    @Override
    public int compareTo(ClusterTime o) {
        int c = Long.compare(seconds, o.seconds);
        return c != 0 ? c : Integer.compareUnsigned(increment, o.increment);
    }

    @Override
    public String toString() {
        return seconds + "," + Integer.toUnsignedLong(increment);
    }
}
