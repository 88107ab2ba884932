package dev.rewind.timeline;

import java.util.ArrayList;
import java.util.List;

/** One namespace's buckets, its totals, and which buckets are bursts ({@link BurstRule}). */
public record NamespaceTimeline(String ns, List<Bucket> buckets, Counts totals) {

    /** One bucket: its start (epoch second), what happened in it, and whether it is a burst. */
    public record Bucket(long start, Counts counts, boolean burst) { }

    static NamespaceTimeline of(String ns, List<Long> starts, List<Counts> counts) {
        boolean[] burst = BurstRule.flag(counts);
        List<Bucket> buckets = new ArrayList<>(starts.size());
        Counts totals = new Counts();
        for (int i = 0; i < starts.size(); i++) {
            buckets.add(new Bucket(starts.get(i), counts.get(i), burst[i]));
            totals.add(counts.get(i));
        }
        return new NamespaceTimeline(ns, List.copyOf(buckets), totals);
    }

    /** The buckets flagged as bursts. */
    public List<Bucket> burstBuckets() {
        return buckets.stream().filter(Bucket::burst).toList();
    }

    /** Bursts: runs of adjacent burst buckets, each one accident however many buckets it spans. */
    public int bursts() {
        int runs = 0;
        boolean inRun = false;
        for (Bucket b : buckets) {
            if (b.burst() && !inRun) {
                runs++;
            }
            inRun = b.burst();
        }
        return runs;
    }

    /** Every change per bucket (Rewind's own included) as a sparkline. */
    public String sparkline() {
        return Sparkline.of(buckets.stream().mapToLong(b -> b.counts().total() + b.counts().rewind()).toArray());
    }

    /** Deletes per bucket as a sparkline. */
    public String deleteSparkline() {
        return Sparkline.of(buckets.stream().mapToLong(b -> b.counts().deletes()).toArray());
    }
}
