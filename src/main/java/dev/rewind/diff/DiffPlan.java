package dev.rewind.diff;

import dev.rewind.PointInTime;
import dev.rewind.RewindException;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.restore.PointInTimePlan;
import java.util.List;

/**
 * What a diff reads (pure): the state at {@code at} as {@link PointInTimePlan} finds it (a snapshot
 * and the segments from its {@code startAt}), and the segments of {@code (at, to]}, which must join
 * {@code at} to {@code to} (not before it) without a gap, so that every document changed in between is in them.
 * {@code inSomeSnapshot} says whether any snapshot holds the collection (else only the log can know it).
 */
public record DiffPlan(Namespace ns, ClusterTime at, ClusterTime to, PointInTimePlan before, List<SegmentName> between,
                       boolean inSomeSnapshot) {

    public static DiffPlan of(List<SnapshotManifest> snapshots, List<SegmentName> log, Namespace ns,
                              ClusterTime at, ClusterTime to) {
        if (to.isBefore(at)) {
            throw RewindException.usage("the second point (" + PointInTime.describe(to) + ") is not after the first ("
                    + PointInTime.describe(at) + ")", "give a --to later than --at");
        }
        PointInTimePlan before = PointInTimePlan.of(snapshots, log, at);
        PointInTimePlan.of(snapshots, log, to);  // refuses a target outside every window, naming the windows
        PointInTimePlan joined;
        try {
            joined = PointInTimePlan.of(List.of(before.snapshot()), log, to);
        } catch (RewindException e) {
            throw new RewindException(e.exitCode(), "the change log has a gap between " + PointInTime.describe(at)
                    + " and " + PointInTime.describe(to) + ", so the documents changed in between are not all known",
                    "compare two points on the same side of the gap ('rewind status' lists the gaps)");
        }
        List<SegmentName> between = joined.segments().stream().filter(s -> s.to().isAfter(at)).toList();
        boolean inSomeSnapshot = snapshots.stream().anyMatch(m -> m.namespace(ns.toString()) != null);
        return new DiffPlan(ns, at, to, before, between, inSomeSnapshot);
    }
}
