package dev.rewind.undo;

import dev.rewind.event.DocumentId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bson.BsonDocument;

/**
 * What reverting a journal would do to each document it wrote (pure): its entries taken back in
 * reverse order, each moving the document from the state the journal wrote ({@code after}) back to
 * the state before ({@code before}) — only where the document is still as the journal left it. The
 * outcomes are the undo's: {@code restored}, {@code reverted}, {@code removed}, {@code unchanged}
 * (already as before), {@code conflict: changed later} (changed since the journal wrote it).
 */
public final class RevertPlan {
    private RevertPlan() { }

    /**
     * @param live the live document of an entry (by namespace and {@code _id}), null when absent
     * @return one step per entry, in the order a revert takes them back; a step's {@code target} is the
     *     state it puts back and its {@code live} the state it expects to find
     */
    public static List<DocumentUndo> plan(List<Journal.Entry> entries, Function<Journal.Entry, BsonDocument> live) {
        List<Journal.Entry> reversed = new ArrayList<>(entries);
        Collections.reverse(reversed);
        Map<String, BsonDocument> state = new HashMap<>();
        Map<String, Boolean> seen = new HashMap<>();
        List<DocumentUndo> out = new ArrayList<>();
        for (Journal.Entry e : reversed) {
            String key = e.ns() + "\u0000" + DocumentId.of(e.id());
            BsonDocument now = seen.containsKey(key) ? state.get(key) : live.apply(e);
            seen.put(key, true);
            Outcome o;
            String detail = null;
            if (UndoPlanner.sameDocument(now, e.before())) {
                o = Outcome.UNCHANGED;
            } else if (UndoPlanner.sameDocument(now, e.after())) {
                o = e.before() == null ? Outcome.REMOVED : now == null ? Outcome.RESTORED : Outcome.REVERTED;
                state.put(key, e.before());
            } else {
                o = Outcome.CONFLICT_CHANGED_LATER;
                detail = "changed since the journal wrote it (" + e.action() + ")";
                state.put(key, now);
            }
            out.add(new DocumentUndo(e.ns(), e.id(), o, e.before(), now, detail, null));
        }
        return out;
    }
}
