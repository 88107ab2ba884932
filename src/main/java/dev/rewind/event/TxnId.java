package dev.rewind.event;

import java.util.Objects;
import org.bson.BsonDocument;

/**
 * The identity of a multi-document transaction: the logical session ({@code lsid}) and the
 * transaction number in it ({@code txnNumber}). Events with equal ids belong to one transaction.
 */
public record TxnId(BsonDocument lsid, long txnNumber) {
    public TxnId {
        Objects.requireNonNull(lsid, "lsid");
    }
}
