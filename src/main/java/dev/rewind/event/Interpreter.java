package dev.rewind.event;

import org.bson.BsonDocument;

/**
 * Applies a document-level change event to the state of the document it changed, by MongoDB's
 * documented semantics:
 * <ul>
 *   <li>insert and replace: the event's document, exactly (a replacement keeps the {@code _id});</li>
 *   <li>delete: absent, whatever the prior state (deleting an absent document is a no-op);</li>
 *   <li>update: the exact post-image when the stream carried one; else the update description
 *       applied to the pre-image when the event carries one, or to the prior state (exact when the
 *       prior was); else the {@code updateLookup} document, marked inexact; else unknown, and no
 *       document is invented.</li>
 * </ul>
 * Namespace-level events (drop, rename, dropDatabase) are not per-document: see {@link NamespaceChange}.
 */
public final class Interpreter {
    private Interpreter() {}

    /** Applies an event to a prior state known exactly: a document, or null when absent. */
    public static ApplyResult apply(BsonDocument prior, ChangeEvent event) {
        return next(ApplyResult.exact(prior), event);
    }

    /**
     * Applies an event to a prior state that may itself be inexact or unknown: the state after
     * {@code event} given the state before it.
     */
    public static ApplyResult next(ApplyResult prior, ChangeEvent event) {
        switch (event.operation()) {
            case INSERT, REPLACE:
                if (event.fullDocument() == null) {
                    return ApplyResult.unknown(event.operationType() + " event without fullDocument at "
                            + event.clusterTime());
                }
                return ApplyResult.exact(withId(event));
            case DELETE:
                return ApplyResult.absent();
            case UPDATE:
                return update(prior, event);
            default:
                throw new IllegalArgumentException("not a document event: " + event.operationType()
                        + " (namespace and DDL events act on whole collections; see NamespaceChange)");
        }
    }

    /**
     * Applies an event to a base that may be from later than the event (a document a snapshot
     * scan read while the log went on, replayed from the scan's start): updates are applied with
     * {@link UpdateApplier#applyOver}, so a path the later base no longer fits is skipped. Exact
     * for the state at the end of the scan once every event until then has been applied.
     */
    public static ApplyResult nextOver(ApplyResult prior, ChangeEvent event) {
        if (event.operation() != Operation.UPDATE || event.postImageExact() || event.fullDocumentBeforeChange() != null
                || event.updateDescription() == null || prior.state() == null) {
            return next(prior, event);
        }
        BsonDocument after = UpdateApplier.applyOver(prior.state(), event.updateDescription());
        return prior.isExact() ? ApplyResult.exact(after) : ApplyResult.inexact(after, prior.reason());
    }

    private static ApplyResult update(ApplyResult prior, ChangeEvent event) {
        if (event.postImageExact()) {
            return ApplyResult.exact(event.fullDocument());
        }
        String reason;
        BsonDocument base = event.fullDocumentBeforeChange() != null ? event.fullDocumentBeforeChange() : prior.state();
        boolean baseExact = event.fullDocumentBeforeChange() != null || prior.isExact();
        if (event.updateDescription() == null) {
            reason = "update at " + event.clusterTime() + " without updateDescription";
        } else if (base == null) {
            reason = "update at " + event.clusterTime() + " of a document whose prior state is "
                    + (prior.isUnknown() ? "unknown (" + prior.reason() + ")" : "absent");
        } else {
            try {
                BsonDocument after = UpdateApplier.apply(base, event.updateDescription());
                return baseExact ? ApplyResult.exact(after) : ApplyResult.inexact(after, prior.reason());
            } catch (PathConflictException conflict) {
                reason = "update at " + event.clusterTime() + " does not fit the prior state: " + conflict.getMessage();
            }
        }
        if (event.fullDocument() != null) {
            return ApplyResult.inexact(event.fullDocument(), "updateLookup document (the document when looked up,"
                    + " possibly after later changes); " + reason);
        }
        return ApplyResult.unknown(reason);
    }

    private static BsonDocument withId(ChangeEvent event) {
        return event.id() == null ? event.fullDocument() : ChangeEvents.idFirst(event.fullDocument(), event.id());
    }
}
