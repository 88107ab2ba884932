package dev.rewind.repo;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.crypto.KeySource;
import dev.rewind.repo.store.ByteStore;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.repo.store.ParallelUploads;
import dev.rewind.repo.store.RetryingStore;
import dev.rewind.repo.store.S3Location;
import dev.rewind.repo.store.S3Store;
import dev.rewind.repo.store.TimeoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Turns a {@code --repo} argument into a store: a local folder, or {@code s3://bucket/prefix} (see
 * {@link S3Location}). A bucket is reached through the wrappers: parallel uploads of objects, over
 * retries with backoff, over a deadline per request.
 */
public final class Repositories {
    /** Uploads in flight at once to a remote store, and queued behind them. */
    static final int UPLOAD_THREADS = 16;
    static final int UPLOAD_QUEUE = 64;
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(120);

    private Repositories() { }

    public static ByteStore store(String location) {
        if (S3Location.isS3(location)) {
            S3Location where;
            try {
                where = S3Location.parse(location);
            } catch (IllegalArgumentException e) {
                throw RewindException.usage("bad repository location: " + e.getMessage(),
                        "write it as s3://BUCKET/PREFIX, with --s3-endpoint URL and --s3-region R where needed");
            }
            ByteStore s3 = S3Store.open(where);
            return new ParallelUploads(RetryingStore.standard(new TimeoutStore(s3, REQUEST_DEADLINE)), UPLOAD_THREADS,
                    UPLOAD_QUEUE);
        }
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new RewindException(ExitCode.USAGE, "unsupported repository location: " + location,
                    "give a folder such as ./backups, or s3://BUCKET/PREFIX");
        }
        return new LocalStore(Path.of(location));
    }

    /** Opens an existing repository (a key only from REWIND_PASSWORD); NO_REPOSITORY if the folder does not exist. */
    public static Repository open(String location) {
        return open(location, KeySource.environment());
    }

    public static Repository open(String location, KeySource keys) {
        if (!location.contains("://")) {
            Path p = Path.of(location);
            if (!Files.isDirectory(p)) {
                throw new RewindException(ExitCode.NO_REPOSITORY, "no repository at " + p.toAbsolutePath().normalize()
                        + " (no such folder)", "create one with 'rewind init --repo " + location + "', or check the path");
            }
        }
        return Repository.open(store(location), keys);
    }
}
