package dev.rewind.diff;

import dev.rewind.event.ApplyResult;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The difference between two states of one collection, built one document at a time (pure): how
 * many documents were added, removed and changed, how many were touched but came out the same, how
 * many could not be told (a state the log does not settle), and up to {@code samples} of each.
 */
public final class DiffReport {
    /** One sampled document: its {@code _id} and, for a changed one, the top-level fields that differ. */
    public record Sample(BsonValue id, List<FieldChange> fields) { }

    private final int samples;
    private final Kind added = new Kind();
    private final Kind removed = new Kind();
    private final Kind changed = new Kind();
    private final Kind uncertain = new Kind();
    private long unchanged;

    /** A count and the first samples of one kind of difference. */
    public static final class Kind {
        private long count;
        private final List<Sample> samples = new ArrayList<>();

        public long count() { return count; }

        public List<Sample> samples() { return List.copyOf(samples); }
    }

    public DiffReport(int samples) {
        this.samples = Math.max(0, samples);
    }

    /** Takes one document's state at both points. */
    public void compare(BsonValue id, ApplyResult before, ApplyResult after) {
        if (before.isUnknown() || after.isUnknown()) {
            add(uncertain, id, List.of());
        } else if (!before.isPresent() && after.isPresent()) {
            add(added, id, List.of());
        } else if (before.isPresent() && !after.isPresent()) {
            add(removed, id, List.of());
        } else if (before.isPresent()) {
            List<FieldChange> fields = FieldChange.between(before.state(), after.state());
            if (fields.isEmpty()) {
                unchanged++;
            } else {
                add(changed, id, fields);
            }
        } else {
            unchanged++;
        }
    }

    /** A document present at the first point that the second no longer has (its collection was dropped). */
    public void removed(BsonDocument document) {
        add(removed, document.get("_id"), List.of());
    }

    private void add(Kind kind, BsonValue id, List<FieldChange> fields) {
        kind.count++;
        if (kind.samples.size() < samples) {
            kind.samples.add(new Sample(id, List.copyOf(fields)));
        }
    }

    public Kind added() { return added; }

    public Kind removed() { return removed; }

    public Kind changed() { return changed; }

    /** Documents whose state at either point the log does not settle (an update the capture could not attribute). */
    public Kind uncertain() { return uncertain; }

    /** Documents the log touched between the points that came out the same. */
    public long unchanged() { return unchanged; }
}
