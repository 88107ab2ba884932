package dev.rewind.sandbox;

import static com.mongodb.client.model.Filters.eq;
import static dev.rewind.sandbox.Events.assertUpdate;
import static dev.rewind.sandbox.Events.find;
import static dev.rewind.sandbox.Events.json;
import static dev.rewind.sandbox.Events.next;
import static dev.rewind.sandbox.Events.watch;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import com.mongodb.client.model.changestream.OperationType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Update, replace and delete events have MongoDB's documented shape, with exact images. */
class UpdateEventShapeTest {
    @TempDir
    Path dir;

    private static Document sample(int id) {
        return new Document("_id", id).append("a", 1)
            .append("n", new Document("x", 1).append("y", new Document("z", 1)))
            .append("arr", List.of(1, 2, 3)).append("tags", List.of("a"))
            .append("num", 10).append("s", "str").append("old", true);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "h2"})
    void everyUpdateOperatorGivesAnExactUpdateEvent(String backend) {
        Map<String, Bson> updates = new LinkedHashMap<>();
        updates.put("$set and $unset", Updates.combine(Updates.set("a", 2), Updates.unset("old"), Updates.unset("missing")));
        updates.put("$set nested paths", Updates.combine(Updates.set("n.y.z", 2), Updates.set("n.w", "new")));
        updates.put("$unset nested path", Updates.unset("n.x"));
        updates.put("$set a new sub-document", Updates.set("p.q", 1));
        updates.put("$set a whole sub-document", Updates.set("n", new Document("k", 1)));
        updates.put("$inc", Updates.combine(Updates.inc("num", 5), Updates.inc("count", 1L)));
        updates.put("$push", Updates.push("arr", 4));
        updates.put("$pull", Updates.pull("arr", 2));
        updates.put("$rename", Updates.rename("s", "s2"));
        updates.put("$addToSet", Updates.addToSet("tags", "b"));
        updates.put("$pop last", Updates.popLast("arr"));
        updates.put("$pop first", Updates.popFirst("arr"));
        updates.put("$mul", Updates.mul("num", 2));
        updates.put("$mul to a double", Updates.mul("num", 1.5));
        updates.put("$min", Updates.min("num", 1));
        updates.put("$max", Updates.max("num", 100));
        updates.put("$set a long and a list of documents",
            Updates.combine(Updates.set("big", 1L << 40), Updates.set("list", List.of(new Document("k", 1)))));
        updates.put("$unset several", Updates.combine(Updates.unset("a"), Updates.unset("tags")));
        try (Sandbox sandbox = Events.start(backend, dir); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> coll = client.getDatabase("t").getCollection("c");
            coll.insertOne(sample(1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream =
                     watch(coll, FullDocument.WHEN_AVAILABLE, FullDocumentBeforeChange.WHEN_AVAILABLE)) {
                for (Map.Entry<String, Bson> update : updates.entrySet()) {
                    BsonDocument before = find(coll, 1);
                    assertThat(coll.updateOne(eq("_id", 1), update.getValue()).getModifiedCount())
                        .as(update.getKey()).isEqualTo(1);
                    BsonDocument after = find(coll, 1);
                    RawBsonDocument event = next(stream);
                    assertUpdate(event, before, after);
                    assertThat(Events.decoded(event).getOperationType()).isEqualTo(OperationType.UPDATE);
                    if (update.getKey().equals("$set nested paths")) {
                        assertThat(json(event.getDocument("updateDescription")))
                            .isEqualTo("{\"updatedFields\": {\"n.y.z\": {\"$numberInt\": \"2\"}, \"n.w\": \"new\"}, "
                                + "\"removedFields\": [], \"truncatedArrays\": []}");
                    }
                }
                // A write that changes nothing gives no event, as on MongoDB.
                assertThat(coll.updateOne(eq("_id", 1), Updates.max("num", 0)).getModifiedCount()).isZero();
                BsonDocument before = find(coll, 1);
                coll.updateOne(eq("_id", 1), Updates.set("last", true));
                assertUpdate(next(stream), before, find(coll, 1));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "h2"})
    void updateManyUpsertReplaceAndDeletesGiveExactEvents(String backend) {
        try (Sandbox sandbox = Events.start(backend, dir); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> coll = client.getDatabase("t").getCollection("c");
            for (int id = 10; id < 15; id++) {
                coll.insertOne(new Document("_id", id).append("g", 1).append("v", id));
            }
            coll.insertOne(sample(1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream =
                     watch(coll, FullDocument.WHEN_AVAILABLE, FullDocumentBeforeChange.REQUIRED)) {
                // updateMany: one event per document, each with its own images.
                Map<Integer, BsonDocument> before = states(coll, 10, 15);
                coll.updateMany(eq("g", 1), Updates.combine(Updates.inc("v", 1), Updates.set("h", true)));
                Map<Integer, BsonDocument> after = states(coll, 10, 15);
                for (int i = 0; i < 5; i++) {
                    RawBsonDocument event = next(stream);
                    int id = event.getDocument("documentKey").getInt32("_id").getValue();
                    assertUpdate(event, before.get(id), after.get(id));
                }

                // An upsert that inserts arrives as an insert event (as on MongoDB); one that
                // matches, as an update.
                coll.updateOne(eq("_id", 99), Updates.combine(Updates.set("q", 1), Updates.setOnInsert("w", 2)),
                    new UpdateOptions().upsert(true));
                RawBsonDocument inserted = next(stream);
                assertThat(inserted.getString("operationType").getValue()).isEqualTo("insert");
                assertThat(json(inserted.getDocument("documentKey"))).isEqualTo(json(new BsonDocument("_id", new BsonInt32(99))));
                assertThat(json(inserted.getDocument("fullDocument"))).isEqualTo(json(find(coll, 99)));
                BsonDocument upsertBefore = find(coll, 99);
                coll.updateOne(eq("_id", 99), Updates.set("q", 2), new UpdateOptions().upsert(true));
                assertUpdate(next(stream), upsertBefore, find(coll, 99));

                // replaceOne, with and without _id in the replacement.
                for (Document replacement : List.of(new Document("b", 3).append("c", List.of(1)),
                                                    new Document("_id", 1).append("z", new Document("k", 1)))) {
                    BsonDocument old = find(coll, 1);
                    coll.replaceOne(eq("_id", 1), replacement);
                    RawBsonDocument replaced = next(stream);
                    assertThat(replaced.getString("operationType").getValue()).isEqualTo("replace");
                    assertThat(json(replaced.getDocument("documentKey"))).isEqualTo("{\"_id\": {\"$numberInt\": \"1\"}}");
                    assertThat(replaced.containsKey("updateDescription")).isFalse();
                    assertThat(json(replaced.get("fullDocument"))).isEqualTo(json(find(coll, 1)));
                    assertThat(json(replaced.get("fullDocumentBeforeChange"))).isEqualTo(json(old));
                    assertThat(Events.decoded(replaced).getOperationType()).isEqualTo(OperationType.REPLACE);
                }

                // deleteOne and deleteMany carry the pre-image when asked.
                BsonDocument gone = find(coll, 1);
                coll.deleteOne(eq("_id", 1));
                RawBsonDocument deleted = next(stream);
                assertThat(deleted.getString("operationType").getValue()).isEqualTo("delete");
                assertThat(json(deleted.getDocument("documentKey"))).isEqualTo("{\"_id\": {\"$numberInt\": \"1\"}}");
                assertThat(json(deleted.get("fullDocumentBeforeChange"))).isEqualTo(json(gone));
                Map<Integer, BsonDocument> last = states(coll, 10, 15);
                coll.deleteMany(eq("g", 1));
                for (int i = 0; i < 5; i++) {
                    RawBsonDocument event = next(stream);
                    assertThat(event.getString("operationType").getValue()).isEqualTo("delete");
                    int id = event.getDocument("documentKey").getInt32("_id").getValue();
                    assertThat(json(event.get("fullDocumentBeforeChange"))).isEqualTo(json(last.get(id)));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "h2"})
    void twoQuickUpdatesEachGetTheirOwnPostImageButUpdateLookupReadsTheCurrentDocument(String backend) {
        try (Sandbox sandbox = Events.start(backend, dir); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> coll = client.getDatabase("t").getCollection("c");
            coll.insertOne(sample(1));
            try (MongoChangeStreamCursor<RawBsonDocument> images =
                     watch(coll, FullDocument.WHEN_AVAILABLE, FullDocumentBeforeChange.WHEN_AVAILABLE);
                 MongoChangeStreamCursor<RawBsonDocument> lookup = watch(coll, FullDocument.UPDATE_LOOKUP, null);
                 MongoChangeStreamCursor<RawBsonDocument> plain = watch(coll, null, null)) {
                BsonDocument state0 = find(coll, 1);
                coll.updateOne(eq("_id", 1), Updates.set("a", 2));
                BsonDocument state1 = find(coll, 1);
                coll.updateOne(eq("_id", 1), Updates.set("a", 3));
                BsonDocument state2 = find(coll, 1);

                RawBsonDocument first = next(images);
                RawBsonDocument second = next(images);
                assertUpdate(first, state0, state1);
                assertUpdate(second, state1, state2);

                // Resuming after the first update replays the second, shaped the same way (this
                // time in the aggregate's first batch rather than a getMore).
                try (var resumed = coll.watch().fullDocument(FullDocument.WHEN_AVAILABLE)
                         .fullDocumentBeforeChange(FullDocumentBeforeChange.WHEN_AVAILABLE)
                         .resumeAfter(first.getDocument("_id")).batchSize(100)
                         .withDocumentClass(RawBsonDocument.class).cursor()) {
                    assertThat(resumed.tryNext().toJson(Events.EXACT)).isEqualTo(second.toJson(Events.EXACT));
                }

                // updateLookup: the document as it is when the event is read (MongoDB's semantics).
                assertThat(json(next(lookup).get("fullDocument"))).isEqualTo(json(state2));
                assertThat(json(next(lookup).get("fullDocument"))).isEqualTo(json(state2));
                coll.updateOne(eq("_id", 1), Updates.set("a", 4));
                coll.deleteOne(eq("_id", 1));
                RawBsonDocument orphan = next(lookup);
                assertThat(orphan.containsKey("fullDocument")).isTrue();
                assertThat(orphan.isNull("fullDocument")).as("looked up after the delete").isTrue();
                assertThat(next(lookup).getString("operationType").getValue()).isEqualTo("delete");

                // Without options: no fullDocument on updates, no pre-images; resume tokens and
                // cluster times are the backend's.
                RawBsonDocument update = next(plain);
                assertThat(update.keySet()).containsExactly("_id", "operationType", "clusterTime", "documentKey",
                    "updateDescription");
                assertThat(update.get("_id")).isEqualTo(first.get("_id"));
                assertThat(update.get("clusterTime")).isEqualTo(first.get("clusterTime"));
                assertThat(plain.getResumeToken()).isEqualTo(update.getDocument("_id"));
                next(plain);
                next(plain);
                assertThat(next(plain).containsKey("fullDocumentBeforeChange")).isFalse();
            }
        }
    }

    private static Map<Integer, BsonDocument> states(MongoCollection<Document> coll, int from, int to) {
        Map<Integer, BsonDocument> states = new HashMap<>();
        for (int id = from; id < to; id++) {
            states.put(id, find(coll, id));
        }
        return states;
    }
}
