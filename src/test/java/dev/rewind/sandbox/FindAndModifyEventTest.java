package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * findAndModify writes are writes like any other: update, replace, remove and upsert each give
 * their event (manual https://www.mongodb.com/docs/v7.0/reference/command/findAndModify/ and the
 * Change Events pages: an update with operators is an 'update', a replacement a 'replace', a
 * removal a 'delete', an upsert that inserts an 'insert').
 */
class FindAndModifyEventTest {
    private static final String PAD = "x".repeat(100);

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void everyFormProducesItsEvent(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                Document updated = coll.findOneAndUpdate(Filters.eq("_id", 1), Updates.set("a", 2),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
                assertThat(updated).isEqualTo(new Document("_id", 1).append("a", 2));
                Document replaced = coll.findOneAndReplace(Filters.eq("_id", 1), new Document("b", 1));
                assertThat(replaced).as("the document before").isEqualTo(new Document("_id", 1).append("a", 2));
                Document upserted = coll.findOneAndUpdate(Filters.eq("_id", 2), Updates.combine(Updates.set("c", 1),
                        Updates.set("pad", PAD)), new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
                assertThat(upserted).isEqualTo(new Document("_id", 2).append("c", 1).append("pad", PAD));
                coll.findOneAndReplace(Filters.eq("_id", 3), new Document("d", 1), new FindOneAndReplaceOptions().upsert(true));
                Document removed = coll.findOneAndDelete(Filters.eq("_id", 1));
                assertThat(removed).isEqualTo(new Document("_id", 1).append("b", 1));
                // (the document is big enough for mongod to log the pipeline's change as a delta, not a replacement)
                coll.findOneAndUpdate(Filters.eq("_id", 2), List.of(BsonDocument.parse("{$set: {e: {$add: ['$c', 1]}}}")));
                assertThat(coll.findOneAndDelete(Filters.eq("_id", 99))).as("nothing to remove").isNull();

                coll.insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(types(events)).containsExactly("update", "replace", "insert", "insert", "delete", "update");
                assertThat(events.get(0).getDocument("updateDescription"))
                        .isEqualTo(BsonDocument.parse("{updatedFields: {a: 2}, removedFields: [], truncatedArrays: []}"));
                assertThat(events.get(1).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, b: 1}"));
                assertThat(events.get(2).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 2, c: 1, pad: '" + PAD + "'}"));
                assertThat(events.get(3).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 3, d: 1}"));
                assertThat(events.get(4).getDocument("documentKey")).isEqualTo(BsonDocument.parse("{_id: 1}"));
                assertThat(events.get(4).containsKey("fullDocument")).isFalse();
                assertThat(events.get(5).getDocument("updateDescription").getDocument("updatedFields"))
                        .isEqualTo(BsonDocument.parse("{e: 2}"));
            }
        }
    }

    /** An update that changes nothing writes nothing: no event (mongod logs no oplog entry for a no-op update). */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aNoOpUpdateProducesNoEvent(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                coll.findOneAndUpdate(Filters.eq("_id", 1), Updates.set("a", 1));
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 1));
                coll.insertOne(new Document("_id", "marker"));
                assertThat(until(stream, insertOf("marker"))).isEmpty();
            }
        }
    }
}
