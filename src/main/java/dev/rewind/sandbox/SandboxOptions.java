package dev.rewind.sandbox;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a sandbox is started: which release it emulates, where it listens and keeps its data, and
 * the server parameters that tests set small (each named after the mongod parameter it stands for).
 *
 * @param release the MongoDB release emulated
 * @param host the address to bind
 * @param port the port (0: any free one)
 * @param dataDir where to keep data, oplog and catalog (H2 file); null: in memory
 * @param oplogBytes the oplog's size ({@code oplogSizeMB}); the oldest entries go first past it
 * @param noopInterval how often an idle primary writes a no-op entry ({@code periodicNoopIntervalSecs}, 10 s)
 * @param transactionOpsPerEntry {@code maxNumberOfTransactionOperationsInSingleOplogEntry}: how many
 *     operations of a transaction fit one {@code applyOps} entry before it spans several (mongod's
 *     default: no limit but 16 MB of operations per entry, which the oplog applies too)
 * @param batchedDeleteDocs {@code batchedDeletesTargetBatchDocs}: documents per batch of a batched delete
 * @param transactionLifetime {@code transactionLifetimeLimitSeconds}: an open transaction older than this is aborted
 * @param replSetName the replica set's name ({@code setName})
 * @param ttlMonitorSleep {@code ttlMonitorSleepSecs}: how often the TTL monitor deletes expired documents
 */
public record SandboxOptions(MongoRelease release, String host, int port, Path dataDir, long oplogBytes,
                             Duration noopInterval, int transactionOpsPerEntry, int batchedDeleteDocs,
                             Duration transactionLifetime, String replSetName, Duration ttlMonitorSleep) {

    public static final long DEFAULT_OPLOG_BYTES = 192L << 20;

    public static SandboxOptions defaults() {
        return new SandboxOptions(MongoRelease.V7_0, "127.0.0.1", 0, null, DEFAULT_OPLOG_BYTES, Duration.ofSeconds(10),
                Integer.MAX_VALUE, 10, Duration.ofSeconds(60), "rs0", Duration.ofSeconds(60));
    }

    public SandboxOptions release(MongoRelease r) {
        return new SandboxOptions(r, host, port, dataDir, oplogBytes, noopInterval, transactionOpsPerEntry,
                batchedDeleteDocs, transactionLifetime, replSetName, ttlMonitorSleep);
    }

    public SandboxOptions listen(String h, int p) {
        return new SandboxOptions(release, h, p, dataDir, oplogBytes, noopInterval, transactionOpsPerEntry,
                batchedDeleteDocs, transactionLifetime, replSetName, ttlMonitorSleep);
    }

    public SandboxOptions dataDir(Path dir) {
        return new SandboxOptions(release, host, port, dir, oplogBytes, noopInterval, transactionOpsPerEntry,
                batchedDeleteDocs, transactionLifetime, replSetName, ttlMonitorSleep);
    }

    public SandboxOptions oplogBytes(long bytes) {
        return new SandboxOptions(release, host, port, dataDir, bytes, noopInterval, transactionOpsPerEntry,
                batchedDeleteDocs, transactionLifetime, replSetName, ttlMonitorSleep);
    }

    public SandboxOptions noopInterval(Duration d) {
        return new SandboxOptions(release, host, port, dataDir, oplogBytes, d, transactionOpsPerEntry,
                batchedDeleteDocs, transactionLifetime, replSetName, ttlMonitorSleep);
    }

    public SandboxOptions transactionOpsPerEntry(int n) {
        return new SandboxOptions(release, host, port, dataDir, oplogBytes, noopInterval, n,
                batchedDeleteDocs, transactionLifetime, replSetName, ttlMonitorSleep);
    }

    public SandboxOptions batchedDeleteDocs(int n) {
        return new SandboxOptions(release, host, port, dataDir, oplogBytes, noopInterval, transactionOpsPerEntry,
                n, transactionLifetime, replSetName, ttlMonitorSleep);
    }

    public SandboxOptions transactionLifetime(Duration d) {
        return new SandboxOptions(release, host, port, dataDir, oplogBytes, noopInterval, transactionOpsPerEntry,
                batchedDeleteDocs, d, replSetName, ttlMonitorSleep);
    }

    public SandboxOptions ttlMonitorSleep(Duration d) {
        return new SandboxOptions(release, host, port, dataDir, oplogBytes, noopInterval, transactionOpsPerEntry,
                batchedDeleteDocs, transactionLifetime, replSetName, d);
    }
}
