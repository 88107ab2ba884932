package dev.rewind.sandbox.session;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.oplog.Oplog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The server's logical sessions and their transactions, by the rules of the MongoDB manual
 * ("Transactions", "Retryable Writes"): a statement with {@code startTransaction} begins
 * transaction {@code txnNumber}, later statements must name the same number, {@code
 * commitTransaction} writes its changes to the oplog as {@code applyOps} entries, {@code
 * abortTransaction} (or an error in a statement, or outliving {@code transactionLifetimeLimitSeconds})
 * undoes them.
 */
public final class Sessions implements AutoCloseable {
    /** The {@code uid} of a session without an authenticated user: SHA-256 of the empty user name. */
    private static final de.bwaldvogel.mongo.bson.BinData NO_USER = new de.bwaldvogel.mongo.bson.BinData(
            java.util.HexFormat.of().parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));

    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final DataLock lock;
    private final Oplog oplog;
    private final Consumer<Transaction> rollback;
    private final int opsPerEntry;
    private final long lifetimeMillis;
    private final Thread reaper;
    private volatile boolean closed;

    /**
     * @param rollback undoes a transaction's writes in storage (called under the data lock)
     * @param opsPerEntry how many operations fit one {@code applyOps} entry
     */
    public Sessions(DataLock lock, Oplog oplog, Consumer<Transaction> rollback, int opsPerEntry, long lifetimeMillis) {
        this.lock = lock;
        this.oplog = oplog;
        this.rollback = rollback;
        this.opsPerEntry = opsPerEntry;
        this.lifetimeMillis = lifetimeMillis;
        this.reaper = new Thread(this::reap, "sandbox-transaction-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    /**
     * An {@code lsid} as the server reports it ({@code $currentOp}, events): its {@code id}, and the
     * {@code uid} of its user, which the server adds (here always the user without a name).
     */
    public static Document reported(Document lsid) {
        return new Document("id", lsid.get("id")).append("uid", lsid.get("uid") != null ? lsid.get("uid") : NO_USER);
    }

    /** The session an {@code lsid} names, started on first use. */
    public Session of(Document lsid) {
        Object id = lsid.get("id");
        if (!(id instanceof UUID uuid)) {
            throw ServerError.badValue("lsid.id must be a UUID");
        }
        Session s = sessions.computeIfAbsent(uuid, u -> new Session(u, new Document("id", u).append("uid", NO_USER)));
        s.touch();
        return s;
    }

    /**
     * The transaction a statement belongs to: a new one for {@code startTransaction}, else the
     * session's open transaction with that number.
     */
    public Transaction statement(Session session, long number, boolean start, String command) {
        synchronized (session) {
            if (number < session.txnNumber()) {
                throw new ServerError(225, "TransactionTooOld", "Cannot start transaction " + number + " on session "
                        + session.id() + " because a newer transaction " + session.txnNumber() + " has already started.");
            }
            Transaction current = session.transaction();
            if (start) {
                if (current != null && current.number() == number) {
                    throw new ServerError(117, "ConflictingOperationInProgress",
                            "Transaction " + number + " has already been started on session " + session.id());
                }
                if (current != null && current.inProgress()) {
                    abort(current, "a newer transaction started on the session");
                }
                return session.begin(number);
            }
            if (current == null || current.number() != number) {
                throw noSuchTransaction(session, number, "does not match any in-progress transactions");
            }
            if (current.state() == Transaction.State.COMMITTED && !command.equals("commitTransaction")) {
                throw new ServerError(256, "TransactionCommitted", "Transaction " + number + " has been committed.");
            }
            if (current.state() == Transaction.State.ABORTED && !command.equals("abortTransaction")) {
                throw noSuchTransaction(session, number, "has been aborted" + (current.abortReason() == null ? ""
                        : " (" + current.abortReason() + ")"));
            }
            return current;
        }
    }

    /** A retryable write or a plain command with a number: the session moves on to it. */
    public void advance(Session session, long number) {
        synchronized (session) {
            if (number < session.txnNumber()) {
                throw new ServerError(225, "TransactionTooOld", "Retryable write with txnNumber " + number
                        + " is prohibited on session " + session.id() + " because a newer retryable write with txnNumber "
                        + session.txnNumber() + " has already started on this session.");
            }
            Transaction current = session.transaction();
            if (current != null && current.inProgress() && current.number() < number) {
                abort(current, "a newer operation started on the session");
            }
            session.advance(number);
        }
    }

    /** Commits: the staged changes become {@code applyOps} entries of the oplog; the namespaces are free again. */
    public void commit(Transaction txn) {
        synchronized (txn.session()) {
            if (txn.state() == Transaction.State.COMMITTED) {
                return;  // a retried commit
            }
            if (txn.state() == Transaction.State.ABORTED) {
                throw noSuchTransaction(txn.session(), txn.number(), "has been aborted");
            }
            lock.runAlone(() -> {
                var ops = txn.staged();
                if (!ops.isEmpty()) {
                    oplog.appendTransaction(ops, txn.session().lsid(), txn.number(), opsPerEntry);
                }
                txn.committed();
                return null;
            });
            lock.release(txn);
        }
    }

    /** Aborts: the writes are undone, nothing reaches the oplog. */
    public void abort(Transaction txn, String reason) {
        synchronized (txn.session()) {
            if (!txn.inProgress()) {
                return;
            }
            lock.runAlone(() -> {
                rollback.accept(txn);
                txn.aborted(reason);
                return null;
            });
            lock.release(txn);
        }
    }

    /** {@code endSessions}/{@code killSessions}: their open transactions are aborted. */
    public void end(List<?> lsids) {
        for (Object o : lsids) {
            if (o instanceof Document d && d.get("id") instanceof UUID id) {
                Session s = sessions.remove(id);
                if (s != null && s.transaction() != null && s.transaction().inProgress()) {
                    abort(s.transaction(), "the session ended");
                }
            }
        }
    }

    public int size() {
        return sessions.size();
    }

    /** The transactions in progress, each in its session ({@code $currentOp}'s idle sessions). */
    public List<Transaction> openTransactions() {
        List<Transaction> open = new ArrayList<>();
        for (Session s : sessions.values()) {
            Transaction t = s.transaction();
            if (t != null && t.inProgress()) {
                open.add(t);
            }
        }
        return open;
    }

    /** How long a transaction may stay open ({@code transactionLifetimeLimitSeconds}), in milliseconds. */
    public long lifetimeMillis() {
        return lifetimeMillis;
    }

    private void reap() {
        while (!closed) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            for (Session s : sessions.values()) {
                Transaction t = s.transaction();
                if (t != null && t.inProgress() && t.ageMillis() > lifetimeMillis) {
                    abort(t, "it exceeded transactionLifetimeLimitSeconds");
                }
            }
        }
    }

    static ServerError noSuchTransaction(Session session, long number, String why) {
        return new ServerError(251, "NoSuchTransaction", "Transaction with { txnNumber: " + number + " } on session "
                + session.id() + " " + why, List.of("TransientTransactionError"));
    }

    @Override
    public void close() {
        closed = true;
        reaper.interrupt();
    }
}
