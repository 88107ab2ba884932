package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import java.util.Set;

/**
 * The generic arguments every command may carry (MongoDB manual, "Generic Command Arguments"),
 * taken out of the command document before the command itself runs.
 *
 * @param lsid the logical session, or null
 * @param txnNumber the transaction or retryable-write number, or null
 * @param autocommit {@code false} for a statement of a multi-document transaction, else null
 * @param startTransaction whether this statement starts the transaction
 * @param readConcern the read concern, or null
 * @param maxTimeMS the time limit in milliseconds, or 0
 */
public record Generic(Document lsid, Long txnNumber, Boolean autocommit, boolean startTransaction,
                      Document readConcern, long maxTimeMS) {

    /** Arguments that only inform (routing, tracing, durability of a single node), removed and not acted on. */
    private static final Set<String> INFORMATIVE = Set.of("$db", "$clusterTime", "$readPreference", "writeConcern",
            "apiVersion", "apiStrict", "apiDeprecationErrors", "comment", "$audit", "$client", "txnRetryCounter",
            "$configTime", "$topologyTime", "mayBypassWriteBlocking");

    public static Generic takeFrom(Document command) {
        Object lsid = command.remove("lsid");
        Object txn = command.remove("txnNumber");
        Object autocommit = command.remove("autocommit");
        Object start = command.remove("startTransaction");
        Object readConcern = command.remove("readConcern");
        Object maxTime = command.remove("maxTimeMS");
        for (String key : INFORMATIVE) {
            command.remove(key);
        }
        if (lsid != null && !(lsid instanceof Document)) {
            throw ServerError.typeMismatch("lsid must be an object");
        }
        if (txn != null && lsid == null) {
            throw new ServerError(50768, "InvalidOptions", "txnNumber may only be provided for multi-document "
                    + "transactions and retryable write commands, and only with a session (lsid)");
        }
        if (autocommit != null && !Boolean.FALSE.equals(autocommit)) {
            throw new ServerError(50778, "InvalidOptions", "autocommit must be false when given");
        }
        if (autocommit != null && txn == null) {
            throw new ServerError(50781, "InvalidOptions", "'autocommit' requires a txnNumber");
        }
        if (start != null && autocommit == null) {
            throw new ServerError(50779, "InvalidOptions", "startTransaction requires autocommit: false");
        }
        return new Generic((Document) lsid, txn == null ? null : ((Number) txn).longValue(),
                autocommit == null ? null : Boolean.FALSE, Boolean.TRUE.equals(start),
                (Document) readConcern, maxTime == null ? 0 : ((Number) maxTime).longValue());
    }

    /** Whether the command is a statement of a multi-document transaction. */
    public boolean inTransaction() {
        return autocommit != null;
    }

    /** Whether the command is a retryable write (a session and a number, outside a transaction). */
    public boolean retryable() {
        return txnNumber != null && autocommit == null;
    }

    public String readConcernLevel() {
        return readConcern == null ? null : (String) readConcern.get("level");
    }
}
