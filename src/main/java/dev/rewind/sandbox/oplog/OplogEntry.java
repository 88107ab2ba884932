package dev.rewind.sandbox.oplog;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import java.time.Instant;
import java.util.List;

/**
 * One oplog entry: its timestamp, wall time and the changes it holds. A plain write is one change;
 * an {@code applyOps} entry (a transaction, a batch of a batched delete) holds several, all of the
 * entry's timestamp. A transaction too big for one entry is written as several consecutive entries;
 * each names the transaction's last timestamp ({@code commitTs}). A no-op entry holds no change
 * (the periodic no-op writer, which moves the cluster time on while nothing is written).
 *
 * @param seq the entry's position in this server's oplog, from 1, without gaps
 * @param lsid the session of a transaction or a retryable write; null otherwise
 * @param txnNumber the transaction or retryable write number; null without {@code lsid}
 * @param commitTs the timestamp of the transaction's last entry; equal to {@code ts} outside a
 *     transaction
 * @param applyOps whether the entry is an {@code applyOps} (its events share its timestamp)
 * @param part this entry's place (from 1) among the {@code parts} entries of its transaction; 1 of 1 otherwise
 * @param parts how many consecutive entries the transaction takes; the last one commits it
 */
public record OplogEntry(long seq, BsonTimestamp ts, Instant wall, List<Op> ops, Document lsid, Long txnNumber,
                         BsonTimestamp commitTs, boolean applyOps, int part, int parts) {
    public OplogEntry {
        ops = List.copyOf(ops);
    }

    public boolean isNoop() {
        return ops.isEmpty();
    }

    public boolean inTransaction() {
        return applyOps && lsid != null;
    }

    /** Whether this entry ends its transaction (or is not part of a multi-entry one): change streams act on it. */
    public boolean commits() {
        return part == parts;
    }

    public long bytes() {
        long b = 64;
        for (Op op : ops) {
            b += op.bytes();
        }
        return b;
    }
}
