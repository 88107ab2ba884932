package dev.rewind.event;

import java.util.Objects;
import org.bson.BsonTimestamp;

/**
 * MongoDB's cluster time, {@code Timestamp(seconds, increment)}: the total order of change events.
 * Both parts are unsigned 32-bit numbers on the wire; here {@code seconds} is a long in
 * [0, 2^32) and {@code increment} an int read as unsigned, so every wire value round-trips.
 *
 * <p>Two text forms: {@link #toString()} gives {@code seconds,increment} (for people and
 * command lines), {@link #sortable()} gives {@code %010d.%010d}, fixed width, so that names
 * carrying it sort in time order.
 */
public record ClusterTime(long seconds, int increment) implements Comparable<ClusterTime> {
    private static final long MAX_UNSIGNED_INT = 0xFFFF_FFFFL;

    public static final ClusterTime MIN = new ClusterTime(0, 0);

    public ClusterTime {
        if (seconds < 0 || seconds > MAX_UNSIGNED_INT) {
            throw new IllegalArgumentException("cluster time seconds out of range: " + seconds);
        }
    }

    public static ClusterTime of(long seconds, long increment) {
        if (increment < 0 || increment > MAX_UNSIGNED_INT) {
            throw new IllegalArgumentException("cluster time increment out of range: " + increment);
        }
        return new ClusterTime(seconds, (int) increment);
    }

    public static ClusterTime fromBson(BsonTimestamp timestamp) {
        return new ClusterTime(Integer.toUnsignedLong(timestamp.getTime()), timestamp.getInc());
    }

    public BsonTimestamp toBson() {
        return new BsonTimestamp((int) seconds, increment);
    }

    /** The increment as the unsigned number it is on the wire. */
    public long unsignedIncrement() {
        return Integer.toUnsignedLong(increment);
    }

    /** Parses {@code seconds,increment}, the form {@link #toString()} prints. */
    public static ClusterTime parse(String text) {
        return parseTwo(text, ',');
    }

    /** Parses the fixed-width form {@link #sortable()} prints ({@code %010d.%010d}). */
    public static ClusterTime parseSortable(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() != 21 || text.charAt(10) != '.') {
            throw new IllegalArgumentException(
                    "not a sortable cluster time (expected 10 digits, '.', 10 digits): " + text);
        }
        return parseTwo(text, '.');
    }

    private static ClusterTime parseTwo(String text, char separator) {
        Objects.requireNonNull(text, "text");
        int at = text.indexOf(separator);
        if (at <= 0 || at == text.length() - 1 || text.indexOf(separator, at + 1) >= 0) {
            throw new IllegalArgumentException("not a cluster time (expected seconds" + separator
                    + "increment): " + text);
        }
        return of(digits(text.substring(0, at), text), digits(text.substring(at + 1), text));
    }

    private static long digits(String part, String whole) {
        if (part.isEmpty() || part.length() > 10 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a cluster time: " + whole);
        }
        return Long.parseLong(part);
    }

    /** Fixed-width {@code %010d.%010d}: sorts as text in the same order as {@link #compareTo}. */
    public String sortable() {
        return String.format("%010d.%010d", seconds, unsignedIncrement());
    }

    @Override
    public int compareTo(ClusterTime other) {
        int bySeconds = Long.compare(seconds, other.seconds);
        return bySeconds != 0 ? bySeconds : Integer.compareUnsigned(increment, other.increment);
    }

    public boolean isAfter(ClusterTime other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(ClusterTime other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return seconds + "," + unsignedIncrement();
    }
}
