package dev.rewind.undo;

import dev.rewind.event.Namespace;
import dev.rewind.restore.CollectionAt;

/**
 * A collection the window took whole, as it was at T1: by a {@code drop} (or {@code dropDatabase}),
 * or by a {@code renameCollection} of another collection over it ({@code dropTarget}), which is then
 * {@code renamedOver}; null for a drop.
 */
public record DroppedCollection(CollectionAt then, Namespace renamedOver) {
    /** "dropped in the window", or "replaced in the window by a rename of famigo.staging over it". */
    public String how() {
        return renamedOver == null ? "dropped in the window" : "replaced in the window by a rename of " + renamedOver + " over it";
    }
}
