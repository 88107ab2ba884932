package dev.rewind.event;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;

/**
 * One document's net state after a run of events, relative to a base state not known yet (the
 * document in the snapshot the events follow). Either the events settled it — an insert, a
 * replace, a delete, an update with an exact post-image or pre-image — and {@link #settled()} holds the result;
 * or it still depends on the base, and {@link #pending()} holds the updates to apply to it.
 * Immutable.
 */
public final class DocumentState {
    private static final DocumentState UNTOUCHED = new DocumentState(null, List.of());

    private final ApplyResult settled;
    private final List<ChangeEvent> pending;

    private DocumentState(ApplyResult settled, List<ChangeEvent> pending) {
        this.settled = settled;
        this.pending = pending;
    }

    /** No event yet: the state is the base. */
    public static DocumentState untouched() {
        return UNTOUCHED;
    }

    /** A state no later base can change. */
    public static DocumentState settled(ApplyResult result) {
        return new DocumentState(result, List.of());
    }

    /** The state after one more event of this document. */
    public DocumentState after(ChangeEvent event) {
        if (settled != null) {
            return settled(Interpreter.next(settled, event));
        }
        ApplyResult alone = Interpreter.next(ApplyResult.unknown("base not yet known"), event);
        if (alone.isExact()) {
            return settled(alone);
        }
        List<ChangeEvent> longer = new ArrayList<>(pending);
        longer.add(event);
        return new DocumentState(null, List.copyOf(longer));
    }

    /** The state given the base: the document in the snapshot, or null when absent there. */
    public ApplyResult resolve(BsonDocument base) {
        return resolve(base, null);
    }

    /**
     * The state given a base read by a snapshot scan that ended at {@code scanEnd}: the updates
     * up to then are applied over the base as one read at any moment of the scan
     * ({@link Interpreter#nextOver}), later ones strictly. With {@code scanEnd} null every update
     * is applied strictly (the base is exact at the start).
     */
    public ApplyResult resolve(BsonDocument base, ClusterTime scanEnd) {
        if (settled != null) {
            return settled;
        }
        ApplyResult state = ApplyResult.exact(base);
        for (ChangeEvent event : pending) {
            state = scanEnd != null && !event.clusterTime().isAfter(scanEnd)
                    ? Interpreter.nextOver(state, event) : Interpreter.next(state, event);
        }
        return state;
    }

    /** Whether the state depends on the base (no event settled it). */
    public boolean dependsOnBase() {
        return settled == null;
    }

    /** The settling result, or null while the state depends on the base. */
    public ApplyResult settled() {
        return settled;
    }

    /** The updates waiting for the base, oldest first; empty once settled. */
    public List<ChangeEvent> pending() {
        return pending;
    }
}
