package dev.rewind.event;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One change event, normalized: what {@link ChangeEvents#fromBson} makes of a change stream
 * document, and what {@link EventFormat} stores and reads back.
 *
 * @param operation the kind of event
 * @param operationType the operation's {@code operationType} name; for an {@link Operation#OTHER}, the name as sent
 *     (a sandbox replace sent as {@code update} is {@code replace} here, and {@code raw} keeps what was sent)
 * @param clusterTime when it happened, in the server's total order
 * @param wallTime the server's wall clock time of the event; null when not sent (before MongoDB 6.0, the sandbox)
 * @param ns the namespace changed: a collection, or a database for {@code dropDatabase}; null for {@code invalidate}
 * @param to the new namespace of a {@code rename}; null otherwise
 * @param documentKey for document events, {@code {_id: ...}} (plus the shard key on a sharded collection),
 *     {@code _id} first; null when the server gave no way to know the document (see {@link Quirk#KEY_IS_UPDATE_SPEC})
 * @param fullDocument the post-image: the document after an insert, replace or update; null when not sent
 * @param fullDocumentBeforeChange the pre-image, exact when present; null when not sent
 * @param updateDescription what an update changed; null for other events and when not sent
 * @param postImageExact whether {@code fullDocument} is the document exactly as this event left it: always for
 *     insert and replace; for an update only when the stream asked for stored post-images
 *     ({@code whenAvailable} or {@code required}), not for an {@code updateLookup} document, which is the
 *     document as it was when looked up, possibly later
 * @param txn the transaction the event belongs to; null outside a transaction
 * @param resumeToken the event's {@code _id}, the token to resume the stream after it; null when not kept
 * @param extra the event's top-level fields this model does not name ({@code collectionUUID},
 *     {@code operationDescription}, {@code nsType}, ...), verbatim; never null
 * @param quirks where the event fell short of the documented shape; never null
 * @param raw the event exactly as received, for fidelity; null for an event read back from storage
 */
public record ChangeEvent(
        Operation operation,
        String operationType,
        ClusterTime clusterTime,
        Instant wallTime,
        Namespace ns,
        Namespace to,
        BsonDocument documentKey,
        BsonDocument fullDocument,
        BsonDocument fullDocumentBeforeChange,
        UpdateDescription updateDescription,
        boolean postImageExact,
        TxnId txn,
        BsonDocument resumeToken,
        BsonDocument extra,
        Set<Quirk> quirks,
        BsonDocument raw) {

    /** The extra field of an {@link #impliedDrop()}: the collection renamed over the dropped one (never stored). */
    public static final String RENAMED_OVER = "rewind.renamedOver";

    public ChangeEvent {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(clusterTime, "clusterTime");
        operationType = operationType == null ? operation.typeName() : operationType;
        extra = extra == null ? new BsonDocument() : extra;
        quirks = quirks == null || quirks.isEmpty()
                ? Set.of() : Set.copyOf(EnumSet.copyOf(quirks));
        if (postImageExact && fullDocument == null) {
            throw new IllegalArgumentException("an exact post-image needs a fullDocument");
        }
    }

    /** The document's {@code _id}, or null when unknown. */
    public BsonValue id() {
        return documentKey == null ? null : documentKey.get("_id");
    }

    /** {@code operationDescription} of a DDL or rename event (MongoDB 6.0+, expanded events); null when absent. */
    public BsonDocument operationDescription() {
        BsonValue description = extra.get("operationDescription");
        return description != null && description.isDocument() ? description.asDocument() : null;
    }

    /**
     * Whether this is a {@code rename} that replaced a collection at its target
     * ({@code renameCollection} with {@code dropTarget: true}): its {@code operationDescription.dropTarget}
     * is the UUID of the collection it dropped (manual, "Change Events", rename; 6.0+). MongoDB sends
     * no drop event for that collection (SERVER-53478): this rename is its drop.
     */
    public boolean renameDropsTarget() {
        BsonDocument description = operation == Operation.RENAME ? operationDescription() : null;
        return description != null && description.containsKey("dropTarget");
    }

    /**
     * The drop a rename that replaced its target made ({@link #renameDropsTarget}), as a {@code drop}
     * event of the target at the rename's time, for what counts drops (detection, the timeline);
     * empty for every other event.
     */
    public Optional<ChangeEvent> impliedDrop() {
        // its extra field RENAMED_OVER names the collection renamed over the target
        if (!renameDropsTarget() || to == null) {
            return Optional.empty();
        }
        return Optional.of(new ChangeEvent(Operation.DROP, "drop", clusterTime, wallTime, to, null, null, null, null,
                null, false, txn, null, new BsonDocument(RENAMED_OVER, new org.bson.BsonString(ns.toString())), null, null));
    }

    public boolean inTransaction() {
        return txn != null;
    }

    /** This event without its raw form, as it reads back from storage. */
    public ChangeEvent withoutRaw() {
        return new ChangeEvent(operation, operationType, clusterTime, wallTime, ns, to, documentKey,
                fullDocument, fullDocumentBeforeChange, updateDescription, postImageExact, txn,
                resumeToken, extra, quirks, null);
    }

    @Override
    public String toString() {
        return operationType + " " + (ns == null ? "-" : ns) + (to == null ? "" : " -> " + to)
                + " at " + clusterTime + (id() == null ? "" : " _id=" + id().toString());
    }
}
