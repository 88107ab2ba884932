package dev.rewind.event;

import java.util.Objects;
import org.bson.BsonDocument;

/**
 * A document's state after an event: the document (null when the document does not exist) and
 * how far it can be trusted.
 *
 * @param status {@link Status#EXACT} when the state is certain, {@link Status#INEXACT} when it came
 *     from an {@code updateLookup} document (the document as it was when looked up, possibly later)
 *     or from an inexact prior, {@link Status#UNKNOWN} when the event does not tell (then the state is null)
 * @param state the document, or null when it does not exist (or is unknown)
 * @param reason why the state is inexact or unknown; null when exact
 */
public record ApplyResult(Status status, BsonDocument state, String reason) {
    public enum Status { EXACT, INEXACT, UNKNOWN }

    public ApplyResult {
        Objects.requireNonNull(status, "status");
        if (status == Status.UNKNOWN && state != null) {
            throw new IllegalArgumentException("an unknown state has no document");
        }
        if (status != Status.EXACT && reason == null) {
            throw new IllegalArgumentException(status + " needs a reason");
        }
    }

    /** An exact state; {@code state} null means the document does not exist. */
    public static ApplyResult exact(BsonDocument state) {
        return new ApplyResult(Status.EXACT, state, null);
    }

    public static ApplyResult absent() {
        return exact(null);
    }

    public static ApplyResult inexact(BsonDocument state, String reason) {
        return new ApplyResult(Status.INEXACT, state, reason);
    }

    public static ApplyResult unknown(String reason) {
        return new ApplyResult(Status.UNKNOWN, null, reason);
    }

    public boolean isExact() { return status == Status.EXACT; }

    public boolean isUnknown() { return status == Status.UNKNOWN; }

    /** Whether the document is known (exactly or not) not to exist. */
    public boolean isAbsent() { return status != Status.UNKNOWN && state == null; }

    /** Whether the document is known (exactly or not) to exist. */
    public boolean isPresent() { return state != null; }
}
