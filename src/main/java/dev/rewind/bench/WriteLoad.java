package dev.rewind.bench;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.event.Operation;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;

/**
 * Writer threads that change a collection as fast as the server allows: in turn an insert of a
 * new family, an update with {@code $set} only, a {@code replaceOne} and a {@code deleteOne}, one
 * write at a time each, acknowledged (25% of each). Every document is inserted, then updated,
 * then replaced, then deleted, {@link #SPREAD} writes apart, so each (_id, operation) happens
 * once and the {@link LagLog} can pair a write with its event. No update operator other than
 * {@code $set} is used: the sandbox's events for those are inexact.
 */
final class WriteLoad {
    static final int SPREAD = 1000;

    private final MongoCollection<Document> coll;
    private final int threads;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong writes = new AtomicLong();
    private final List<Thread> running = new ArrayList<>();
    private final long[] next;
    private volatile RuntimeException failure;

    WriteLoad(MongoCollection<Document> coll, int threads) {
        this.coll = coll;
        this.threads = threads;
        this.next = new long[threads];
    }

    /** Starts (or restarts, with new {@code _id}s) the writers, recording each acknowledgement into {@code into}. */
    void start(LagLog into) {
        stop.set(false);
        running.clear();
        for (int w = 0; w < threads; w++) {
            int writer = w;
            Thread t = new Thread(() -> write(writer, into), "bench-writer-" + w);
            t.setDaemon(true);
            running.add(t);
            t.start();
        }
    }

    /** Stops the writers and waits for them; returns when the last write is acknowledged. */
    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : running) {
            t.join();
        }
        if (failure != null) {
            throw failure;
        }
    }

    long writes() {
        return writes.get();
    }

    private void write(int writer, LagLog into) {
        Families gen = new Families(1000 + writer);
        long base = ((long) writer + 1) << 40;
        long first = next[writer];
        long n = first;
        // one round = an insert of n, then the later steps of the documents inserted 1, 2, 3 spreads ago
        try {
            while (!stop.get()) {
                long inserted = base + n;
                coll.insertOne(family(gen, inserted));
                into.acked(inserted, Operation.INSERT);
                if (n - first >= SPREAD) {
                    long id = base + n - SPREAD;
                    coll.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("lastSeen", new Date()),
                            Updates.set("members", (int) (n % 7))));
                    into.acked(id, Operation.UPDATE);
                }
                if (n - first >= 2 * SPREAD) {
                    long id = base + n - 2 * SPREAD;
                    coll.replaceOne(Filters.eq("_id", id), family(gen, id).append("replaced", true));
                    into.acked(id, Operation.REPLACE);
                }
                if (n - first >= 3 * SPREAD) {
                    long id = base + n - 3 * SPREAD;
                    coll.deleteOne(Filters.eq("_id", id));
                    into.acked(id, Operation.DELETE);
                }
                writes.addAndGet(1 + Math.min(3, (n - first) / SPREAD));
                n++;
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        // the documents left mid-cycle stay as they are; the next start inserts new ones after them
        next[writer] = n;
    }

    private static Document family(Families gen, long id) {
        Document d = gen.next();
        d.put("_id", id);
        return d;
    }
}
