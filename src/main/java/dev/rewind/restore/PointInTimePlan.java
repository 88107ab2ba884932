package dev.rewind.restore;

import dev.rewind.PointInTime;
import dev.rewind.RewindException;
import dev.rewind.event.ClusterTime;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan for "the state at t" (pure): the newest snapshot whose {@code endAt} is not after
 * {@code t} and that a contiguous run of segments carries to {@code t}, and the segments that hold
 * the events of {@code (startAt, t]}. A target outside every window is refused with the windows.
 */
public record PointInTimePlan(SnapshotManifest snapshot, ClusterTime target, List<SegmentName> segments) {

    public static PointInTimePlan of(List<SnapshotManifest> snapshots, List<SegmentName> log, ClusterTime target) {
        SnapshotManifest best = null;
        LogCoverage.Chain chain = null;
        for (SnapshotManifest s : snapshots) {
            if (s.endAt() == null || s.endAt().isAfter(target)) {
                continue;
            }
            LogCoverage.Chain c = LogCoverage.chainFor(s, target, log);
            if (c != null && (best == null || s.endAt().isAfter(best.endAt()))) {
                best = s;
                chain = c;
            }
        }
        if (best == null) {
            throw outside(snapshots, log, target);
        }
        List<SegmentName> needed = new ArrayList<>();
        for (SegmentName seg : chain.segments()) {
            if (seg.to().isAfter(best.startAt()) && !seg.from().isAfter(target) && seg.from().isBefore(target)) {
                needed.add(seg);
            }
        }
        return new PointInTimePlan(best, target, needed);
    }

    /** The error for a target outside every restorable window; its hint lists the windows there are. */
    public static RewindException outside(List<SnapshotManifest> snapshots, List<SegmentName> log, ClusterTime target) {
        List<LogCoverage.Window> windows = LogCoverage.windows(snapshots, log);
        StringBuilder hint = new StringBuilder();
        if (windows.isEmpty()) {
            hint.append("the repository has no restorable window yet: run 'rewind capture' (it takes a snapshot while"
                    + " capturing), or restore a plain snapshot with --snapshot");
        } else {
            hint.append("restorable windows (UTC):");
            for (LogCoverage.Window w : windows) {
                hint.append("\n  ").append(PointInTime.describe(w.from())).append("  ..  ").append(PointInTime.describe(w.to()));
            }
        }
        return new RewindException(dev.rewind.ExitCode.NOT_FOUND,
                "no restorable state at " + PointInTime.describe(target), hint.toString());
    }
}
