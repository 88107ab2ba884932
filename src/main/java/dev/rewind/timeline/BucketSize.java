package dev.rewind.timeline;

import dev.rewind.PointInTime;
import dev.rewind.RewindException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The width of a timeline bucket. Buckets are aligned to whole multiples of the width in the
 * display zone (a day bucket starts at local midnight), so the same event always lands in the same
 * bucket.
 */
public record BucketSize(long seconds) {
    /** The widths a default is chosen from, smallest first. */
    static final List<Long> LADDER = List.of(1L, 2L, 5L, 10L, 15L, 30L, 60L, 120L, 300L, 600L, 900L, 1800L,
            3600L, 7200L, 10800L, 21600L, 43200L, 86400L, 7 * 86400L);
    /** The most rows a default width gives. */
    static final int MAX_DEFAULT_ROWS = 60;

    public BucketSize {
        if (seconds < 1) {
            throw new IllegalArgumentException("a bucket is at least one second wide");
        }
    }

    /** Parses {@code second}, {@code minute}, {@code hour}, {@code day}, or a duration such as {@code 5m}. */
    public static BucketSize parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase();
        return switch (t) {
            case "second" -> new BucketSize(1);
            case "minute" -> new BucketSize(60);
            case "hour" -> new BucketSize(3600);
            case "day" -> new BucketSize(86400);
            default -> {
                Duration d;
                try {
                    d = PointInTime.duration(t);
                } catch (RewindException e) {
                    throw RewindException.usage("not a bucket width: '" + text + "'",
                            "say second, minute, hour or day, or a duration such as 5m or 15s");
                }
                if (d.toSeconds() < 1 || d.toMillis() % 1000 != 0) {
                    throw RewindException.usage("not a bucket width: '" + text + "'", "buckets are whole seconds, at least 1s");
                }
                yield new BucketSize(d.toSeconds());
            }
        };
    }

    /** The smallest width from the ladder that cuts {@code rangeSeconds} into at most 60 buckets (about 20 to 60). */
    public static BucketSize choose(long rangeSeconds) {
        for (long s : LADDER) {
            if ((rangeSeconds + s - 1) / s <= MAX_DEFAULT_ROWS) {
                return new BucketSize(s);
            }
        }
        return new BucketSize(Math.max(LADDER.get(LADDER.size() - 1), (rangeSeconds + MAX_DEFAULT_ROWS - 1) / MAX_DEFAULT_ROWS));
    }

    /** The start (epoch second) of the bucket holding {@code epochSecond}, aligned in {@code zone}. */
    public long start(long epochSecond, ZoneId zone) {
        long offset = zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        return Math.floorDiv(epochSecond + offset, seconds) * seconds - offset;
    }

    /** A name for people: {@code second}, {@code minute}, {@code hour}, {@code day}, else {@code 5m}, {@code 90s}. */
    public String label() {
        if (seconds == 1) {
            return "second";
        }
        if (seconds == 60) {
            return "minute";
        }
        if (seconds == 3600) {
            return "hour";
        }
        if (seconds == 86400) {
            return "day";
        }
        if (seconds % 86400 == 0) {
            return seconds / 86400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
