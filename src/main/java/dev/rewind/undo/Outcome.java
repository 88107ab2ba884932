package dev.rewind.undo;

/** What undo does, or does not do, to one document (README, "Undo"). */
public enum Outcome {
    /** Deleted in the window and absent now: inserted again as it was at T1, with its original _id. */
    RESTORED,
    /** Updated in the window and not changed since T2: replaced by its state at T1. */
    REVERTED,
    /** Inserted in the window (with --ops insert) and not changed since: deleted. */
    REMOVED,
    /** An event after T2 touched it: left alone unless --force. */
    CONFLICT_CHANGED_LATER,
    /** Putting it back would violate a unique index another document now holds: left alone unless --on-conflict keep-restored. */
    CONFLICT_UNIQUE_KEY,
    /** Its state at T1 cannot be rebuilt from the repository (an update without a base): left alone. */
    CONFLICT_UNKNOWN_STATE,
    /** Already as it was at T1. */
    UNCHANGED;

    public boolean isConflict() {
        return name().startsWith("CONFLICT");
    }

    public boolean writes() {
        return this == RESTORED || this == REVERTED || this == REMOVED;
    }

    public String label() {
        return name().toLowerCase().replace('_', ' ').replace("conflict ", "conflict: ");
    }
}
