package dev.rewind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.event.ClusterTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PointInTimeTest {
    static final Instant NOW = Instant.parse("2026-11-17T14:30:00.400Z");
    static final long LAST_INCREMENT = 0xFFFF_FFFFL;

    @Test
    void anExactClusterTimeIsTakenAsItIs() {
        assertThat(PointInTime.parse("1763387590,12", "UTC", NOW)).isEqualTo(ClusterTime.of(1763387590, 12));
        assertThat(PointInTime.parse(" 1763387590,0 ", "Europe/Berlin", NOW)).isEqualTo(ClusterTime.of(1763387590, 0));
    }

    @Test
    void aWallTimeMeansTheEndOfThatSecond() {
        long second = Instant.parse("2026-11-17T14:01:30Z").getEpochSecond();
        ClusterTime t = PointInTime.parse("2026-11-17 14:01:30", "UTC", NOW);
        assertThat(t).isEqualTo(ClusterTime.of(second, LAST_INCREMENT));
        assertThat(t.isAfter(ClusterTime.of(second, 999_999))).as("every event in that second is included").isTrue();
        assertThat(t.isBefore(ClusterTime.of(second + 1, 0))).as("the next second is not").isTrue();
        assertThat(PointInTime.parse("2026-11-17T14:01:30", "UTC", NOW)).isEqualTo(t);
        assertThat(PointInTime.parse("2026-11-17 14:01", "UTC", NOW))
                .isEqualTo(ClusterTime.of(Instant.parse("2026-11-17T14:01:00Z").getEpochSecond(), LAST_INCREMENT));
        assertThat(PointInTime.parse("2026-11-17 14:01:30.999", "UTC", NOW)).as("milliseconds fall in the same second").isEqualTo(t);
    }

    @Test
    void aWallTimeIsReadInTheGivenZoneUnlessItCarriesAnOffset() {
        long utc = Instant.parse("2026-11-17T13:01:30Z").getEpochSecond();
        assertThat(PointInTime.parse("2026-11-17 14:01:30", "Europe/Berlin", NOW)).isEqualTo(ClusterTime.of(utc, LAST_INCREMENT));
        assertThat(PointInTime.parse("2026-11-17T14:01:30+01:00", "America/New_York", NOW))
                .as("an offset wins over --tz").isEqualTo(ClusterTime.of(utc, LAST_INCREMENT));
        assertThat(PointInTime.parse("2026-11-17T13:01:30Z", "Asia/Tokyo", NOW)).isEqualTo(ClusterTime.of(utc, LAST_INCREMENT));
        assertThat(PointInTime.parse("2026-11-17 14:01:30", null, NOW)).as("UTC by default")
                .isEqualTo(ClusterTime.of(utc + 3600, LAST_INCREMENT));
    }

    @Test
    void aRelativeTimeCountsBackFromNowToTheEndOfItsSecond() {
        long now = NOW.getEpochSecond();
        assertThat(PointInTime.parse("-15m", "UTC", NOW)).isEqualTo(ClusterTime.of(now - 900, LAST_INCREMENT));
        assertThat(PointInTime.parse("-90s", "UTC", NOW)).isEqualTo(ClusterTime.of(now - 90, LAST_INCREMENT));
        assertThat(PointInTime.parse("-2h", "UTC", NOW)).isEqualTo(ClusterTime.of(now - 7200, LAST_INCREMENT));
        assertThat(PointInTime.parse("-1d", "UTC", NOW)).isEqualTo(ClusterTime.of(now - 86400, LAST_INCREMENT));
        assertThat(PointInTime.parse("-500ms", "UTC", NOW)).as("14:29:59.900").isEqualTo(ClusterTime.of(now - 1, LAST_INCREMENT));
    }

    @Test
    void textThatIsNoTimeIsAUsageErrorNamingItAndTheForms() {
        for (String bad : new String[] {"yesterday", "2026-13-45 25:00", "15m", "1763387590,", "12,x", ""}) {
            assertThatThrownBy(() -> PointInTime.parse(bad, "UTC", NOW)).as(bad)
                    .isInstanceOfSatisfying(RewindException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).contains("not a time: '" + bad + "'");
                        assertThat(e.hint()).contains("--tz").contains("-15m").contains("1763387590,12");
                    });
        }
        assertThatThrownBy(() -> PointInTime.parse("99999999999,1", "UTC", NOW)).isInstanceOf(RewindException.class);
    }

    @Test
    void anUnknownZoneIsAUsageError() {
        assertThatThrownBy(() -> PointInTime.parse("2026-11-17 14:01:30", "Mars/Olympus", NOW))
                .isInstanceOfSatisfying(RewindException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("Mars/Olympus");
                });
    }

    @Test
    void durationsReadEveryUnitAndRefuseTheRest() {
        assertThat(PointInTime.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(PointInTime.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(PointInTime.duration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(PointInTime.duration("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(PointInTime.duration("7d")).isEqualTo(Duration.ofDays(7));
        for (String bad : new String[] {"2x", "2", "s", "-2s", "1.5s", ""}) {
            assertThatThrownBy(() -> PointInTime.duration(bad)).as(bad)
                    .isInstanceOfSatisfying(RewindException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).contains("not a duration: '" + bad + "'");
                        assertThat(e.hint()).contains("500ms");
                    });
        }
    }

    @Test
    void describeShowsTheUtcSecondAndTheExactForm() {
        assertThat(PointInTime.describe(ClusterTime.of(1763387590, 12))).isEqualTo("2025-11-17 13:53:10 UTC (1763387590,12)");
    }

    @Test
    void describeLeavesOutTheStartAndEndOfSecondThatAWallTimeStandsFor() {
        assertThat(PointInTime.describe(ClusterTime.of(1763387590, LAST_INCREMENT))).isEqualTo("2025-11-17 13:53:10 UTC");
        assertThat(PointInTime.describe(ClusterTime.of(1763387590, 0))).isEqualTo("2025-11-17 13:53:10 UTC");
    }

    @Test
    void aTimeOfDayMeansThatTimeTodayInTheZone() {
        assertThat(PointInTime.parse("07:40:55", "UTC", NOW))
                .isEqualTo(ClusterTime.of(Instant.parse("2026-11-17T07:40:55Z").getEpochSecond(), LAST_INCREMENT));
        assertThat(PointInTime.parse("7:40", "Europe/Berlin", NOW))
                .isEqualTo(ClusterTime.of(Instant.parse("2026-11-17T06:40:00Z").getEpochSecond(), LAST_INCREMENT));
        assertThat(PointInTime.parse("23:30:00", "Pacific/Auckland", NOW)).as("already the 18th in Auckland")
                .isEqualTo(ClusterTime.of(Instant.parse("2026-11-18T10:30:00Z").getEpochSecond(), LAST_INCREMENT));
        assertThat(PointInTime.parse("07:40:55.250", "UTC", NOW, PointInTime.WallClock.NONE))
                .as("to the millisecond, a wall time cut (without wall times: its second)")
                .isEqualTo(ClusterTime.of(Instant.parse("2026-11-17T07:40:55Z").getEpochSecond(), LAST_INCREMENT));
        assertThatThrownBy(() -> PointInTime.parse("25:99", "UTC", NOW)).hasMessageContaining("not a time");
    }

    /** Issue 11, item 10: a local time that daylight saving skips or repeats is refused with both readings. */
    @Test
    void aLocalTimeThatDaylightSavingSkipsOrRepeatsIsRefusedWithBothReadings() {
        assertThatThrownBy(() -> PointInTime.parse("2026-03-29 02:30", "Europe/Berlin", NOW))
                .isInstanceOfSatisfying(RewindException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("does not exist in Europe/Berlin").contains("02:00").contains("03:00");
                    assertThat(e.hint()).contains("'2026-03-29T02:30+01:00' (= 2026-03-29 01:30:00 UTC)")
                            .contains("'2026-03-29T02:30+02:00' (= 2026-03-29 00:30:00 UTC)");
                });
        assertThatThrownBy(() -> PointInTime.parse("2026-10-25 02:30:00", "Europe/Berlin", NOW, PointInTime.WallClock.NONE))
                .isInstanceOfSatisfying(RewindException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("happened twice in Europe/Berlin");
                    assertThat(e.hint()).contains("'2026-10-25T02:30+02:00' (= 2026-10-25 00:30:00 UTC)")
                            .contains("'2026-10-25T02:30+01:00' (= 2026-10-25 01:30:00 UTC)");
                });
        assertThat(PointInTime.parse("2026-10-25T02:30:00+01:00", "Europe/Berlin", NOW))
                .as("with its offset it is one instant").isEqualTo(ClusterTime.of(
                        Instant.parse("2026-10-25T01:30:00Z").getEpochSecond(), LAST_INCREMENT));
        assertThat(PointInTime.parse("2026-10-25 03:30", "Europe/Berlin", NOW)).as("an hour later there is one reading")
                .isEqualTo(ClusterTime.of(Instant.parse("2026-10-25T02:30:00Z").getEpochSecond(), LAST_INCREMENT));
    }

    @Test
    void aTimeOutsideTheRangeOfClusterTimesIsAUsageError() {
        for (String bad : new String[] {"-99999999999d", "-999999999999999999999999d", "1960-01-01 00:00", "2200-01-01T00:00:00Z"}) {
            assertThatThrownBy(() -> PointInTime.parse(bad, "UTC", NOW, PointInTime.WallClock.NONE)).as(bad)
                    .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
        }
        assertThatThrownBy(() -> PointInTime.duration("99999999999999999d"))
                .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }
}
