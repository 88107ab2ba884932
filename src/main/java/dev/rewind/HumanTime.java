package dev.rewind;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one time format of human output: {@code 2026-11-25 08:25:07 UTC} (JSON keeps ISO-8601). */
public final class HumanTime {
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private HumanTime() { }

    /** The instant to the second, in UTC; "never" for null. */
    public static String of(Instant t) {
        return t == null ? "never" : SECOND.format(t);
    }

    /** An epoch second, in UTC. */
    public static String ofSecond(long epochSecond) {
        return of(Instant.ofEpochSecond(epochSecond));
    }
}
