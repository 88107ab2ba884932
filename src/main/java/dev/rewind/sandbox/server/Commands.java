package dev.rewind.sandbox.server;

import de.bwaldvogel.mongo.bson.Document;

/** What the server does with one command: the reply document (errors included, as {@code ok: 0} replies). */
public interface Commands {
    /**
     * Runs {@code command} (the command document, its first key the command name) sent to database
     * {@code db} on connection {@code connection}; never throws for a command error.
     */
    Document run(Connection connection, String db, Document command);

    /** The connection closed: release what it held (its cursors). */
    void closed(Connection connection);
}
