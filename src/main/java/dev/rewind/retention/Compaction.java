package dev.rewind.retention;

import dev.rewind.event.ChangeEvent;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repository;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Merging runs of small change-log segments (docs/FORMAT.md, "Compaction"). An idle or quiet capture
 * seals a small segment every seal interval; prune merges each run of consecutive small segments of a
 * chain into one segment covering the whole run, published with put-if-absent, after which the small
 * ones are redundant (their ranges lie inside it): readers skip them and the same prune deletes them.
 */
public final class Compaction {
    /** A segment stored in fewer bytes than this is small. */
    static final long SMALL = 64 * 1024;
    /** A merged segment holds at most this many stored bytes of small ones, and this many of them. */
    static final long TARGET = 4L * 1024 * 1024;
    static final int MAX_RUN = 10_000;

    /** One merge: these consecutive segments into one covering {@code (first.from, last.to]}. */
    public record Merge(List<SegmentName> parts, long storedBytes) {
        public SegmentName merged() {
            return new SegmentName(parts.get(0).from(), parts.get(parts.size() - 1).to());
        }
    }

    private Compaction() { }

    /** The merges for the current (non-redundant) segments with their stored sizes, by name. Pure. */
    public static List<Merge> plan(List<SegmentName> current, Map<String, Long> sizes) {
        List<Merge> out = new ArrayList<>();
        for (LogCoverage.Chain chain : LogCoverage.chains(current)) {
            List<SegmentName> run = new ArrayList<>();
            long bytes = 0;
            for (SegmentName s : chain.segments()) {
                long size = sizes.getOrDefault(s.name(), Long.MAX_VALUE);
                boolean contiguous = run.isEmpty() || run.get(run.size() - 1).to().equals(s.from());
                if (size >= SMALL || !contiguous || bytes + size > TARGET || run.size() >= MAX_RUN) {
                    flush(out, run, bytes);
                    run = new ArrayList<>();
                    bytes = 0;
                }
                if (size < SMALL) {
                    run.add(s);
                    bytes += size;
                }
            }
            flush(out, run, bytes);
        }
        return out;
    }

    private static void flush(List<Merge> out, List<SegmentName> run, long bytes) {
        if (run.size() >= 2) {
            out.add(new Merge(List.copyOf(run), bytes));
        }
    }

    /**
     * Writes one merge: the parts' events in order, the last part's mode and stream positions. Returns
     * false when the merged name exists already (an earlier prune wrote it). A run whose parts were
     * sealed in different capture modes is not merged (returns false).
     */
    public static boolean write(Repository repo, Merge merge) {
        List<ChangeEvent> events = new ArrayList<>();
        Segment last = null;
        for (SegmentName part : merge.parts()) {
            Segment s = repo.readSegment(part);
            if (last != null && !last.mode().equals(s.mode())) {
                return false;
            }
            events.addAll(s.events());
            last = s;
        }
        Segment merged = new Segment(merge.merged(), last.mode(), last.positions(), events);
        try {
            return repo.store().putIfAbsent(merged.name().name(), merged.toBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
