package dev.rewind.bench;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The family collection of the restore comparison and the changes made to it after its snapshot:
 * inserts, {@code replaceOne} and {@code deleteOne}, a third each, each replace and delete on a
 * different existing family. No updates: the sandbox answers every update event's lookup
 * (updateLookup) by scanning the whole collection, which at 200,000 documents makes capturing
 * 50,000 changes take half an hour; the restore merges update events like any other.
 */
final class FamilyChanges {
    private FamilyChanges() { }

    /** Inserts {@code n} families in batches of 1,000 and returns their ids, shuffled. */
    static List<ObjectId> load(MongoCollection<Document> coll, int n) {
        Families gen = new Families(42);
        List<ObjectId> ids = new ArrayList<>(n);
        List<Document> batch = new ArrayList<>(1000);
        for (int i = 0; i < n; i++) {
            Document d = gen.next();
            ids.add(d.getObjectId("_id"));
            batch.add(d);
            if (batch.size() == 1000 || i == n - 1) {
                coll.insertMany(batch);
                batch = new ArrayList<>(1000);
            }
        }
        Collections.shuffle(ids, new Random(7));
        return ids;
    }

    /** {@code n} changes on {@code threads} threads, each on its own share of {@code ids}. */
    static void run(MongoCollection<Document> coll, List<ObjectId> ids, int n, int threads)
            throws InterruptedException {
        List<Thread> running = new ArrayList<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            List<ObjectId> share = ids.subList(ids.size() * t / threads, ids.size() * (t + 1) / threads);
            int count = n * (t + 1) / threads - n * t / threads;
            int seed = t;
            Thread thread = new Thread(() -> {
                try {
                    change(coll, share, count, new Families(99 + seed));
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "bench-changes-" + t);
            running.add(thread);
            thread.start();
        }
        for (Thread t : running) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** {@code n} changes in turn: insert a new family, replaceOne and deleteOne on distinct existing ones. */
    private static void change(MongoCollection<Document> coll, List<ObjectId> ids, int n, Families gen) {
        int next = 0;
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> coll.insertOne(gen.next());
                case 1 -> {
                    ObjectId id = ids.get(next++ % ids.size());
                    coll.replaceOne(Filters.eq("_id", id), gen.next().append("_id", id));
                }
                default -> coll.deleteOne(Filters.eq("_id", ids.get(next++ % ids.size())));
            }
        }
    }

}
