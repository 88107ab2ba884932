package dev.rewind.retention;

import dev.rewind.event.ClusterTime;
import dev.rewind.repo.Gap;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code forget} removes, planned from the listing alone (pure): the manifests the policy does not
 * keep; and the change log before the point-in-time span. The span starts at the {@code startAt} of the
 * oldest snapshot keep-within keeps (without keep-within, of the newest snapshot), and the log is kept
 * from the segment that holds that instant to the end, so the window that snapshot opens stays whole;
 * older snapshots the policy keeps remain restorable as themselves. A segment never goes while it ends
 * after that instant, so a chain a capture is still writing is never cut.
 */
public record ForgetPlan(Map<String, List<String>> kept, List<SnapshotManifest> forgottenSnapshots,
                         List<SegmentName> forgottenSegments, List<Gap> forgottenGaps, ClusterTime logFrom) {

    public static ForgetPlan of(RetentionPolicy policy, List<SnapshotManifest> snapshots, List<SegmentName> segments,
                                List<Gap> gaps) {
        Map<String, List<String>> kept = policy.keep(snapshots);
        List<SnapshotManifest> forgotten = snapshots.stream().filter(s -> !kept.containsKey(s.id())).toList();
        if (snapshots.isEmpty()) {
            return new ForgetPlan(kept, List.of(), List.of(), List.of(), null);
        }
        List<SnapshotManifest> newestFirst = new ArrayList<>(snapshots);
        java.util.Collections.reverse(newestFirst);
        List<SnapshotManifest> span = policy.within(newestFirst);
        SnapshotManifest anchor = span.isEmpty() ? newestFirst.get(0) : span.get(span.size() - 1);
        ClusterTime cut = anchor.startAt() != null ? anchor.startAt() : anchor.orderKey();
        List<SegmentName> oldSegments = segments.stream().filter(s -> !s.to().isAfter(cut)).toList();
        List<Gap> oldGaps = gaps.stream().filter(g -> !g.to().isAfter(cut)).toList();
        return new ForgetPlan(kept, forgotten, oldSegments, oldGaps, cut);
    }

    public boolean isEmpty() {
        return forgottenSnapshots.isEmpty() && forgottenSegments.isEmpty() && forgottenGaps.isEmpty();
    }
}
