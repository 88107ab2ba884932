package dev.rewind.undo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a report of an undo plan needs, gathered one part of the plan at a time (pure), so that a
 * plan read in several passes is never held whole: counts per namespace and outcome, the first
 * {@code samples} documents of each outcome, the documents that raced the writes, and the conflicts
 * only Rewind's own journals made. Documents keep nothing but their names and outcomes.
 */
public final class PlanTally {
    /** The most raced documents named one by one; more are counted. */
    public static final int MAX_RACED_LISTED = 10_000;

    /** A sampled document: where, which, its outcome, and for a conflict its detail and the holder of the key. */
    public record Sample(String ns, org.bson.BsonValue id, Outcome outcome, String detail, org.bson.BsonValue holder) { }

    private final int samples;
    private final Map<String, Map<Outcome, Long>> counts = new TreeMap<>();
    private final Map<Outcome, List<Sample>> sampled = new EnumMap<>(Outcome.class);
    private final List<Sample> racedListed = new ArrayList<>();
    private final TreeSet<String> ownJournals = new TreeSet<>();
    private long raced;
    private long ownConflicts;

    public PlanTally(int samples) {
        this.samples = samples;
    }

    /** Takes one part of the plan. */
    public PlanTally add(List<DocumentUndo> plan) {
        for (DocumentUndo d : plan) {
            counts.computeIfAbsent(d.ns(), k -> new EnumMap<>(Outcome.class)).merge(d.outcome(), 1L, Long::sum);
            List<Sample> of = sampled.computeIfAbsent(d.outcome(), k -> new ArrayList<>());
            if (of.size() < samples) {
                of.add(sample(d));
            }
            if (d.outcome() == Outcome.CONFLICT_CHANGED_LATER && d.detail() != null
                    && d.detail().startsWith(UndoPlanner.BY_REWIND)) {
                ownConflicts++;
                ownJournals.addAll(List.of(d.detail().substring(UndoPlanner.BY_REWIND.length(), d.detail().length() - 1)
                        .split(", ")));
            }
        }
        return this;
    }

    /** Takes the documents of that part that changed while the writes ran (left alone: conflicts). */
    public PlanTally raced(List<DocumentUndo> docs) {
        raced += docs.size();
        for (DocumentUndo d : docs) {
            if (racedListed.size() < MAX_RACED_LISTED) {
                racedListed.add(sample(d));
            }
        }
        return this;
    }

    private static Sample sample(DocumentUndo d) {
        return new Sample(d.ns(), d.id(), d.outcome(), d.detail(), d.holder());
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** Documents per namespace and outcome, namespaces in order. */
    public Map<String, Map<Outcome, Long>> counts() {
        return counts;
    }

    /** Documents per outcome over every namespace. */
    public Map<Outcome, Long> totals() {
        Map<Outcome, Long> t = new EnumMap<>(Outcome.class);
        counts.values().forEach(m -> m.forEach((o, n) -> t.merge(o, n, Long::sum)));
        return t;
    }

    /** The first documents of an outcome, at most {@code samples}. */
    public List<Sample> samples(Outcome o) {
        return sampled.getOrDefault(o, List.of());
    }

    public long raced() {
        return raced;
    }

    /** The first {@link #MAX_RACED_LISTED} raced documents. */
    public List<Sample> racedListed() {
        return racedListed;
    }

    /** Conflicts that only Rewind's own journals made after the window. */
    public long ownConflicts() {
        return ownConflicts;
    }

    /** The journals that made them, in order (ids sort by time). */
    public TreeSet<String> ownJournals() {
        return ownJournals;
    }
}
