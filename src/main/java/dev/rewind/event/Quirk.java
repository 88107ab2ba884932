package dev.rewind.event;

/**
 * Where an event fell short of MongoDB's documented shape and was normalized anyway. A server
 * before 6.0 sends no wall time; the others come only from the embedded server Rewind used before
 * its sandbox followed MongoDB, and are kept so that events stored then still read back.
 */
public enum Quirk {
    /** No {@code ns}: the namespace came from the collection-level stream that delivered it. */
    NO_NAMESPACE,
    /** No {@code wallTime}. */
    NO_WALL_TIME,
    /** An {@code update} without {@code updateDescription} whose document key was the whole new document: read as a replace. */
    REPLACE_AS_UPDATE,
    /** The document key was the update specification, not {@code {_id}}. */
    KEY_IS_UPDATE_SPEC,
    /** The update description was made from an update specification of only {@code $set} and {@code $unset}. */
    DESCRIPTION_FROM_UPDATE_SPEC,
    /** A {@code fullDocument} that cannot be a post-image (empty, without {@code _id}, or not asked for) was dropped. */
    BOGUS_FULL_DOCUMENT
}
