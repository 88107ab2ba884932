package dev.rewind.undo;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Decides one document's outcome from what is known about it (pure; README "Undo" has the table).
 */
public final class UndoPlanner {
    private UndoPlanner() { }

    /** What is known about a touched document before deciding. */
    public record Facts(String ns, BsonValue id, boolean targetKnown, BsonDocument target, BsonDocument live,
                        boolean changedLater, String uniqueKey, BsonValue uniqueHolder) { }

    public static DocumentUndo decide(Facts f, UndoRequest request) {
        if (!f.targetKnown()) {
            return plan(f, Outcome.CONFLICT_UNKNOWN_STATE, "its state before the window cannot be rebuilt", null);
        }
        if (sameDocument(f.live(), f.target())) {
            return plan(f, Outcome.UNCHANGED, null, null);
        }
        if (f.changedLater() && !request.force()) {
            return plan(f, Outcome.CONFLICT_CHANGED_LATER, "changed after the window", null);
        }
        if (f.target() == null) {
            return plan(f, Outcome.REMOVED, null, null);
        }
        if (f.uniqueHolder() != null && !request.keepRestored()) {
            return plan(f, Outcome.CONFLICT_UNIQUE_KEY, f.uniqueKey(), f.uniqueHolder());
        }
        Outcome o = f.live() == null ? Outcome.RESTORED : Outcome.REVERTED;
        return plan(f, o, f.uniqueHolder() == null ? null : "replaces the holder of " + f.uniqueKey(), f.uniqueHolder());
    }

    private static DocumentUndo plan(Facts f, Outcome o, String detail, BsonValue holder) {
        return new DocumentUndo(f.ns(), f.id(), o, f.target(), f.live(), detail, holder);
    }

    /** Equal as stored: same fields in the same order with the same values (null = absent). */
    public static boolean sameDocument(BsonDocument a, BsonDocument b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals(b) && a.keySet().stream().toList().equals(b.keySet().stream().toList());
    }
}
