package dev.rewind.event;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups events into units to apply atomically: consecutive events of the same transaction
 * (equal {@code lsid} and {@code txnNumber}) form one unit, every other event is a unit alone.
 * A restore to a point in time cuts the log only between units, so it never shows half a
 * transaction.
 */
public final class Transactions {
    private Transactions() {}

    public static List<List<ChangeEvent>> group(List<ChangeEvent> events) {
        List<List<ChangeEvent>> units = new ArrayList<>();
        List<ChangeEvent> current = null;
        TxnId currentTxn = null;
        for (ChangeEvent event : events) {
            TxnId txn = event.txn();
            if (current == null || txn == null || !txn.equals(currentTxn)) {
                current = new ArrayList<>();
                units.add(current);
            }
            current.add(event);
            currentTxn = txn;
        }
        return units.stream().map(List::copyOf).toList();
    }
}
