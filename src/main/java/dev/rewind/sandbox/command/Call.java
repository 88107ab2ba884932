package dev.rewind.sandbox.command;

import dev.rewind.sandbox.server.Connection;
import dev.rewind.sandbox.session.Session;
import dev.rewind.sandbox.session.Transaction;

/**
 * One command being run: where it came from, its database, its generic arguments, and the session
 * and transaction it runs in (each null when it has none).
 */
public record Call(Connection connection, String db, String name, Generic generic, Session session,
                   Transaction transaction) {

    public boolean inTransaction() {
        return transaction != null;
    }

    /** A retryable write: its events carry the session and number. */
    public boolean retryable() {
        return session != null && generic.retryable();
    }
}
