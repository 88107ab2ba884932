package dev.rewind.sandbox.session;

import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.ops.Operation;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one lock every command that reads or writes data takes, so that each command sees and leaves
 * a consistent state, and changes reach the oplog in the order they were made. On top of it,
 * namespaces a transaction has written belong to it until it ends: another transaction writing there
 * gets a {@code WriteConflict} (as on mongod, with the {@code TransientTransactionError} label),
 * and any other command waits for the transaction to end (mongod would let a read see the state
 * before the transaction; the sandbox makes it wait instead, so that it never sees uncommitted
 * writes).
 */
public final class DataLock {
    private static final long TRANSACTION_READ_WAIT_MS = 1000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final Map<String, Transaction> owners = new HashMap<>();
    private final long maxWaitMillis;

    /** @param maxWaitMillis how long a command may wait for a transaction to end (beyond its lifetime limit) */
    public DataLock(long maxWaitMillis) {
        this.maxWaitMillis = maxWaitMillis;
    }

    /**
     * Runs {@code action} under the lock once no other transaction holds any of {@code namespaces};
     * with {@code txn} and {@code write}, the namespaces then belong to {@code txn}.
     */
    public <T> T run(Collection<String> namespaces, Transaction txn, boolean write, Supplier<T> action) {
        return run(namespaces, txn, write, 0, action);
    }

    /** As above; a command outside a transaction waits at most {@code maxTimeMS} (its own time limit) when above 0. */
    public <T> T run(Collection<String> namespaces, Transaction txn, boolean write, long maxTimeMS, Supplier<T> action) {
        lock.lock();
        try {
            long wait = txn != null ? (write ? 0 : TRANSACTION_READ_WAIT_MS)
                    : maxTimeMS > 0 ? Math.min(maxTimeMS, maxWaitMillis) : maxWaitMillis;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
            while (true) {
                Operation.checkForInterrupt();
                Transaction other = holder(namespaces, txn);
                if (other == null) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (txn != null) {
                        throw new ServerError(112, "WriteConflict", "WriteConflict error: this operation conflicted "
                                + "with another operation (" + other + " has written " + namespaces + ")",
                                List.of("TransientTransactionError"));
                    }
                    throw new ServerError(50, "MaxTimeMSExpired", "operation exceeded time limit waiting for "
                            + other + " to end");
                }
                Operation.waitingForLock(true);
                try {
                    released.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(Operation.INTERRUPT_CHECK_MILLIS)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServerError(11601, "Interrupted", "operation was interrupted");
                } finally {
                    Operation.waitingForLock(false);
                }
            }
            if (txn != null && write) {
                for (String ns : namespaces) {
                    owners.put(ns, txn);
                }
            }
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under the lock, whatever transactions hold (their own commit and abort). */
    public <T> T runAlone(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** The transaction ended: its namespaces are free again. */
    public void release(Transaction txn) {
        lock.lock();
        try {
            owners.values().removeIf(t -> t == txn);
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Transaction holder(Collection<String> namespaces, Transaction me) {
        for (String ns : namespaces) {
            Transaction t = owners.get(ns);
            if (t != null && t != me) {
                return t;
            }
            if (ns.indexOf('.') < 0) {
                // a database-wide command: any collection of the database held counts
                for (Map.Entry<String, Transaction> e : owners.entrySet()) {
                    if (e.getValue() != me && e.getKey().startsWith(ns + ".")) {
                        return e.getValue();
                    }
                }
            }
        }
        return null;
    }
}
