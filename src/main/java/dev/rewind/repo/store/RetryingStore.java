package dev.rewind.repo.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a store's failures that may pass (a dropped connection, a server error, a timeout) with
 * exponential backoff; a missing blob, a bad name and a permanent {@link StoreFailure} are not retried.
 * Every operation is safe to repeat: {@code put} and {@code delete} are idempotent, and a
 * {@code putIfAbsent} whose first answer was lost (the write may have happened) and that then finds
 * the name taken reads the blob back: if it holds exactly these bytes, the write was its own and it
 * returns true.
 */
public final class RetryingStore implements ByteStore {
    private static final Logger log = LoggerFactory.getLogger(RetryingStore.class);
    private final ByteStore inner;
    private final int attempts;
    private final Duration firstDelay;
    private final Duration maxDelay;

    /** {@code attempts} tries in all, waiting {@code firstDelay} after the first failure, doubling up to {@code maxDelay}. */
    public RetryingStore(ByteStore inner, int attempts, Duration firstDelay, Duration maxDelay) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.inner = inner;
        this.attempts = attempts;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /** Six tries over about 15 seconds: 0.5 s doubling to 8 s. */
    public static RetryingStore standard(ByteStore inner) {
        return new RetryingStore(inner, 6, Duration.ofMillis(500), Duration.ofSeconds(8));
    }

    private interface Op<T> {
        T run() throws IOException;
    }

    private <T> T retry(String what, Op<T> op) throws IOException {
        long delay = firstDelay.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return op.run();
            } catch (IOException e) {
                if (!retryable(e) || attempt >= attempts) {
                    throw e;
                }
                log.warn("{} failed ({}); retrying in {} ms (attempt {} of {})", what, e.getMessage(), delay, attempt + 1, attempts);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException stop = new InterruptedIOException("interrupted while retrying " + what);
                    stop.addSuppressed(e);
                    throw stop;
                }
                delay = Math.min(delay * 2, maxDelay.toMillis());
            }
        }
    }

    static boolean retryable(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException || e instanceof InterruptedIOException
                && !(e instanceof java.net.SocketTimeoutException)) {
            return false;
        }
        return !(e instanceof StoreFailure f && f.permanent());
    }

    @Override
    public void put(String name, byte[] data) throws IOException {
        retry("writing " + name, () -> {
            inner.put(name, data);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String name, byte[] data) throws IOException {
        boolean[] mayHaveWritten = {false};
        return retry("writing " + name, () -> {
            boolean won;
            try {
                won = inner.putIfAbsent(name, data);
            } catch (IOException e) {
                mayHaveWritten[0] |= retryable(e);
                throw e;
            }
            if (won || !mayHaveWritten[0]) {
                return won;
            }
            try {
                return Arrays.equals(inner.get(name), data);
            } catch (NoSuchFileException gone) {
                return false;
            }
        });
    }

    @Override
    public byte[] get(String name) throws IOException {
        return retry("reading " + name, () -> inner.get(name));
    }

    @Override
    public long size(String name) throws IOException {
        return retry("looking up " + name, () -> inner.size(name));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return retry("listing " + prefix, () -> inner.list(prefix));
    }

    @Override
    public SortedMap<String, Long> listSizes(String prefix) throws IOException {
        return retry("listing " + prefix, () -> inner.listSizes(prefix));
    }

    @Override
    public void delete(String name) throws IOException {
        retry("deleting " + name, () -> {
            inner.delete(name);
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<String> names) throws IOException {
        retry("deleting " + names.size() + " files", () -> {
            inner.deleteAll(names);
            return null;
        });
    }

    @Override
    public String location() {
        return inner.location();
    }
}
