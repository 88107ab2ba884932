package dev.rewind.undo;

import dev.rewind.NamespacePattern;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Operation;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * What to undo: the documents of {@code patterns} that events of kinds {@code ops} touched in
 * {@code (from, to]}, optionally only those whose state at {@code from} (or, for documents
 * inserted in the window, their state after it) matches {@code filter} (equality on fields,
 * dotted paths allowed).
 */
public record UndoRequest(List<NamespacePattern> patterns, ClusterTime from, ClusterTime to, Set<Operation> ops,
                          BsonDocument filter, boolean force, boolean keepRestored) {

    /** Whether an event of this kind is one the user asked to undo (replace counts as update). */
    public boolean selects(Operation op) {
        Operation kind = op == Operation.REPLACE ? Operation.UPDATE : op;
        return ops.contains(kind);
    }
}
