package dev.rewind.cli;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.capture.CaptureRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bson.Document;

/**
 * One real capture on the sandbox, shared by the timeline and diff tests (it takes a few seconds):
 * steady inserts into {@code famigo.orders} and {@code famigo.family}; then, between {@link #t1} and
 * {@link #t2}, replaces, {@code $set} updates, deletes and inserts of families and a burst of 300
 * deletes (between {@link #burstFrom} and {@link #burstTo}); then more changes until capture stops.
 * The family collection's state is recorded live at {@code t1}, at {@code t2} and at the end.
 */
final class RecordedHistory {
    private static RecordedHistory shared;

    final Sandbox sandbox;
    final String repo;
    ClusterTime t1;
    ClusterTime t2;
    ClusterTime burstFrom;
    ClusterTime burstTo;
    Map<Object, Document> familiesAtT1;
    Map<Object, Document> familiesAtT2;
    Map<Object, Document> familiesAtEnd;

    private RecordedHistory(Sandbox sandbox, String repo) {
        this.sandbox = sandbox;
        this.repo = repo;
    }

    static synchronized RecordedHistory get() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("rewind-history");
            shared = new RecordedHistory(Sandbox.inMemory(), dir.resolve("repo").toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.sandbox.close();
                delete(dir);
            }));
            shared.record();
        }
        return shared;
    }

    private void record() throws Exception {
        try (MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase db = client.getDatabase("famigo");
            MongoCollection<Document> family = db.getCollection("family");
            MongoCollection<Document> orders = db.getCollection("orders");
            List<Document> initial = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                initial.add(family(i));
            }
            family.insertMany(initial);
            orders.insertOne(new Document("_id", 0).append("total", 1));

            if (CliRun.run("init", "--repo", repo).exitCode() != 0) {
                throw new IllegalStateException("init failed");
            }
            Repository r = Repositories.open(repo);
            CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "famigo.*");

            ClusterClock clock = new ClusterClock(client);
            steady(orders, family, 1000, 15);
            t1 = clock.now();
            familiesAtT1 = state(family);

            for (int i = 10; i < 15; i++) {
                family.replaceOne(Filters.eq("_id", i), new Document("name", "replaced " + i).append("size", i));
            }
            for (int i = 20; i < 25; i++) {
                family.updateOne(Filters.eq("_id", i), Updates.set("size", 99));
            }
            family.updateOne(Filters.eq("_id", 40), Updates.set("size", family(40).getInteger("size")));
            for (int i = 30; i < 35; i++) {
                family.deleteOne(Filters.eq("_id", i));
            }
            for (int i = 2000; i < 2005; i++) {
                family.insertOne(family(i));
            }
            family.insertOne(family(2100));
            family.deleteOne(Filters.eq("_id", 2100));
            burstFrom = clock.now();
            family.deleteMany(Filters.and(Filters.gte("_id", 100), Filters.lt("_id", 400)));
            burstTo = clock.now();
            steady(orders, family, 1500, 5);
            t2 = clock.now();
            familiesAtT2 = state(family);

            steady(orders, family, 3000, 10);
            family.updateOne(Filters.eq("_id", 50), Updates.set("name", "renamed"));
            family.replaceOne(Filters.eq("_id", 51), new Document("name", "replaced 51"));
            family.deleteOne(Filters.eq("_id", 52));
            Thread.sleep(1500);
            capture.close();
            familiesAtEnd = state(family);
        }
    }

    /** A few inserts a second into both collections. */
    private static void steady(MongoCollection<Document> orders, MongoCollection<Document> family, int firstId, int steps)
            throws InterruptedException {
        for (int k = 0; k < steps; k++) {
            orders.insertOne(new Document("_id", firstId + k).append("total", k));
            family.insertOne(family(firstId + k));
            Thread.sleep(100);
        }
    }

    static Document family(int id) {
        return new Document("_id", id).append("name", "family " + id).append("email", "f" + id + "@example.com")
                .append("size", id % 5 + 1);
    }

    static Map<Object, Document> state(MongoCollection<Document> c) {
        Map<Object, Document> out = new LinkedHashMap<>();
        for (Document d : c.find().sort(new Document("_id", 1)).batchSize(1000)) {
            out.put(d.get("_id"), d);
        }
        return out;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: best effort
        }
    }
}
