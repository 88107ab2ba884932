package dev.rewind.detect;

import dev.rewind.NamespacePattern;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.Operation;
import java.util.List;
import java.util.Set;

/**
 * One detection rule: an incident opens when, within {@code windowSeconds} of event time, at least
 * {@code minCount} distinct documents of one namespace saw an event of {@code ops}, and those are at
 * least {@code minFraction} of the collection's documents (counting the documents the window deleted).
 * {@code update} also matches {@code replace}; {@code drop} and {@code dropDatabase} count one each.
 *
 * @param patterns the namespaces the rule watches; empty for all
 */
public record Rule(String name, Set<Operation> ops, List<NamespacePattern> patterns, long minCount,
                   double minFraction, int windowSeconds, String severity) {
    public static final String CRITICAL = "critical";
    public static final String WARNING = "warning";

    public Rule {
        ops = Set.copyOf(ops);
        patterns = List.copyOf(patterns);
    }

    /** Whether the rule counts this kind of event (before looking at the namespace). */
    public boolean counts(Operation op) {
        return ops.contains(op == Operation.REPLACE ? Operation.UPDATE : op);
    }

    public boolean watches(ChangeEvent e) {
        return counts(e.operation()) && e.ns() != null
                && (patterns.isEmpty() || NamespacePattern.anyMatches(patterns, e.ns().toString()));
    }

    /** Whether removed documents count towards the collection's size (they were there when the window began). */
    boolean removesDocuments() {
        return ops.contains(Operation.DELETE);
    }

    /** The number of documents that trips the rule in a collection of {@code size} documents. */
    long threshold(long size) {
        return Math.max(minCount, (long) Math.ceil(minFraction * size));
    }

    /** The kinds of changes `undo` should take back for an incident of this rule: delete, update, insert and/or drop. */
    public List<String> undoOps() {
        List<String> out = new java.util.ArrayList<>();
        if (ops.contains(Operation.DELETE)) {
            out.add("delete");
        }
        if (ops.contains(Operation.UPDATE)) {
            out.add("update");
        }
        if (ops.contains(Operation.INSERT)) {
            out.add("insert");
        }
        if (ops.contains(Operation.DROP) || ops.contains(Operation.DROP_DATABASE)) {
            out.add("drop");
        }
        return out;
    }
}
