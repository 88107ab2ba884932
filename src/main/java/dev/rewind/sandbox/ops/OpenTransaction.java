package dev.rewind.sandbox.ops;

import de.bwaldvogel.mongo.bson.Document;

/**
 * A transaction in progress, as {@code $currentOp} lists it when no statement of it runs (an
 * {@code idleSession}).
 *
 * @param lsid its session
 * @param txnNumber its number
 * @param ageMillis how long it has been open
 * @param lifetimeMillis how long it may stay open ({@code transactionLifetimeLimitSeconds})
 */
public record OpenTransaction(Document lsid, long txnNumber, long ageMillis, long lifetimeMillis) {
}
