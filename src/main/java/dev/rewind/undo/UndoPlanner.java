package dev.rewind.undo;

import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Decides one document's outcome from what is known about it (pure; README "Undo" has the table).
 */
public final class UndoPlanner {
    private UndoPlanner() { }

    /**
     * What is known about a touched document before deciding.
     *
     * @param laterByRewind when every change after the window was Rewind's own (an undo or a revert), the
     *     journals that made them, oldest first; empty otherwise
     */
    public record Facts(String ns, BsonValue id, boolean targetKnown, BsonDocument target, BsonDocument live,
                        boolean changedLater, String uniqueKey, BsonValue uniqueHolder, List<String> laterByRewind) {
        public Facts {
            laterByRewind = List.copyOf(laterByRewind);
        }

        public Facts(String ns, BsonValue id, boolean targetKnown, BsonDocument target, BsonDocument live,
                     boolean changedLater, String uniqueKey, BsonValue uniqueHolder) {
            this(ns, id, targetKnown, target, live, changedLater, uniqueKey, uniqueHolder, List.of());
        }
    }

    /** How the detail of a conflict that only Rewind's own journals made begins. */
    public static final String BY_REWIND = "changed after the window only by Rewind (journal ";

    public static DocumentUndo decide(Facts f, UndoRequest request) {
        if (!f.targetKnown()) {
            return plan(f, Outcome.CONFLICT_UNKNOWN_STATE, "its state before the window cannot be rebuilt", null);
        }
        if (sameDocument(f.live(), f.target())) {
            return plan(f, Outcome.UNCHANGED, null, null);
        }
        if (f.changedLater() && !request.force()) {
            return plan(f, Outcome.CONFLICT_CHANGED_LATER, f.laterByRewind().isEmpty() ? "changed after the window"
                    : BY_REWIND + String.join(", ", f.laterByRewind()) + ")", null);
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

    /** The same fields with the same values (null = absent); field order alone is not a difference. */
    public static boolean sameDocument(BsonDocument a, BsonDocument b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals(b);
    }
}
