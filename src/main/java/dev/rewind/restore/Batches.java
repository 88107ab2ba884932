package dev.rewind.restore;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.bson.RawBsonDocument;

/**
 * Groups documents into unordered {@code insertMany} batches (at most 1,000 documents or 8 MiB)
 * and runs them on the pool, with at most two batches per thread in flight so memory stays bounded.
 */
final class Batches {
    static final int MAX_DOCUMENTS = 1000;
    static final int MAX_BYTES = 8 << 20;
    private static final InsertManyOptions UNORDERED = new InsertManyOptions().ordered(false);

    private final ExecutorService pool;
    private final MongoCollection<RawBsonDocument> coll;
    private final Semaphore inFlight;
    private final List<Future<Integer>> pending = new ArrayList<>();
    private List<RawBsonDocument> batch = new ArrayList<>(MAX_DOCUMENTS);
    private int bytes;
    private boolean submitted;

    Batches(ExecutorService pool, MongoCollection<RawBsonDocument> coll, int threads) {
        this.pool = pool;
        this.coll = coll;
        this.inFlight = new Semaphore(threads * 2);
    }

    /** Adds a document (null is skipped); sends the batch when full. */
    void add(RawBsonDocument doc) throws InterruptedException {
        submitted = false;
        if (doc == null) {
            return;
        }
        batch.add(doc);
        bytes += doc.getByteBuffer().remaining();
        if (batch.size() >= MAX_DOCUMENTS || bytes >= MAX_BYTES) {
            send();
        }
    }

    /** Whether the last {@link #add} sent a batch (a moment to report progress). */
    boolean submitted() {
        return submitted;
    }

    /** Sends the rest and waits for every batch; returns how many documents were inserted. */
    long finish() throws InterruptedException {
        if (!batch.isEmpty()) {
            send();
        }
        long inserted = 0;
        for (Future<Integer> f : pending) {
            try {
                inserted += f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        return inserted;
    }

    private void send() throws InterruptedException {
        List<RawBsonDocument> docs = batch;
        batch = new ArrayList<>(MAX_DOCUMENTS);
        bytes = 0;
        submitted = true;
        inFlight.acquire();
        pending.add(pool.submit(() -> {
            try {
                coll.insertMany(docs, UNORDERED);
                return docs.size();
            } finally {
                inFlight.release();
            }
        }));
    }
}
