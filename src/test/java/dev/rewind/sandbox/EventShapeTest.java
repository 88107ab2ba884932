package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fields of each event type, in mongod's order.
 * Sources (notes §1.0, §1.1): src/mongo/db/pipeline/change_stream_event_transform.cpp
 * (ChangeStreamDefaultEventTransformation::applyTransformation adds to, txnNumber/lsid, _id,
 * operationType, clusterTime, collectionUUID only "if (_changeStreamSpec.getShowExpandedEvents())",
 * wallTime, fullDocument, ns, documentKey, operationDescription, updateDescription); manual
 * https://www.mongodb.com/docs/v7.0/reference/change-events/ (insert, update, replace, delete, drop
 * pages: "wallTime ... New in version 6.0"; "The collectionUUID field is only included if the change
 * stream is created with the showExpandedEvents field set to true"); delete has no fullDocument
 * (the kDelete case never sets it).
 */
class EventShapeTest {

    private static List<String> keys(BsonDocument e) {
        return new ArrayList<>(e.keySet());
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void crudEventsHaveTheDocumentedFieldsInOrder(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                coll.insertOne(new Document("_id", 1).append("a", 1));
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 2));
                coll.replaceOne(Filters.eq("_id", 1), new Document("b", 1));
                coll.deleteOne(Filters.eq("_id", 1));
                List<RawBsonDocument> e = next(stream, 4);
                assertThat(keys(e.get(0))).containsExactly("_id", "operationType", "clusterTime", "wallTime",
                        "fullDocument", "ns", "documentKey");
                assertThat(keys(e.get(1))).containsExactly("_id", "operationType", "clusterTime", "wallTime",
                        "ns", "documentKey", "updateDescription");
                assertThat(keys(e.get(2))).containsExactly("_id", "operationType", "clusterTime", "wallTime",
                        "fullDocument", "ns", "documentKey");
                assertThat(keys(e.get(3))).as("a delete has no fullDocument field at all")
                        .containsExactly("_id", "operationType", "clusterTime", "wallTime", "ns", "documentKey");
                for (RawBsonDocument event : e) {
                    assertThat(event.getDocument("ns")).isEqualTo(BsonDocument.parse("{db: 't', coll: 'c'}"));
                    assertThat(event.get("wallTime").isDateTime()).isTrue();
                    assertThat(event.isTimestamp("clusterTime")).isTrue();
                    assertThat(event.getDocument("documentKey")).isEqualTo(BsonDocument.parse("{_id: 1}"));
                }
                assertThat(e.get(0).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, a: 1}"));
                assertThat(e.get(2).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, b: 1}"));
                assertThat(e.get(1).getDocument("updateDescription")).isEqualTo(
                        BsonDocument.parse("{updatedFields: {a: 2}, removedFields: [], truncatedArrays: []}"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void showExpandedEventsAddsTheCollectionUuid(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 0));
            BsonBinary uuid = s.runRaw("t", BsonDocument.parse("{listCollections: 1, filter: {name: 'c'}}"))
                    .getDocument("cursor").getArray("firstBatch").get(0).asDocument().getDocument("info").getBinary("uuid");
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch().showExpandedEvents(true))) {
                coll.insertOne(new Document("_id", 1));
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 2));
                coll.deleteOne(Filters.eq("_id", 1));
                coll.drop();
                List<RawBsonDocument> e = next(stream, 5);
                assertThat(keys(e.get(0))).containsExactly("_id", "operationType", "clusterTime", "collectionUUID",
                        "wallTime", "fullDocument", "ns", "documentKey");
                assertThat(keys(e.get(1))).containsExactly("_id", "operationType", "clusterTime", "collectionUUID",
                        "wallTime", "ns", "documentKey", "updateDescription");
                assertThat(keys(e.get(2))).containsExactly("_id", "operationType", "clusterTime", "collectionUUID",
                        "wallTime", "ns", "documentKey");
                assertThat(keys(e.get(3))).as("drop").containsExactly("_id", "operationType", "clusterTime",
                        "collectionUUID", "wallTime", "ns");
                assertThat(keys(e.get(4))).as("invalidate has no collectionUUID")
                        .containsExactly("_id", "operationType", "clusterTime", "wallTime");
                for (int i = 0; i < 4; i++) {
                    assertThat(e.get(i).getBinary("collectionUUID")).isEqualTo(uuid);
                    assertThat(e.get(i).getBinary("collectionUUID").getType()).isEqualTo((byte) 4);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void ddlEventsWithoutExpandedEvents(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            s.coll("t", "d").insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch())) {
                s.coll("t", "c").renameCollection(new com.mongodb.MongoNamespace("t", "c2"));
                s.coll("t", "d").drop();
                s.db("t").drop();
                List<RawBsonDocument> e = next(stream, 5);
                assertThat(Server.types(e)).containsExactly("rename", "drop", "drop", "dropDatabase", "invalidate");
                assertThat(keys(e.get(0))).as("rename: 'to' comes before _id")
                        .containsExactly("to", "_id", "operationType", "clusterTime", "wallTime", "ns");
                assertThat(e.get(0).getDocument("to")).isEqualTo(BsonDocument.parse("{db: 't', coll: 'c2'}"));
                assertThat(e.get(0).getDocument("ns")).isEqualTo(BsonDocument.parse("{db: 't', coll: 'c'}"));
                assertThat(keys(e.get(1))).containsExactly("_id", "operationType", "clusterTime", "wallTime", "ns");
                assertThat(keys(e.get(3))).containsExactly("_id", "operationType", "clusterTime", "wallTime", "ns");
                assertThat(e.get(3).getDocument("ns")).as("dropDatabase's ns has no coll")
                        .isEqualTo(BsonDocument.parse("{db: 't'}"));
                assertThat(keys(e.get(4))).containsExactly("_id", "operationType", "clusterTime", "wallTime");
            }
        }
    }

    /** A rejected duplicate insert changes nothing, so it produces no event. */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aDuplicateKeyInsertProducesNoEvent(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                MongoException e = org.assertj.core.api.Assertions.catchThrowableOfType(MongoException.class,
                        () -> coll.insertOne(new Document("_id", 1).append("again", true)));
                assertThat(e.getCode()).isEqualTo(11000);
                var unordered = org.assertj.core.api.Assertions.catchThrowableOfType(com.mongodb.MongoBulkWriteException.class,
                        () -> coll.insertMany(List.of(new Document("_id", 2), new Document("_id", 1), new Document("_id", 3)),
                                new com.mongodb.client.model.InsertManyOptions().ordered(false)));
                assertThat(unordered.getWriteErrors()).hasSize(1);
                coll.insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(events.stream().map(x -> x.getDocument("documentKey").get("_id").asInt32().getValue()).toList())
                        .containsExactly(2, 3);
            }
        }
    }
}
