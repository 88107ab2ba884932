package dev.rewind.restore;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.TxnId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts the log, read event by event, into the units a point in time may not split: the
 * consecutive events of one multi-document transaction (same {@code lsid} and {@code txnNumber})
 * form one unit, every other event is a unit alone. mongod gives every event of a transaction the
 * commit's cluster time (src/mongo/db/pipeline/document_source_change_stream_unwind_transaction.cpp),
 * so a cut by time alone never splits one there; the unit keeps that true for any server.
 */
final class TransactionUnits {
    private final Consumer<List<ChangeEvent>> sink;
    private List<ChangeEvent> open = new ArrayList<>();
    private TxnId openTxn;

    TransactionUnits(Consumer<List<ChangeEvent>> sink) {
        this.sink = sink;
    }

    void accept(ChangeEvent e) {
        TxnId txn = e.txn();
        if (txn != null && txn.equals(openTxn)) {
            open.add(e);
            return;
        }
        finish();
        if (txn == null) {
            sink.accept(List.of(e));
            return;
        }
        openTxn = txn;
        open.add(e);
    }

    /** Hands over the open transaction, if any (the end of the log). */
    void finish() {
        if (!open.isEmpty()) {
            sink.accept(open);
            open = new ArrayList<>();
        }
        openTxn = null;
    }
}
