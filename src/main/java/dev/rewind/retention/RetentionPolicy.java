package dev.rewind.retention;

import dev.rewind.repo.SnapshotManifest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which snapshots to keep (docs/FORMAT.md, "Retention"), as restic's policies: every snapshot within
 * {@code keepWithin} of the newest (and the newest one before that boundary, so that every second of
 * the span stays restorable), the newest of each of the last {@code daily} days, {@code weekly} ISO
 * weeks and {@code monthly} months that have snapshots (UTC), and the {@code last} newest. The newest
 * snapshot is always kept. A pure function of the list.
 */
public record RetentionPolicy(Duration keepWithin, int last, int daily, int weekly, int monthly) {

    public boolean isEmpty() {
        return keepWithin == null && last == 0 && daily == 0 && weekly == 0 && monthly == 0;
    }

    /** Each kept snapshot's id, with the reasons it is kept, oldest first. */
    public Map<String, List<String>> keep(List<SnapshotManifest> oldestFirst) {
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        if (oldestFirst.isEmpty()) {
            return reasons;
        }
        List<SnapshotManifest> newestFirst = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);
        add(reasons, newestFirst.get(0), "newest");
        for (int i = 0; i < Math.min(last, newestFirst.size()); i++) {
            add(reasons, newestFirst.get(i), "last " + last);
        }
        if (keepWithin != null) {
            for (SnapshotManifest s : within(newestFirst)) {
                add(reasons, s, "within " + human(keepWithin));
            }
        }
        buckets(reasons, newestFirst, daily, "daily", t -> t.toLocalDate().toString());
        buckets(reasons, newestFirst, weekly, "weekly",
                t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        buckets(reasons, newestFirst, monthly, "monthly", t -> t.getYear() + "-" + t.getMonthValue());
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        for (SnapshotManifest s : oldestFirst) {
            if (reasons.containsKey(s.id())) {
                ordered.put(s.id(), reasons.get(s.id()));
            }
        }
        return ordered;
    }

    /**
     * The snapshots keep-within keeps, newest first: those that finished within the span before the
     * newest, and the newest before the span's start, which opens the window that reaches into it.
     */
    public List<SnapshotManifest> within(List<SnapshotManifest> newestFirst) {
        List<SnapshotManifest> out = new ArrayList<>();
        if (keepWithin == null || newestFirst.isEmpty()) {
            return out;
        }
        Instant boundary = newestFirst.get(0).finished().minus(keepWithin);
        for (SnapshotManifest s : newestFirst) {
            out.add(s);
            if (!s.finished().isAfter(boundary)) {
                break;
            }
        }
        return out;
    }

    private static void buckets(Map<String, List<String>> reasons, List<SnapshotManifest> newestFirst, int count,
                                String kind, Function<ZonedDateTime, String> bucketOf) {
        String previous = null;
        int taken = 0;
        for (SnapshotManifest s : newestFirst) {
            if (taken >= count) {
                return;
            }
            String bucket = bucketOf.apply(s.finished().atZone(ZoneOffset.UTC));
            if (!bucket.equals(previous)) {
                add(reasons, s, kind + " " + bucket);
                previous = bucket;
                taken++;
            }
        }
    }

    private static void add(Map<String, List<String>> reasons, SnapshotManifest s, String why) {
        reasons.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(why);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
