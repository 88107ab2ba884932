package dev.rewind.verify;

import dev.rewind.event.ChangeEvent;

/**
 * Whether a stored event has what MongoDB's change events always carry for its type (MongoDB
 * manual, "Change Events"): a document event its collection and {@code documentKey._id}, an insert
 * and a replace their {@code fullDocument}, an update its {@code updateDescription} (or an image), a
 * rename its {@code to}. An event short of that cannot be replayed, so verify names it.
 */
final class EventCheck {
    private EventCheck() { }

    /** Why the event is not well-formed, or null when it is. */
    static String problem(ChangeEvent e) {
        switch (e.operation()) {
            case INSERT, UPDATE, REPLACE, DELETE -> {
                if (e.ns() == null || e.ns().isDatabase()) {
                    return e.operationType() + " without a collection";
                }
                if (e.id() == null) {
                    return e.operationType() + " on " + e.ns() + " without documentKey._id";
                }
                if ((e.operation() == dev.rewind.event.Operation.INSERT || e.operation() == dev.rewind.event.Operation.REPLACE)
                        && e.fullDocument() == null) {
                    return e.operationType() + " of " + e.ns() + " " + e.id() + " without fullDocument";
                }
                if (e.operation() == dev.rewind.event.Operation.UPDATE && e.updateDescription() == null
                        && e.fullDocument() == null) {
                    return "update of " + e.ns() + " " + e.id() + " without updateDescription or fullDocument";
                }
                return null;
            }
            case RENAME -> {
                return e.ns() == null || e.to() == null ? "rename without ns and to" : null;
            }
            case DROP, DROP_DATABASE, CREATE, CREATE_INDEXES, DROP_INDEXES, MODIFY -> {
                return e.ns() == null ? e.operationType() + " without ns" : null;
            }
            default -> {
                return null;
            }
        }
    }
}
