package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/**
 * {@code $merge} as mongod runs it (manual, "$merge": whenMatched {@code merge} "merges the matching
 * documents (similar to $mergeObjects)", {@code replace}, {@code keepExisting}, {@code fail};
 * whenNotMatched {@code insert}, {@code discard}, {@code fail}; {@code on} other than {@code _id}
 * "must have a unique index"; "If an error occurs ... writes already made are not rolled back"):
 * each result is an ordinary write of the target, so a change stream sees an update (only the
 * fields that changed), a replace or an insert for it.
 */
class MergeStageTest {
    private static void seed(Server s) {
        s.coll("t", "target").insertMany(List.of(new Document("_id", 1).append("a", 1).append("b", 1),
                new Document("_id", 2).append("a", 2)));
        s.coll("t", "source").insertMany(List.of(new Document("_id", 1).append("b", 2).append("c", 3),
                new Document("_id", 3).append("x", 1)));
    }

    private static List<Document> target(Server s) {
        return s.coll("t", "target").find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    @Test
    void theDefaultMergesMatchedDocumentsAndInsertsTheOthersAsUpdateAndInsertEvents() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            seed(s);
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch())) {
                s.run("t", "{aggregate: 'source', pipeline: [{$merge: 'target'}], cursor: {}}");
                List<RawBsonDocument> events = next(stream, 2);
                assertThat(types(events)).containsExactly("update", "insert");
                assertThat(events.get(0).getDocument("updateDescription").getDocument("updatedFields"))
                        .isEqualTo(BsonDocument.parse("{b: 2, c: 3}"));
                assertThat(events.get(1).getDocument("documentKey")).isEqualTo(BsonDocument.parse("{_id: 3}"));
            }
            assertThat(target(s)).containsExactly(Document.parse("{_id: 1, a: 1, b: 2, c: 3}"), Document.parse("{_id: 2, a: 2}"),
                    Document.parse("{_id: 3, x: 1}"));
        }
    }

    @Test
    void replaceDiscardKeepExistingAndFailModes() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            seed(s);
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch())) {
                s.run("t", "{aggregate: 'source', pipeline: [{$merge: {into: 'target', whenMatched: 'replace', whenNotMatched: 'discard'}}],"
                        + " cursor: {}}");
                assertThat(types(next(stream, 1))).containsExactly("replace");
            }
            assertThat(target(s)).containsExactly(Document.parse("{_id: 1, b: 2, c: 3}"), Document.parse("{_id: 2, a: 2}"));

            s.run("t", "{aggregate: 'source', pipeline: [{$set: {x: 9}}, {$merge: {into: 'target', whenMatched: 'keepExisting'}}],"
                    + " cursor: {}}");
            assertThat(target(s)).containsExactly(Document.parse("{_id: 1, b: 2, c: 3}"), Document.parse("{_id: 2, a: 2}"),
                    Document.parse("{_id: 3, x: 9}"));

            s.coll("t", "source").insertOne(new Document("_id", 0).append("new", true));
            var dup = s.fails("t", "{aggregate: 'source', pipeline: [{$sort: {_id: 1}}, {$merge: {into: 'target', whenMatched: 'fail'}}],"
                    + " cursor: {}}");
            assertThat(dup.getErrorCode()).isEqualTo(11000);
            assertThat(s.coll("t", "target").countDocuments(new Document("_id", 0))).as("written before the failure, and kept").isOne();

            var none = s.fails("t", "{aggregate: 'source', pipeline: [{$match: {_id: 0}}, {$set: {_id: 99}},"
                    + " {$merge: {into: 'target', whenNotMatched: 'fail'}}], cursor: {}}");
            assertThat(none.getErrorCode()).isEqualTo(13113);
            assertThat(s.fails("t", "{aggregate: 'source', pipeline: [{$merge: {into: 'target', whenMatched: 'keepExisting',"
                    + " whenNotMatched: 'discard'}}], cursor: {}}").getErrorCode()).isEqualTo(51181);
            assertThat(s.fails("t", "{aggregate: 'source', pipeline: [{$merge: 'target'}, {$match: {}}], cursor: {}}").getErrorCode())
                    .isEqualTo(40601);
        }
    }

    @Test
    void onOtherFieldsNeedsAUniqueIndexOnThem() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            MongoCollection<Document> people = s.coll("t", "people");
            people.insertOne(new Document("_id", 1).append("email", "a@x").append("n", 1));
            s.coll("t", "updates").insertOne(new Document("email", "a@x").append("n", 2));
            String merge = "{aggregate: 'updates', pipeline: [{$project: {_id: 0}}, {$merge: {into: 'people', on: 'email'}}], cursor: {}}";
            assertThat(s.fails("t", merge).getErrorCode()).isEqualTo(51183);
            people.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            s.run("t", merge);
            assertThat(people.find().into(new ArrayList<>())).containsExactly(Document.parse("{_id: 1, email: 'a@x', n: 2}"));
        }
    }
}
