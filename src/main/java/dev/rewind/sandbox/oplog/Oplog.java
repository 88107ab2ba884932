package dev.rewind.sandbox.oplog;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sandbox's oplog: every change in the order the server made it, as a capped collection of at
 * most {@code maxBytes} (mongod's {@code oplogSizeMB}); the oldest entries go first once it is
 * full, and a change stream that needs one of them fails with {@code ChangeStreamHistoryLost}. The
 * entries live in memory, and in an {@link OplogStore} when the server keeps its data on disk, so a
 * restarted server still has them.
 *
 * <p>Writers append under the server's write lock, so entries are in timestamp order; readers take
 * a consistent prefix at any time and may wait for new entries.
 */
public final class Oplog {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final ArrayList<OplogEntry> entries = new ArrayList<>();
    private final OpClock clock;
    private final OplogStore store;
    private final long maxBytes;
    private int head;          // index of the oldest retained entry in 'entries'
    private long bytes;
    private long nextSeq = 1;

    public Oplog(OpClock clock, long maxBytes, OplogStore store) {
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.store = store;
        for (OplogEntry e : store.load()) {
            entries.add(e);
            bytes += e.bytes();
            nextSeq = e.seq() + 1;
            clock.resumeAfter(e.ts());
        }
        trim();
    }

    /** Appends one entry of {@code ops} with a new timestamp (none: a no-op entry). */
    public OplogEntry append(List<Op> ops, Document lsid, Long txnNumber, boolean applyOps) {
        lock.lock();
        try {
            BsonTimestamp ts = clock.next();
            OplogEntry e = new OplogEntry(nextSeq, ts, Instant.ofEpochMilli(clock.wall().millis()), ops, lsid, txnNumber,
                    ts, applyOps, 1, 1);
            add(e);
            return e;
        } finally {
            lock.unlock();
        }
    }

    /** mongod's largest applyOps entry of a transaction: 16 MiB of operations (BSONObjMaxUserSize). */
    static final long MAX_ENTRY_BYTES = 16L * 1024 * 1024;

    /**
     * Appends a transaction as consecutive {@code applyOps} entries, packed as mongod packs them
     * (op_observer_impl.cpp: "Stop packing when either number of transaction operations is reached, or
     * when the next one would make the total size of operations larger than the maximum BSON Object
     * User Size"): at most {@code perEntry} changes and 16 MiB each, a single bigger change alone.
     * Every entry names the last one's timestamp as the commit timestamp.
     */
    public List<OplogEntry> appendTransaction(List<Op> ops, Document lsid, long txnNumber, int perEntry) {
        List<List<Op>> packed = new ArrayList<>();
        List<Op> current = new ArrayList<>();
        long size = 0;
        for (Op op : ops) {
            if (!current.isEmpty() && (current.size() >= perEntry || size + op.bytes() > MAX_ENTRY_BYTES)) {
                packed.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(op);
            size += op.bytes();
        }
        packed.add(current);
        lock.lock();
        try {
            int parts = packed.size();
            List<BsonTimestamp> times = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                times.add(clock.next());
            }
            BsonTimestamp commit = times.get(parts - 1);
            Instant wall = Instant.ofEpochMilli(clock.wall().millis());
            List<OplogEntry> out = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                OplogEntry e = new OplogEntry(nextSeq, times.get(i), wall, packed.get(i), lsid, txnNumber, commit, true,
                        i + 1, parts);
                add(e);
                out.add(e);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private void add(OplogEntry e) {
        entries.add(e);
        nextSeq++;
        bytes += e.bytes();
        store.append(e);
        trim();
        appended.signalAll();
    }

    private void trim() {
        while (bytes > maxBytes && entries.size() - head > 1) {
            OplogEntry gone = entries.set(head, null);
            bytes -= gone.bytes();
            head++;
            store.truncateThrough(gone.seq());
        }
        if (head > 4096 && head > entries.size() / 2) {
            entries.subList(0, head).clear();
            head = 0;
        }
    }

    /** Up to {@code max} entries from sequence number {@code seq} on (fewer at the end of the oplog). */
    public List<OplogEntry> read(long seq, int max) {
        lock.lock();
        try {
            int from = index(seq);
            int to = Math.min(entries.size(), from + max);
            return from >= to ? List.of() : new ArrayList<>(entries.subList(from, to));
        } finally {
            lock.unlock();
        }
    }

    private int index(long seq) {
        if (entries.size() == head) {
            return entries.size();
        }
        long first = entries.get(head).seq();
        return (int) Math.max(head, Math.min(entries.size(), head + (seq - first)));
    }

    /** The sequence number of the first entry whose timestamp is at or after {@code ts}. */
    public long seqAtOrAfter(BsonTimestamp ts) {
        lock.lock();
        try {
            int lo = head;
            int hi = entries.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(entries.get(mid).ts().getValue(), ts.getValue()) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < entries.size() ? entries.get(lo).seq() : nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest entry still held; null if none. */
    public OplogEntry oldest() {
        lock.lock();
        try {
            return entries.size() == head ? null : entries.get(head);
        } finally {
            lock.unlock();
        }
    }

    /** The newest entry; null if none. */
    public OplogEntry newest() {
        lock.lock();
        try {
            return entries.size() == head ? null : entries.get(entries.size() - 1);
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number the next entry will get. */
    public long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an entry at {@code seq} or later exists, at most {@code millis}; whether one does. */
    public boolean await(long seq, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (nextSeq <= seq) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                appended.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The newest timestamp: the server's cluster time (null before the first entry). */
    public BsonTimestamp clusterTime() {
        OplogEntry e = newest();
        return e == null ? null : e.ts();
    }

    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
