package dev.rewind.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.event.ClusterTime;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retention policy and the forget plan, as pure functions of a listing. */
class ForgetPlanTest {
    static final Instant T0 = Instant.parse("2026-01-01T03:00:00Z");

    /** A snapshot taken at hour {@code h} after T0, its scan from h*3600 to h*3600+10 (cluster seconds). */
    static SnapshotManifest at(String id, long h) {
        Instant t = T0.plus(Duration.ofHours(h));
        long s = t.getEpochSecond();
        return new SnapshotManifest(id, t, t, "mongodb://x", "7.0", new ClusterTime(s, 0), new ClusterTime(s + 10, 0),
                List.of(), 0, 0);
    }

    /** Hourly segments chained from hour 0 to hour {@code hours}. */
    static List<SegmentName> log(long hours) {
        List<SegmentName> out = new ArrayList<>();
        long s0 = T0.getEpochSecond() - 60;
        for (long h = 0; h <= hours; h++) {
            long from = h == 0 ? s0 : T0.getEpochSecond() + (h - 1) * 3600 + 30;
            long to = T0.getEpochSecond() + h * 3600 + 30;
            out.add(new SegmentName(new ClusterTime(from, 0), new ClusterTime(to, 0)));
        }
        return out;
    }

    static RetentionPolicy policy(Duration within, int last, int daily, int weekly, int monthly) {
        return new RetentionPolicy(within, last, daily, weekly, monthly);
    }

    @Test
    void dailyWeeklyAndMonthlyKeepTheNewestOfEachPeriodAndTheNewestIsAlwaysKept() {
        List<SnapshotManifest> all = new ArrayList<>();
        for (int d = 0; d < 70; d++) {
            all.add(at("d" + d + "a", d * 24L));
            all.add(at("d" + d + "b", d * 24L + 12));
        }
        assertThat(policy(null, 0, 3, 0, 0).keep(all).keySet()).containsExactly("d67b", "d68b", "d69b");
        assertThat(policy(null, 0, 0, 0, 0).keep(all).keySet()).containsExactly("d69b");
        assertThat(policy(null, 2, 0, 0, 0).keep(all).keySet()).containsExactly("d69a", "d69b");
        // 2026-01-01 is a Thursday: ISO weeks end on Sundays; months are calendar months (UTC)
        assertThat(policy(null, 0, 0, 2, 0).keep(all).keySet()).containsExactly("d66b", "d69b");
        assertThat(policy(null, 0, 0, 0, 3).keep(all).keySet()).containsExactly("d30b", "d58b", "d69b");
        assertThat(policy(null, 0, 1, 0, 0).keep(all).get("d69b")).contains("newest", "daily 2026-03-11");
    }

    @Test
    void keepWithinKeepsTheSpanAndTheSnapshotThatOpensItsWindow() {
        List<SnapshotManifest> all = List.of(at("a", 0), at("b", 10), at("c", 20), at("d", 30), at("e", 40));
        // within 15h of e (h40): d (h30); and c (h20), the newest at or before the boundary h25
        assertThat(policy(Duration.ofHours(15), 0, 0, 0, 0).keep(all).keySet()).containsExactly("c", "d", "e");
    }

    @Test
    void theLogIsForgottenBeforeTheOldestPointInTimeSnapshotAndItsWindowStaysWhole() {
        List<SnapshotManifest> all = List.of(at("a", 0), at("b", 10), at("c", 20), at("d", 30), at("e", 40));
        List<SegmentName> log = log(45);
        ForgetPlan plan = ForgetPlan.of(policy(Duration.ofHours(15), 0, 0, 0, 1), all, log, List.of());
        assertThat(plan.kept().keySet()).containsExactly("c", "d", "e");
        assertThat(plan.forgottenSnapshots()).extracting(SnapshotManifest::id).containsExactly("a", "b");
        assertThat(plan.logFrom()).isEqualTo(all.get(2).startAt());
        List<SegmentName> keptLog = new ArrayList<>(log);
        keptLog.removeAll(plan.forgottenSegments());
        assertThat(plan.forgottenSegments()).isNotEmpty().allMatch(s -> !s.to().isAfter(all.get(2).startAt()));
        // the segment holding c's startAt is kept, so c still opens a window that runs to the end of the log
        List<SnapshotManifest> kept = all.subList(2, 5);
        assertThat(LogCoverage.windows(kept, keptLog)).singleElement().satisfies(w -> {
            assertThat(w.snapshotId()).isEqualTo("c");
            assertThat(w.from()).isEqualTo(all.get(2).endAt());
            assertThat(w.to()).isEqualTo(log.get(log.size() - 1).to());
        });
    }

    @Test
    void withoutKeepWithinTheLogIsKeptFromTheNewestSnapshotAndOlderKeptOnesRemainAsSnapshots() {
        List<SnapshotManifest> all = List.of(at("a", 0), at("b", 24), at("c", 48));
        ForgetPlan plan = ForgetPlan.of(policy(null, 0, 3, 0, 0), all, log(50), List.of());
        assertThat(plan.forgottenSnapshots()).isEmpty();
        assertThat(plan.logFrom()).isEqualTo(all.get(2).startAt());
        assertThat(plan.forgottenSegments()).hasSize(48);
    }
}
