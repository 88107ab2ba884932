package dev.rewind.sandbox.stream;

import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.oplog.Op;
import dev.rewind.sandbox.oplog.Oplog;
import dev.rewind.sandbox.oplog.OplogEntry;
import dev.rewind.sandbox.ops.Operation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One open change stream: where it is in the oplog, the events it has made but not returned yet,
 * and its post-batch resume token, kept as mongod keeps it
 * (src/mongo/db/pipeline/plan_executor_pipeline.cpp, _performChangeStreamsAccounting): the token
 * of the last event returned, or, once the stream has read to the end of the oplog past it, a
 * high-water mark at the newest entry read. A transaction's events are made when its last entry is
 * read, all with its commit time. After an {@code invalidate} the cursor is done.
 */
final class StreamCursor {
    /** mongod's largest reply: a batch stops before it would pass 16 MiB. */
    static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;

    private record Pending(Document event, ResumeToken token) { }

    private final long id;
    private final StreamSpec spec;
    private final EventBuilder builder;
    private final Oplog oplog;
    private final Aggregation stages;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final ResumeToken resumePoint;
    private boolean resumePointFound;
    private long nextSeq;
    private ResumeToken pbrt;
    private long returnedTs;
    private long scannedTs;
    private boolean invalidated;
    private volatile long lastUse = System.nanoTime();

    StreamCursor(long id, StreamSpec spec, EventBuilder builder, Oplog oplog, Aggregation stages) {
        this.id = id;
        this.spec = spec;
        this.builder = builder;
        this.oplog = oplog;
        this.stages = stages;
        OplogEntry oldest = oplog.oldest();
        ResumeToken token = spec.resumeAfter() != null ? spec.resumeAfter() : spec.startAfter();
        BsonTimestamp start;
        if (token != null) {
            start = token.timestamp();
            resumePoint = token;
            pbrt = token;
        } else if (spec.startAtOperationTime() != null) {
            start = spec.startAtOperationTime();
            resumePoint = null;
            pbrt = ResumeToken.highWaterMark(start, builder.tokenVersion());
        } else {
            OplogEntry newest = oplog.newest();
            start = newest == null ? new BsonTimestamp(0) : new BsonTimestamp(newest.ts().getValue() + 1);
            resumePoint = null;
            pbrt = ResumeToken.highWaterMark(start, builder.tokenVersion());
        }
        if (oldest != null && Long.compareUnsigned(oldest.ts().getValue(), start.getValue()) > 0
                && (token != null || spec.startAtOperationTime() != null)) {
            throw historyLost();
        }
        nextSeq = oplog.seqAtOrAfter(start);
        returnedTs = start.getValue();
        scannedTs = returnedTs;
        resumePointFound = resumePoint == null || !resumePoint.event();
    }

    long id() {
        return id;
    }

    StreamSpec spec() {
        return spec;
    }

    boolean done() {
        return invalidated && pending.isEmpty();
    }

    long idleMillis() {
        return (System.nanoTime() - lastUse) / 1_000_000;
    }

    ResumeToken postBatchResumeToken() {
        return pbrt;
    }

