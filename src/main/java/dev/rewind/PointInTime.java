package dev.rewind;

import dev.rewind.event.ClusterTime;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A restore target as the user writes it, turned into a cluster time. Three forms:
 * <ul>
 * <li>{@code 1763387590,12}: an exact cluster time (seconds,increment);</li>
 * <li>{@code 2026-11-17 14:01:30} (or ISO {@code 2026-11-17T14:01:30Z}): a wall time, in {@code --tz}
 *     (default UTC) unless it carries an offset;</li>
 * <li>{@code -15m}, {@code -2h}, {@code -90s}, {@code -1d}: relative to now.</li>
 * </ul>
 * A target is inclusive: the state after every event at or before it. A wall time means every event
 * in that second or before (cluster times count whole seconds of wall-clock time).
 */
public final class PointInTime {
    private static final Pattern EXACT = Pattern.compile("\\d+,\\d+");
    private static final Pattern RELATIVE = Pattern.compile("-(\\d+)(ms|s|m|h|d)");
    private static final Pattern TIME_OF_DAY = Pattern.compile("\\d{1,2}:\\d{2}(:\\d{2}([.,]\\d+)?)?");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss][.SSS]");

    private PointInTime() { }

    /** Maps a wall-clock instant to the cluster time that cuts the log just after it; null when it cannot tell. */
    public interface WallClock {
        WallClock NONE = wall -> null;

        ClusterTime cut(Instant inclusiveWall);
    }

    public static ClusterTime parse(String text, String zone, Instant now) {
        return parseSecondOnly(text, zone, now);
    }

    /**
     * As {@link #parse(String, String, Instant)}, a wall time meaning the events' wall times where
     * {@code clock} knows them: the state after every event whose wall time is at or before it (a
     * time written to the second includes that whole second).
     */
    public static ClusterTime parse(String text, String zone, Instant now, WallClock clock) {
        String t = today(text == null ? "" : text.trim(), zone, now);
        if (EXACT.matcher(t).matches()) {
            return parseSecondOnly(t, zone, now);
        }
        Instant wall = wall(t, zone, now);
        ClusterTime cut = clock.cut(wall);
        return cut != null ? cut : endOfSecond(wall);
    }

    /** The last instant a wall-clock target includes: its millisecond if it names one, else the end of its second. */
    private static Instant wall(String t, String zone, Instant now) {
        ClusterTime second = parseSecondOnly(t, zone, now);
        Instant start;
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            return now.minus(duration(Long.parseLong(m.group(1)), m.group(2)));
        }
        try {
            start = OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notOffset) {
            start = local(t, zone);
        }
        boolean millis = t.matches(".*[:]\\d\\d[.,]\\d+.*");
        return millis ? start : Instant.ofEpochSecond(second.seconds(), 999_999_999);
    }

    private static ClusterTime parseSecondOnly(String text, String zone, Instant now) {
        String t = today(text == null ? "" : text.trim(), zone, now);
        if (EXACT.matcher(t).matches()) {
            try {
                return ClusterTime.parse(t);
            } catch (IllegalArgumentException e) {
                throw bad(text);
            }
        }
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            return endOfSecond(relative(now, m, text));
        }
        try {
            return endOfSecond(inRange(OffsetDateTime.parse(t).toInstant(), text));
        } catch (DateTimeParseException notOffset) {
            // try a local time below
        }
        return endOfSecond(inRange(local(t, zone), text));
    }

    /** {@code now} minus a relative time, refused when it leaves the range of cluster times. */
    private static Instant relative(Instant now, Matcher m, String text) {
        try {
            return inRange(now.minus(duration(Long.parseLong(m.group(1)), m.group(2))), text);
        } catch (ArithmeticException | DateTimeException | NumberFormatException e) {
            throw outOfRange(text);
        }
    }

    private static Instant inRange(Instant t, String text) {
        if (t.getEpochSecond() < 0 || t.getEpochSecond() > 0xFFFF_FFFFL) {
            throw outOfRange(text);
        }
        return t;
    }

    private static RewindException outOfRange(String text) {
        return RewindException.usage("'" + text + "' is out of range",
                "give a time between 1970 and 2106 (a cluster time counts seconds since 1970 in 32 bits)");
    }

    /**
     * A local date and time in {@code zone}; refused, with both readings, when the zone's clocks skip
     * it (spring forward) or pass it twice (fall back), instead of picking one silently.
     */
    static Instant local(String t, String zone) {
        ZoneId z;
        try {
            z = ZoneId.of(zone == null ? "UTC" : zone);
        } catch (DateTimeException e) {
            throw RewindException.usage("unknown time zone '" + zone + "'", "use a region such as Europe/Berlin, or UTC");
        }
        LocalDateTime ldt;
        try {
            ldt = LocalDateTime.parse(t, LOCAL);
        } catch (DateTimeParseException e) {
            throw bad(t);
        }
        java.util.List<java.time.ZoneOffset> offsets = z.getRules().getValidOffsets(ldt);
        if (offsets.size() == 1) {
            return ldt.atOffset(offsets.get(0)).toInstant();
        }
        java.time.zone.ZoneOffsetTransition change = z.getRules().getTransition(ldt);
        String readings = reading(ldt, change.getOffsetBefore()) + " or " + reading(ldt, change.getOffsetAfter());
        if (offsets.isEmpty()) {
            throw RewindException.usage("'" + t + "' does not exist in " + z + ": its clocks went from "
                            + change.getDateTimeBefore().toLocalTime() + " straight to " + change.getDateTimeAfter().toLocalTime()
                            + " that day", "write the time with its offset, " + readings);
        }
        throw RewindException.usage("'" + t + "' happened twice in " + z + ": its clocks went back from "
                + change.getDateTimeBefore().toLocalTime() + " to " + change.getDateTimeAfter().toLocalTime() + " that day",
                "write the time with its offset, " + readings);
    }

    /** {@code 2026-10-25T02:30+02:00 (00:30 UTC)}. */
    private static String reading(LocalDateTime ldt, java.time.ZoneOffset offset) {
        Instant i = ldt.atOffset(offset).toInstant();
        return "'" + ldt.atOffset(offset) + "' (= " + i.toString().replace('T', ' ').replace("Z", " UTC") + ")";
    }

    /** A time of day alone ({@code 07:40:55}) means that time today in {@code zone}. */
    private static String today(String t, String zone, Instant now) {
        if (!TIME_OF_DAY.matcher(t).matches()) {
            return t;
        }
        try {
            String[] hm = t.split(":");
            String padded = (hm[0].length() == 1 ? "0" : "") + t;
            return now.atZone(ZoneId.of(zone == null ? "UTC" : zone)).toLocalDate() + " " + padded.replace(',', '.');
        } catch (DateTimeException e) {
            throw RewindException.usage("unknown time zone '" + zone + "'", "use a region such as Europe/Berlin, or UTC");
        }
    }

    /** Parses a duration such as {@code 2s}, {@code 500ms}, {@code 30m}, {@code 24h}, {@code 7d}. */
    public static Duration duration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw RewindException.usage("not a duration: '" + text + "'", "write a number and a unit: 500ms, 2s, 30m, 24h, 7d");
        }
        try {
            return duration(Long.parseLong(m.group(1)), m.group(2));
        } catch (ArithmeticException | NumberFormatException e) {
            throw RewindException.usage("'" + text + "' is out of range", "write a duration of less than a few centuries");
        }
    }

    private static Duration duration(long n, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Every event in the second of {@code instant}, or before. */
    public static ClusterTime endOfSecond(Instant instant) {
        return ClusterTime.of(instant.getEpochSecond(), 0xFFFF_FFFFL);
    }

    /**
     * A cluster time for people: the UTC wall time of its second, and the exact form where it tells more
     * (an event's own time); not for the start or end of a second (increment 0 or 4294967295), which
     * only stand for the second itself.
     */
    public static String describe(ClusterTime t) {
        String wall = HumanTime.ofSecond(t.seconds());
        long inc = t.unsignedIncrement();
        return inc == 0 || inc == 0xFFFF_FFFFL ? wall : wall + " (" + t + ")";
    }

    private static RewindException bad(String text) {
        return RewindException.usage("not a time: '" + text + "'",
                "write '2026-11-17 14:01:30' or 14:01:30 for today (with --tz ZONE, default UTC), an ISO time with offset, "
                        + "-15m (relative to now), or an exact cluster time 1763387590,12");
    }
}
