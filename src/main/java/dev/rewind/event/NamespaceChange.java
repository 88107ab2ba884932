package dev.rewind.event;

import java.util.Optional;

/**
 * What a namespace-level event does to collections: a {@code drop} empties its collection, a
 * {@code dropDatabase} every collection of its database, a {@code rename} moves its source
 * collection to the target (in the same or another database), replacing whatever the target held
 * ({@code dropTarget}); the source is then empty.
 */
public record NamespaceChange(Operation operation, Namespace ns, Namespace to) {
    public NamespaceChange {
        if (!operation.isNamespaceLevel()) {
            throw new IllegalArgumentException(operation + " is not a namespace-level operation");
        }
        if (operation == Operation.RENAME && to == null) {
            throw new IllegalArgumentException("a rename needs a target");
        }
    }

    /** The namespace change an event makes, or empty for document, DDL and stream events. */
    public static Optional<NamespaceChange> of(ChangeEvent event) {
        if (!event.operation().isNamespaceLevel()) {
            return Optional.empty();
        }
        Namespace ns = event.operation() == Operation.DROP_DATABASE
                ? Namespace.database(event.ns().db()) : event.ns();
        return Optional.of(new NamespaceChange(event.operation(), ns, event.to()));
    }

    /** Whether, after this change, the collection holds none of the documents it held before. */
    public boolean wipes(Namespace collection) {
        return switch (operation) {
            case DROP, DROP_DATABASE -> ns.covers(collection);
            case RENAME -> ns.equals(collection) || to.equals(collection);
            default -> false;
        };
    }

    /** Where the documents of the collection went: the target of a rename of it; empty otherwise. */
    public Optional<Namespace> destination(Namespace collection) {
        return operation == Operation.RENAME && ns.equals(collection) ? Optional.of(to) : Optional.empty();
    }

    /** Where the documents a collection holds after this change came from: the source of a rename into it. */
    public Optional<Namespace> source(Namespace collection) {
        return operation == Operation.RENAME && to.equals(collection) ? Optional.of(ns) : Optional.empty();
    }
}
