package dev.rewind.sandbox.ops;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.server.Connection;

/**
 * One command while it runs, as {@code $currentOp} reports it and {@code killOp} names it (its
 * {@code opid}). A killed operation is not stopped from outside: it stops with {@code Interrupted}
 * (11601) the next time it checks, as mongod's operations do at their interruption points. The
 * sandbox's are where a command waits: for the data lock, and in a change stream's {@code getMore}.
 */
public final class Operation {
    /** How often a waiting operation looks whether {@code killOp} named it. */
    public static final long INTERRUPT_CHECK_MILLIS = 100;
    private static final ThreadLocal<Operation> CURRENT = new ThreadLocal<>();

    private final int opid;
    private final Connection connection;
    private final String db;
    private final String name;
    private final Document command;
    private final Document lsid;
    private final Long txnNumber;
    private final boolean inTransaction;
    private final long startNanos = System.nanoTime();
    private volatile boolean killed;
    private volatile boolean waitingForLock;

    Operation(int opid, Connection connection, String db, String name, Document command, Document lsid, Long txnNumber,
              boolean inTransaction) {
        this.opid = opid;
        this.connection = connection;
        this.db = db;
        this.name = name;
        this.command = command;
        this.lsid = lsid;
        this.txnNumber = txnNumber;
        this.inTransaction = inTransaction;
    }

    /** Throws {@code Interrupted} (11601) if {@code killOp} named the operation this thread runs. */
    public static void checkForInterrupt() {
        Operation op = CURRENT.get();
        if (op != null && op.killed) {
            throw new ServerError(11601, "Interrupted", "operation was interrupted");
        }
    }

    /** Marks whether the operation this thread runs waits for the data lock ({@code waitingForLock}). */
    public static void waitingForLock(boolean waiting) {
        Operation op = CURRENT.get();
        if (op != null) {
            op.waitingForLock = waiting;
        }
    }

    void bind() {
        CURRENT.set(this);
    }

    void unbind() {
        CURRENT.remove();
    }

    void kill() {
        killed = true;
    }

    public int opid() {
        return opid;
    }

    public Connection connection() {
        return connection;
    }

    public String db() {
        return db;
    }

    public String name() {
        return name;
    }

    /** The command as it arrived, generic arguments included. */
    public Document command() {
        return command;
    }

    public Document lsid() {
        return lsid;
    }

    public Long txnNumber() {
        return txnNumber;
    }

    public boolean inTransaction() {
        return inTransaction;
    }

    public boolean killed() {
        return killed;
    }

    public boolean isWaitingForLock() {
        return waitingForLock;
    }

    public long micros() {
        return (System.nanoTime() - startNanos) / 1000;
    }
}
