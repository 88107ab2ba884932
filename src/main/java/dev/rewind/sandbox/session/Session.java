package dev.rewind.sandbox.session;

import de.bwaldvogel.mongo.bson.Document;
import java.util.UUID;

/**
 * A logical session ({@code lsid}): its newest transaction number, its transaction, and the reply
 * of its newest retryable write, which a retry of the same number gets again without the write
 * being made twice.
 */
public final class Session {
    private final UUID id;
    private final Document lsid;
    private long txnNumber = -1;
    private Transaction transaction;
    private long retriedNumber = -1;
    private String retriedCommand;
    private Document retriedReply;
    private volatile long lastUse = System.nanoTime();

    Session(UUID id, Document lsid) {
        this.id = id;
        this.lsid = lsid;
    }

    public UUID id() {
        return id;
    }

    /** The {@code lsid} document, as events carry it. */
    public Document lsid() {
        return lsid;
    }

    public synchronized long txnNumber() {
        return txnNumber;
    }

    /** The transaction with the session's newest number, or null. */
    public synchronized Transaction transaction() {
        return transaction;
    }

    synchronized Transaction begin(long number) {
        txnNumber = number;
        transaction = new Transaction(this, number);
        return transaction;
    }

    synchronized void advance(long number) {
        txnNumber = Math.max(txnNumber, number);
        if (transaction != null && transaction.number() < txnNumber) {
            transaction = null;
        }
    }

    /** The saved reply when {@code number} is the retry of the last retryable write {@code command}, else null. */
    public synchronized Document retried(long number, String command) {
        return number == retriedNumber && command.equals(retriedCommand) ? retriedReply : null;
    }

    public synchronized void executed(long number, String command, Document reply) {
        retriedNumber = number;
        retriedCommand = command;
        retriedReply = reply;
    }

    void touch() {
        lastUse = System.nanoTime();
    }

    long idleMillis() {
        return (System.nanoTime() - lastUse) / 1_000_000;
    }
}
