package dev.rewind.sandbox.session;

import dev.rewind.sandbox.oplog.Op;
import dev.rewind.sandbox.write.WriteRecorder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One multi-document transaction of a session. Its statements run at once against storage, so the
 * transaction reads its own writes; nobody else sees them, because every other command on a
 * namespace the transaction wrote waits until it commits or aborts (see {@link DataLock}). Its
 * changes reach the oplog, and so change streams, only at commit; an abort undoes its writes from
 * their recorded images.
 */
public final class Transaction {
    public enum State { IN_PROGRESS, COMMITTED, ABORTED }

    private final Session session;
    private final long number;
    private final long startedNanos = System.nanoTime();
    private final List<Op> staged = new ArrayList<>();
    private final List<WriteRecorder.Write> undo = new ArrayList<>();
    private final Set<String> created = new LinkedHashSet<>();
    private State state = State.IN_PROGRESS;
    private String abortReason;

    Transaction(Session session, long number) {
        this.session = session;
        this.number = number;
    }

    public Session session() {
        return session;
    }

    public long number() {
        return number;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized boolean inProgress() {
        return state == State.IN_PROGRESS;
    }

    /** Keeps a statement's changes for the commit and its writes for an abort. */
    public synchronized void stage(List<Op> ops, List<WriteRecorder.Write> writes) {
        staged.addAll(ops);
        undo.addAll(writes);
    }

    /** A collection the transaction created implicitly: an abort drops it again. */
    public synchronized void created(String ns) {
        created.add(ns);
    }

    public synchronized List<Op> staged() {
        return List.copyOf(staged);
    }

    /** The writes to undo, newest first. */
    public synchronized List<WriteRecorder.Write> undoLog() {
        List<WriteRecorder.Write> out = new ArrayList<>(undo);
        java.util.Collections.reverse(out);
        return out;
    }

    public synchronized List<String> createdCollections() {
        return List.copyOf(created);
    }

    synchronized void committed() {
        state = State.COMMITTED;
    }

    synchronized void aborted(String reason) {
        state = State.ABORTED;
        abortReason = reason;
    }

    public synchronized String abortReason() {
        return abortReason;
    }

    public long ageMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return "transaction " + number + " of session " + session.id();
    }
}
