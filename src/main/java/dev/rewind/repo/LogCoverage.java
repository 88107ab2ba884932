package dev.rewind.repo;

import dev.rewind.event.ClusterTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the change log covers, planned from names alone: the segments form chains where each one
 * starts where the previous ended; a break is a gap. A restore point {@code t} exists where a
 * snapshot's {@code endAt <= t} and one chain covers {@code (startAt, t]} without a break.
 */
public final class LogCoverage {
    /** A run of contiguous segments covering {@code (from, to]}. */
    public record Chain(ClusterTime from, ClusterTime to, List<SegmentName> segments) { }

    /** A span of restorable cluster times {@code [from, to]}, and the oldest snapshot that opens it. */
    public record Window(ClusterTime from, ClusterTime to, String snapshotId) { }

    private LogCoverage() { }

    /** Contiguous runs of segments, oldest first. */
    public static List<Chain> chains(List<SegmentName> segments) {
        List<Chain> out = new ArrayList<>();
        List<SegmentName> run = new ArrayList<>();
        for (SegmentName s : segments) {
            if (!run.isEmpty() && !run.get(run.size() - 1).to().equals(s.from())) {
                if (s.from().isBefore(run.get(run.size() - 1).to())) {
                    // overlapping segment (written by a second capture): keep whichever reaches further
                    if (s.to().isAfter(run.get(run.size() - 1).to())) {
                        run.add(s);
                    }
                    continue;
                }
                out.add(new Chain(run.get(0).from(), run.get(run.size() - 1).to(), List.copyOf(run)));
                run.clear();
            }
            run.add(s);
        }
        if (!run.isEmpty()) {
            out.add(new Chain(run.get(0).from(), run.get(run.size() - 1).to(), List.copyOf(run)));
        }
        return out;
    }

    /** Two segments that cover some of the same cluster times: two captures wrote at once. */
    public record Overlap(SegmentName first, SegmentName second) {
        public String describe() {
            return first.name() + " and " + second.name() + " overlap (two captures wrote the log at once?)";
        }
    }

    /** Every segment that starts before the log already reached (segments in name order). */
    public static List<Overlap> overlaps(List<SegmentName> segments) {
        List<Overlap> out = new ArrayList<>();
        SegmentName furthest = null;
        for (SegmentName s : segments) {
            if (furthest != null && s.from().isBefore(furthest.to())) {
                out.add(new Overlap(furthest, s));
            }
            if (furthest == null || s.to().isAfter(furthest.to())) {
                furthest = s;
            }
        }
        return out;
    }

    /** The restorable windows, oldest first: one per chain that some snapshot opens. */
    public static List<Window> windows(List<SnapshotManifest> snapshots, List<SegmentName> segments) {
        List<Window> out = new ArrayList<>();
        for (Chain chain : chains(segments)) {
            SnapshotManifest opener = null;
            for (SnapshotManifest s : snapshots) {
                if (opens(s, chain) && (opener == null || s.endAt().isBefore(opener.endAt()))) {
                    opener = s;
                }
            }
            if (opener != null) {
                out.add(new Window(opener.endAt(), chain.to(), opener.id()));
            }
        }
        return out;
    }

    /** Whether a snapshot's scan lies inside the chain, so the chain can carry it forward. */
    static boolean opens(SnapshotManifest s, Chain chain) {
        return s.startAt() != null && s.endAt() != null
                && !s.startAt().isBefore(chain.from()) && !s.endAt().isAfter(chain.to());
    }

    /** The chain that can carry a snapshot to {@code t}, or null. */
    public static Chain chainFor(SnapshotManifest s, ClusterTime t, List<SegmentName> segments) {
        for (Chain chain : chains(segments)) {
            if (opens(s, chain) && !t.isAfter(chain.to()) && !t.isBefore(s.endAt())) {
                return chain;
            }
        }
        return null;
    }
}
