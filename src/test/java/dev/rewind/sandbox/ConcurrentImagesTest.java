package dev.rewind.sandbox;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static dev.rewind.sandbox.Events.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several threads update and replace the same few documents at once, on a collection with
 * changeStreamPreAndPostImages enabled; replaying the events per document must give, at every
 * step, exactly the images the events carry (each event's pre-image is the previous event's
 * post-image, and its updateDescription applied to the pre-image gives its post-image, as the
 * manual's update event page describes updateDescription), and at the end exactly the stored
 * documents: concurrent writers never mix up images or reorder a document's events.
 */
class ConcurrentImagesTest {
    private static final int THREADS = 4;
    private static final int DOCUMENTS = 6;
    private static final int WRITES_PER_THREAD = 150;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "h2"})
    void everyImageIsExactUnderConcurrentWriters(String backend) throws Exception {
        try (Sandbox sandbox = Events.start(backend, dir); MongoClient client = MongoClients.create(sandbox.uri())) {
            client.getDatabase("t").createCollection("c", new com.mongodb.client.model.CreateCollectionOptions()
                    .changeStreamPreAndPostImagesOptions(new com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions(true)));
            MongoCollection<Document> coll = client.getDatabase("t").getCollection("c");
            Map<Integer, BsonDocument> state = new HashMap<>();
            for (int id = 0; id < DOCUMENTS; id++) {
                coll.insertOne(new Document("_id", id).append("n", 0).append("list", new ArrayList<>()));
                state.put(id, Events.find(coll, id));
            }
            try (MongoChangeStreamCursor<RawBsonDocument> stream =
                     Events.watch(coll, FullDocument.REQUIRED, FullDocumentBeforeChange.REQUIRED)) {
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int seed = t;
                    writers.add(pool.submit(() -> write(coll, new Random(seed))));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
                pool.shutdown();

                // All writes are done: the stream holds every event; the first empty poll ends it.
                int events = 0;
                long deadline = System.nanoTime() + 10_000_000_000L;
                for (RawBsonDocument event = stream.tryNext(); event != null || (events == 0 && System.nanoTime() < deadline);
                     event = stream.tryNext()) {
                    if (event != null) {
                        events++;
                        replay(state, event);
                    }
                }
                assertThat(events).isGreaterThan(THREADS * WRITES_PER_THREAD / 2);
            }
            for (int id = 0; id < DOCUMENTS; id++) {
                assertThat(json(state.get(id))).as("document %d after the replay", id).isEqualTo(json(Events.find(coll, id)));
            }
        }
    }

    private static void write(MongoCollection<Document> coll, Random random) {
        for (int i = 0; i < WRITES_PER_THREAD; i++) {
            int id = random.nextInt(DOCUMENTS);
            switch (random.nextInt(8)) {
                case 0 -> coll.updateOne(eq("_id", id), Updates.inc("n", 1));
                case 1 -> coll.updateOne(eq("_id", id), Updates.set("f" + random.nextInt(5), random.nextInt(100)));
                case 2 -> coll.updateOne(eq("_id", id), Updates.unset("f" + random.nextInt(5)));
                case 3 -> coll.updateOne(eq("_id", id), Updates.push("list", random.nextInt(3)));
                case 4 -> coll.updateOne(eq("_id", id), Updates.pull("list", random.nextInt(3)));
                case 5 -> coll.updateOne(eq("_id", id), Updates.set("sub.k" + random.nextInt(3), i));
                case 6 -> coll.replaceOne(eq("_id", id), new Document("n", i).append("list", List.of(i)));
                default -> coll.updateMany(in("_id", id, (id + 1) % DOCUMENTS), Updates.inc("m", 1));
            }
        }
    }

    /** Checks one event against the replayed state of its document, then moves the state on. */
    private static void replay(Map<Integer, BsonDocument> state, RawBsonDocument event) {
        int id = event.getDocument("documentKey").getInt32("_id").getValue();
        BsonDocument before = state.get(id);
        assertThat(json(event.get("fullDocumentBeforeChange"))).as("pre-image of %s", event).isEqualTo(json(before));
        String type = event.getString("operationType").getValue();
        BsonDocument after = event.getDocument("fullDocument");
        if (type.equals("update")) {
            assertThat(json(Events.apply(before, event.getDocument("updateDescription"))))
                .as("updateDescription of %s", event).isEqualTo(json(after));
        } else {
            assertThat(type).isEqualTo("replace");
        }
        state.put(id, after);
    }
}
