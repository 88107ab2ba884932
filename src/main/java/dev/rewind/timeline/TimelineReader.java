package dev.rewind.timeline;

import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.event.ChangeEvent;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Feeds a {@link Timeline} the events of the segments that overlap its range, one segment at a time,
 * telling Rewind's own writes (journaled by undo and revert) from the others.
 */
public final class TimelineReader {
    private TimelineReader() { }

    /** Reads the segments of {@code log} that overlap the timeline's range; returns how many were read. */
    public static int read(Repository repo, List<SegmentName> log, Timeline timeline) {
        int read = 0;
        dev.rewind.undo.OwnWrites own = new dev.rewind.undo.OwnWrites(repo.store()).refresh();
        for (SegmentName name : log) {
            if (name.to().isAfter(timeline.from()) && name.from().isBefore(timeline.to())) {
                for (ChangeEvent e : repo.readSegment(name).events()) {
                    timeline.accept(e, own.whose(e) != null);
                }
                read++;
            }
        }
        return read;
    }

    /** Every namespace the whole log has document or drop events for ({@code db.*} for a dropped database). */
    public static Set<String> namespaces(Repository repo, List<SegmentName> log) {
        Set<String> out = new TreeSet<>();
        for (SegmentName name : log) {
            for (ChangeEvent e : repo.readSegment(name).events()) {
                if (e.ns() != null && Counts.counts(e)) {
                    out.add(Timeline.name(e));
                }
                e.impliedDrop().ifPresent(drop -> out.add(Timeline.name(drop)));
            }
        }
        return out;
    }
}