    /** The next batch: at most {@code max} events, waiting up to {@code awaitMillis} for the first. */
    List<Document> next(int max, long awaitMillis) throws InterruptedException {
        lastUse = System.nanoTime();
        long deadline = System.nanoTime() + awaitMillis * 1_000_000;
        List<Document> batch = new ArrayList<>();
        while (true) {
            fill(batch, max);
            if (!batch.isEmpty() || done() || awaitMillis <= 0) {
                break;
            }
            Operation.checkForInterrupt();   // killOp of this getMore (the caller closes the cursor, as mongod does)
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                fill(batch, max);
                break;
            }
            oplog.await(nextSeq, Math.min(left, Operation.INTERRUPT_CHECK_MILLIS));
        }
        lastUse = System.nanoTime();
        return batch;
    }

    private void fill(List<Document> batch, int max) {
        int bytes = 0;
        while (batch.size() < max) {
            if (pending.isEmpty()) {
                if (invalidated || !readMore()) {
                    if (pending.isEmpty()) {
                        if (Long.compareUnsigned(scannedTs, returnedTs) > 0) {
                            pbrt = ResumeToken.highWaterMark(new BsonTimestamp(scannedTs), builder.tokenVersion());
                            returnedTs = scannedTs;
                        }
                        return;
                    }
                }
                continue;
            }
            Pending next = pending.peek();
            int size = LargeEvents.size(next.event());
            if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                return;
            }
            pending.poll();
            batch.add(next.event());
            bytes += size;
            pbrt = next.token();
            returnedTs = next.token().ts();
        }
    }

    /** Reads oplog entries until some event is pending or the oplog ends; false at the end. */
    private boolean readMore() {
        while (pending.isEmpty()) {
            List<OplogEntry> entries = oplog.read(nextSeq, 256);
            if (entries.isEmpty()) {
                return false;
            }
            if (entries.get(0).seq() > nextSeq) {
                // the capped oplog dropped entries this stream had not read yet: mongod's oplog scan fails
                // (the driver does not resume on it: change-streams spec, prose test 5)
                throw new ServerError(136, "CappedPositionLost", "CollectionScan died due to position in capped "
                        + "collection being deleted. Last seen record id: RecordId(" + (nextSeq - 1) + ")");
            }
            for (OplogEntry entry : entries) {
                nextSeq = entry.seq() + 1;
                scannedTs = entry.ts().getValue();
                if (entry.isNoop() || !entry.commits()) {
                    continue;
                }
                if (read(entry)) {
                    return true;
                }
                if (!pending.isEmpty()) {
                    return true;
                }
            }
        }
        return true;
    }

    /** Makes the events of one committing entry (all entries of its transaction); true once invalidated. */
    private boolean read(OplogEntry commit) {
        List<OplogEntry> parts = commit.parts() == 1 ? List.of(commit)
                : oplog.read(commit.seq() - commit.parts() + 1, commit.parts());
        if (parts.size() != commit.parts() || parts.get(0).seq() != commit.seq() - commit.parts() + 1) {
            throw new ServerError(286, "ChangeStreamHistoryLost", "Oplog no longer has history necessary for $changeStream "
                    + "to observe operations from a committed transaction.", List.of("NonResumableChangeStreamError"));
        }
        long index = 0;
        for (OplogEntry part : parts) {
            for (Op op : part.ops()) {
                long txnOpIndex = commit.applyOps() ? index : 0;
                index++;
                if (spec.scope().sees(op) && builder.shows(op)) {
                    ResumeToken token = builder.token(commit, txnOpIndex, op);
                    if (beforeResumePoint(token)) {
                        continue;
                    }
                    offer(builder.event(commit, op, token), token);
                }
                if (spec.scope().invalidatedBy(op)) {
                    ResumeToken token = ResumeToken.event(commit.commitTs(), builder.tokenVersion(), txnOpIndex, true, op.uuid());
                    if (beforeResumePoint(token)) {
                        continue;  // started after this invalidate (startAfter): the new stream goes on
                    }
                    pending.add(new Pending(builder.invalidate(commit, txnOpIndex, op), token));
                    invalidated = true;
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the event is at or before where the stream resumes (it was seen before); checks the resume point exists. */
    private boolean beforeResumePoint(ResumeToken token) {
        if (resumePoint == null) {
            return false;
        }
        ResumeToken point = resumePoint;
        if (point.event() && token.ts() == point.ts() && token.txnOpIndex() == point.txnOpIndex()) {
            resumePointFound = true;
            if (point.fragment() >= 0 && token.fromInvalidate() == point.fromInvalidate()) {
                return false;  // the rest of a split event: its fragments after the one resumed from
            }
        }
        ResumeToken base = point.fragment() < 0 ? point : new ResumeToken(point.ts(), point.version(), point.event(),
                point.txnOpIndex(), point.fromInvalidate(), point.uuid(), -1);
        if (token.compareTo(base) <= 0) {
            return true;
        }
        if (!resumePointFound) {
            throw new ServerError(280, "ChangeStreamFatalError", "cannot resume stream; the resume token was not found. "
                    + token.toDocument(), List.of("NonResumableChangeStreamError"));
        }
        return false;
    }

    /** Runs the stages after {@code $changeStream}, checks the size, splits if asked. */
    private void offer(Document event, ResumeToken token) {
        Document out = event;
        if (stages != null) {
            List<Document> result = stages.runStages(java.util.stream.Stream.of(event));
            if (result.isEmpty()) {
                return;
            }
            out = result.get(0);
            if (!token.toDocument().equals(out.get("_id"))) {
                throw new ServerError(280, "ChangeStreamFatalError", "Encountered an event whose _id field, which contains "
                        + "the resume token, was modified by the pipeline. Modifying the _id field of an event makes it "
                        + "impossible to resume the stream from that point. Only transformations that retain the unmodified "
                        + "_id field are allowed.", List.of("NonResumableChangeStreamError"));
            }
        }
        if (spec.split()) {
            List<Document> fragments = LargeEvents.split(out, token);
            for (int i = 0; i < fragments.size(); i++) {
                ResumeToken ft = fragments.size() == 1 ? token : token.fragment(i);
                if (resumePoint != null && resumePoint.fragment() >= 0 && ft.ts() == resumePoint.ts()
                        && ft.txnOpIndex() == resumePoint.txnOpIndex() && i <= resumePoint.fragment()) {
                    continue;
                }
                pending.add(new Pending(fragments.get(i), ft));
            }
        } else {
            LargeEvents.check(out);
            pending.add(new Pending(out, token));
        }
    }

    static ServerError historyLost() {
        return new ServerError(286, "ChangeStreamHistoryLost", "Resume of change stream was not possible, as the resume "
                + "point may no longer be in the oplog.", List.of("NonResumableChangeStreamError"));
    }
}
