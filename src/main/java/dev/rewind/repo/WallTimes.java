package dev.rewind.repo;

import dev.rewind.PointInTime;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import java.time.Instant;
import java.util.List;

/**
 * Wall-clock targets by the events' own {@code wallTime} (MongoDB 6.0+: "the server date and time
 * of the database operation", MongoDB manual, "Change Events"): "the state at 14:01:30" is the log
 * up to, not including, the first event whose wall time is after it. Cluster times count the
 * primary's seconds too, but a wall time can say milliseconds, and a primary's clock is what the
 * events' wall times are. The log is read from a little before the target (by its segments'
 * cluster times) until the first later event; a log without wall times (before 6.0) gives null.
 */
public final class WallTimes implements PointInTime.WallClock {
    /** How far cluster-time seconds may be from wall times: segments this much before the target are read too. */
    static final long SLACK_SECONDS = 300;

    private final Repository repo;

    public WallTimes(Repository repo) {
        this.repo = repo;
    }

    @Override
    public ClusterTime cut(Instant wall) {
        List<SegmentName> names = repo.segmentNames();
        ClusterTime lookFrom = ClusterTime.of(Math.max(0, wall.getEpochSecond() - SLACK_SECONDS), 0);
        boolean sawWallTime = false;
        ClusterTime lastNotAfter = null;
        for (SegmentName name : names) {
            if (name.to().isBefore(lookFrom)) {
                continue;
            }
            for (ChangeEvent e : repo.readSegment(name).events()) {
                if (e.wallTime() == null) {
                    continue;
                }
                sawWallTime = true;
                if (e.wallTime().isAfter(wall)) {
                    return before(e.clusterTime());
                }
                lastNotAfter = e.clusterTime();
            }
            if (sawWallTime && name.from().seconds() > wall.getEpochSecond() + SLACK_SECONDS) {
                break;
            }
        }
        if (!sawWallTime) {
            return null;
        }
        // no later event in the log: everything logged is at or before the target; the target's own second bounds it
        ClusterTime second = PointInTime.endOfSecond(wall);
        return lastNotAfter != null && lastNotAfter.isAfter(second) ? lastNotAfter : second;
    }

    private static ClusterTime before(ClusterTime t) {
        if (t.increment() != 0) {
            return ClusterTime.of(t.seconds(), t.unsignedIncrement() - 1);
        }
        return ClusterTime.of(t.seconds() - 1, 0xFFFF_FFFFL);
    }
}
