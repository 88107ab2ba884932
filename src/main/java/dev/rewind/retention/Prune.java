package dev.rewind.retention;

import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.PruneGuard;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.WriterLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code prune} (docs/FORMAT.md, "Prune"): mark every object a snapshot manifest names, merge runs of
 * small segments, and sweep the objects nothing marks and the segments made redundant. Segments,
 * journals, incidents and gaps are kept (forget decides what of the log goes). Safe while capture
 * runs: the mark is taken after the prune marker is published, so a file written after the mark is
 * never in the sweep's listing of candidates — every candidate was listed before any deletion, and
 * objects are swept only when no snapshot is in progress ({@link PruneGuard}).
 */
public final class Prune {
    private final Repository repo;

    public Prune(Repository repo) {
        this.repo = repo;
    }

    /** What a prune removes and writes. {@code objectsSkipped} says why objects were left alone, or is null. */
    public record Plan(SortedMap<String, Long> objects, SortedMap<String, Long> redundantSegments,
                       List<Compaction.Merge> merges, String objectsSkipped, int manifests, long objectsKept) {
        public long bytes() {
            return objects.values().stream().mapToLong(Long::longValue).sum()
                    + redundantSegments.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The result of a prune that ran. */
    public record Result(Plan plan, int mergesWritten, int segmentsDeleted, int objectsDeleted) { }

    /** Plans (and with {@code apply}, carries out) a prune, holding the prune marker throughout. */
    public Result run(boolean apply) {
        try (PruneGuard guard = PruneGuard.forPrune(repo.store())) {
            if (apply) {
                guard.refuseWhileRead("prune");
            }
            Plan plan = plan(guard);
            if (!apply) {
                return new Result(plan, 0, 0, 0);
            }
            int written = 0;
            SortedMap<String, Long> doomedSegments = new TreeMap<>(plan.redundantSegments());
            SortedMap<String, Long> sizes = repo.storedFiles().listSizes(SegmentName.FOLDER);
            for (Compaction.Merge m : plan.merges()) {
                boolean merged = Compaction.write(repo, m) || sizes.containsKey(m.merged().name());
                if (merged) {
                    written++;
                    m.parts().forEach(p -> doomedSegments.put(p.name(), sizes.getOrDefault(p.name(), 0L)));
                }
            }
            repo.storedFiles().deleteAll(plan.objects().keySet());
            repo.storedFiles().deleteAll(doomedSegments.keySet());
            return new Result(plan, written, doomedSegments.size(), plan.objects().size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Plan plan(PruneGuard guard) throws IOException {
        List<WriterLock.Holder> running = guard.snapshotsInProgress();
        // mark: listed after the marker, so any manifest published later belongs to a snapshot that waited.
        // Every manifest must read: a damaged one would leave its objects unmarked, so prune stops instead
        List<SnapshotManifest> manifests = new ArrayList<>();
        for (String name : repo.store().list("snapshots/")) {
            manifests.add(SnapshotManifest.parse(name, repo.store().get(name)));
        }
        Set<String> live = new HashSet<>();
        for (SnapshotManifest m : manifests) {
            m.namespaces().forEach(ns -> ns.objects().forEach((ObjectRef o) -> live.add(Repository.objectName(o.hash()))));
        }
        SortedMap<String, Long> sweep = new TreeMap<>();
        String skipped = null;
        long kept = 0;
        if (!running.isEmpty()) {
            skipped = "a snapshot is being taken (" + running.get(0).describe() + "): objects are left alone this time";
        } else {
            for (Map.Entry<String, Long> e : repo.storedFiles().listSizes("objects/").entrySet()) {
                if (live.contains(e.getKey())) {
                    kept++;
                } else {
                    sweep.put(e.getKey(), e.getValue());
                }
            }
        }
        SortedMap<String, Long> segmentSizes = repo.storedFiles().listSizes(SegmentName.FOLDER);
        List<SegmentName> all = repo.allSegmentNames();
        List<SegmentName> current = Repository.withoutContained(all);
        Set<SegmentName> currentSet = new HashSet<>(current);
        SortedMap<String, Long> redundant = new TreeMap<>();
        for (SegmentName s : all) {
            if (!currentSet.contains(s)) {
                redundant.put(s.name(), segmentSizes.getOrDefault(s.name(), 0L));
            }
        }
        return new Plan(sweep, redundant, new ArrayList<>(Compaction.plan(current, segmentSizes)), skipped,
                manifests.size(), kept);
    }
}
