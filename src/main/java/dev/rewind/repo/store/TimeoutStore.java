package dev.rewind.repo.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * Gives every operation of a store a deadline: a call that has not answered within it is abandoned
 * (its thread interrupted) and fails with a transient {@link StoreFailure}, which {@link RetryingStore}
 * may retry. An abandoned write may still land later; every write is safe to repeat (see there).
 */
public final class TimeoutStore implements ByteStore {
    private final ByteStore inner;
    private final Duration timeout;
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "store-call");
        t.setDaemon(true);
        return t;
    });

    public TimeoutStore(ByteStore inner, Duration timeout) {
        this.inner = inner;
        this.timeout = timeout;
    }

    private interface Op<T> {
        T run() throws IOException;
    }

    private <T> T within(String what, Op<T> op) throws IOException {
        return within(what, op, timeout);
    }

    /** Listings and batch deletes are many requests: they get ten times the deadline. */
    private <T> T withinLong(String what, Op<T> op) throws IOException {
        return within(what, op, timeout.multipliedBy(10));
    }

    private <T> T within(String what, Op<T> op, Duration deadline) throws IOException {
        Callable<T> task = op::run;
        Future<T> f = calls.submit(task);
        try {
            return f.get(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new StoreFailure("no answer from " + inner.location() + " within " + deadline.toSeconds() + " s while "
                    + what, false, "check the network and the server's load; run the command again", e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public void put(String name, byte[] data) throws IOException {
        within("writing " + name, () -> {
            inner.put(name, data);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String name, byte[] data) throws IOException {
        return within("writing " + name, () -> inner.putIfAbsent(name, data));
    }

    @Override
    public byte[] get(String name) throws IOException {
        return within("reading " + name, () -> inner.get(name));
    }

    @Override
    public long size(String name) throws IOException {
        return within("looking up " + name, () -> inner.size(name));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return withinLong("listing " + prefix, () -> inner.list(prefix));
    }

    @Override
    public SortedMap<String, Long> listSizes(String prefix) throws IOException {
        return withinLong("listing " + prefix, () -> inner.listSizes(prefix));
    }

    @Override
    public void delete(String name) throws IOException {
        within("deleting " + name, () -> {
            inner.delete(name);
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<String> names) throws IOException {
        withinLong("deleting " + names.size() + " files", () -> {
            inner.deleteAll(names);
            return null;
        });
    }

    @Override
    public String location() {
        return inner.location();
    }
}
