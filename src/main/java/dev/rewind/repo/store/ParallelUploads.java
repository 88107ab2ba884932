package dev.rewind.repo.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Uploads data objects ({@code objects/...}) on several threads, so that a snapshot is not bound by
 * one request's round trip: {@code put} of an object returns once the upload is queued. The order the
 * format needs is kept by barriers: writing or deleting a snapshot manifest ({@code snapshots/...}),
 * listing or deleting objects first waits for every queued upload, and fails if one of them failed
 * (after the retries of the store below), so a manifest is never published before its objects are
 * durable. Until then a queued object reads back from memory. Every other name goes straight through.
 */
public final class ParallelUploads implements ByteStore {
    private static final String OBJECTS = "objects/";
    private static final String SNAPSHOTS = "snapshots/";
    private final ByteStore inner;
    private final Semaphore slots;
    private final int maxQueued;
    private final Map<String, byte[]> queued = new ConcurrentHashMap<>();
    private final List<IOException> failures = new ArrayList<>();
    private final ExecutorService uploaders;

    /** {@code threads} uploads at once, at most {@code maxQueued} waiting (then {@code put} blocks). */
    public ParallelUploads(ByteStore inner, int threads, int maxQueued) {
        this.inner = inner;
        this.maxQueued = maxQueued;
        this.slots = new Semaphore(maxQueued, true);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "store-upload");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);  // idle stores hold no threads
        this.uploaders = pool;
    }

    @Override
    public void put(String name, byte[] data) throws IOException {
        if (!BlobNames.check(name).startsWith(OBJECTS)) {
            barrierFor(name);
            inner.put(name, data);
            return;
        }
        acquire(1);
        queued.put(name, data);
        uploaders.execute(() -> {
            try {
                inner.put(name, data);
            } catch (IOException e) {
                synchronized (failures) {
                    failures.add(e);
                }
            } catch (RuntimeException e) {
                synchronized (failures) {
                    failures.add(new IOException("upload of " + name + " failed: " + e, e));
                }
            } finally {
                queued.remove(name, data);
                slots.release();
            }
        });
    }

    @Override
    public boolean putIfAbsent(String name, byte[] data) throws IOException {
        barrierFor(BlobNames.check(name));
        return inner.putIfAbsent(name, data);
    }

    @Override
    public byte[] get(String name) throws IOException {
        byte[] pending = queued.get(BlobNames.check(name));
        return pending != null ? pending.clone() : inner.get(name);
    }

    @Override
    public long size(String name) throws IOException {
        byte[] pending = queued.get(BlobNames.check(name));
        return pending != null ? pending.length : inner.size(name);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        barrierFor(prefix);
        return inner.list(prefix);
    }

    @Override
    public SortedMap<String, Long> listSizes(String prefix) throws IOException {
        barrierFor(prefix);
        return inner.listSizes(prefix);
    }

    @Override
    public void delete(String name) throws IOException {
        barrierFor(BlobNames.check(name));
        inner.delete(name);
    }

    @Override
    public void deleteAll(Collection<String> names) throws IOException {
        flush();
        inner.deleteAll(names);
    }

    @Override
    public String location() {
        return inner.location();
    }

    private void barrierFor(String name) throws IOException {
        if (name.startsWith(OBJECTS) || name.startsWith(SNAPSHOTS) || OBJECTS.startsWith(name)) {
            flush();
        }
    }

    /** Waits for every queued upload; throws (once) the first failure since the last flush. */
    public void flush() throws IOException {
        acquire(maxQueued);
        slots.release(maxQueued);
        IOException first = null;
        synchronized (failures) {
            if (!failures.isEmpty()) {
                first = failures.get(0);
                failures.clear();
            }
        }
        if (first != null) {
            throw new StoreFailure("an object upload failed: " + first.getMessage(),
                    first instanceof StoreFailure f && f.permanent(), first instanceof StoreFailure f ? f.hint() : null, first);
        }
    }

    private void acquire(int n) throws InterruptedIOException {
        try {
            slots.acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for uploads");
        }
    }
}
