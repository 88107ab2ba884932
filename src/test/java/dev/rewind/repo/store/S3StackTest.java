package dev.rewind.repo.store;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The contract through the wrappers a remote repository is opened with (parallel uploads over
 * retries over deadlines over S3), so that none of them weakens what the format relies on.
 */
class S3StackTest extends ByteStoreContract {
    private final S3StoreTest bare = new S3StoreTest();

    @Override
    protected ByteStore newStore() {
        ByteStore s3 = bare.newStore();
        return new ParallelUploads(new RetryingStore(new TimeoutStore(s3, Duration.ofSeconds(30)), 3,
                Duration.ofMillis(50), Duration.ofMillis(200)), 8, 64);
    }

    @Override
    protected List<String> everythingStored() throws IOException {
        ((ParallelUploads) store).flush();
        return bare.everythingStored();
    }
}
