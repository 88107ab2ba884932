package dev.rewind.sandbox.write;

import dev.rewind.sandbox.command.Call;
import dev.rewind.sandbox.oplog.Op;
import dev.rewind.sandbox.oplog.Oplog;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a statement's changes go: into its transaction (they reach the oplog at commit), or into
 * the oplog now, each change its own entry (with the session and number of a retryable write), or
 * for a batched delete in {@code applyOps} entries of a batch each.
 */
public final class Publisher {
    static final int INSERT_BATCH = 64;
    /** {@code batchedDeletesTargetStagedDocBytes}' default: 2 MiB. */
    static final long BATCH_BYTES = 2L * 1024 * 1024;

    private final Oplog oplog;
    private final boolean batchInserts;

    /** @param batchInserts whether multi-document inserts go to the oplog in batches (MongoDB 8.0) */
    public Publisher(Oplog oplog, boolean batchInserts) {
        this.oplog = oplog;
        this.batchInserts = batchInserts;
    }

    public void publish(Call call, List<Op> ops, List<WriteRecorder.Write> writes) {
        if (ops.isEmpty() && writes.isEmpty()) {
            return;
        }
        if (call.inTransaction()) {
            for (Op op : ops) {
                if (op.kind() == Op.Kind.CREATE) {
                    call.transaction().created(op.ns());
                }
            }
            call.transaction().stage(ops, writes);
            return;
        }
        // a retryable write's oplog entries carry its lsid and txnNumber, but change events do not
        // show them (they show them for transactions only), so the sandbox does not keep them
        for (Op op : ops) {
            oplog.append(List.of(op), null, null, false);
        }
    }

    /**
     * An insert command's inserts: on 8.0 (vectored inserts replicated transactionally) in {@code
     * applyOps} entries of up to {@value #INSERT_BATCH} documents ({@code internalInsertMaxBatchSize}),
     * a batch of one as a plain entry; before 8.0 one entry per document.
     */
    public void publishInserts(Call call, List<Op> ops, List<WriteRecorder.Write> writes) {
        if (!batchInserts || call.inTransaction()) {
            publish(call, ops, writes);
            return;
        }
        List<Op> batch = new ArrayList<>();
        for (Op op : ops) {
            if (op.kind() != Op.Kind.INSERT) {
                oplog.append(List.of(op), null, null, false);
                continue;
            }
            batch.add(op);
            if (batch.size() == INSERT_BATCH) {
                oplog.append(batch, null, null, true);
                batch = new ArrayList<>();
            }
        }
        if (batch.size() == 1) {
            oplog.append(batch, null, null, false);
        } else if (!batch.isEmpty()) {
            oplog.append(batch, null, null, true);
        }
    }

    /**
     * A batched delete's deletes in {@code applyOps} entries (other changes alone, first): a batch
     * commits once it holds {@code perBatch} documents ({@code batchedDeletesTargetBatchDocs}) or
     * their size reaches {@value #BATCH_BYTES} bytes ({@code batchedDeletesTargetStagedDocBytes},
     * src/mongo/db/exec/batched_delete_stage.idl; the document that reaches it is in the batch).
     * mongod's third target, 5 ms of batch time, depends on the machine and is not emulated.
     */
    public void publishBatched(Call call, List<Op> ops, List<WriteRecorder.Write> writes, int perBatch) {
        if (call.inTransaction()) {
            publish(call, ops, writes);
            return;
        }
        List<Op> batch = new ArrayList<>();
        long staged = 0;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op.kind() != Op.Kind.DELETE) {
                oplog.append(List.of(op), null, null, false);
                continue;
            }
            batch.add(op);
            staged += i < writes.size() && writes.get(i).before() != null ? writes.get(i).before().length : 0;
            if (batch.size() == perBatch || staged >= BATCH_BYTES) {
                oplog.append(batch, null, null, batch.size() > 1);
                batch = new ArrayList<>();
                staged = 0;
            }
        }
        if (batch.size() == 1) {
            oplog.append(batch, null, null, false);
        } else if (!batch.isEmpty()) {
            oplog.append(batch, null, null, true);
        }
    }
}
