package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pre- and post-images exist only where the collection has changeStreamPreAndPostImages enabled.
 * Sources (notes §7): mongo docs/change_streams.md (fullDocument 'default' only for insert and
 * replace; 'updateLookup' the current version, null when none; 'whenAvailable' null when no
 * post-image; 'required' "will abort the change stream with a NoMatchingDocument error");
 * document_source_change_stream_add_pre_image.cpp (fullDocumentBeforeChange whenAvailable
 * "Value(BSONNULL)", required: uassert NoMatchingDocument "...pre-image for all update, delete and
 * replace events..."); manual https://www.mongodb.com/docs/v7.0/reference/command/collMod/
 * (changeStreamPreAndPostImages: {enabled: true} by collMod) and db.createCollection().
 */
class ImagesTest {

    private static MongoChangeStreamCursor<RawBsonDocument> watch(MongoCollection<Document> coll, FullDocument full,
                                                                  FullDocumentBeforeChange before) {
        return open(coll.watch().fullDocument(full).fullDocumentBeforeChange(before));
    }

    private static void writeThree(MongoCollection<Document> coll) {
        coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 2));
        coll.replaceOne(Filters.eq("_id", 1), new Document("b", 1));
        coll.deleteOne(Filters.eq("_id", 1));
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void withoutImagesWhenAvailableIsNull(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream =
                         watch(coll, FullDocument.WHEN_AVAILABLE, FullDocumentBeforeChange.WHEN_AVAILABLE)) {
                writeThree(coll);
                List<RawBsonDocument> e = next(stream, 3);
                assertThat(e.get(0).get("fullDocument")).as("no post-image of the update").isEqualTo(BsonNull.VALUE);
                assertThat(e.get(1).getDocument("fullDocument")).as("a replace carries its document")
                        .isEqualTo(BsonDocument.parse("{_id: 1, b: 1}"));
                assertThat(e.get(2)).doesNotContainKey("fullDocument");
                for (RawBsonDocument event : e) {
                    assertThat(event.get("fullDocumentBeforeChange")).as(event.toJson()).isEqualTo(BsonNull.VALUE);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void withoutImagesRequiredFailsTheStream(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> post = watch(coll, FullDocument.REQUIRED, FullDocumentBeforeChange.OFF);
                 MongoChangeStreamCursor<RawBsonDocument> pre = watch(coll, FullDocument.DEFAULT, FullDocumentBeforeChange.REQUIRED)) {
                coll.insertOne(new Document("_id", 2));
                assertThat(next(post).getString("operationType").getValue()).as("an insert needs no image").isEqualTo("insert");
                assertThat(next(pre).getString("operationType").getValue()).isEqualTo("insert");
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 2));
                for (MongoChangeStreamCursor<RawBsonDocument> stream : List.of(post, pre)) {
                    MongoCommandException e = catchThrowableOfType(MongoCommandException.class, () -> next(stream));
                    assertThat(e).isNotNull();
                    assertThat(e.getErrorCode()).isEqualTo(47);
                    assertThat(e.getErrorCodeName()).isEqualTo("NoMatchingDocument");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void updateLookupReturnsTheCurrentDocument(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("a", 1));
            coll.insertOne(new Document("_id", 2).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch().fullDocument(FullDocument.UPDATE_LOOKUP))) {
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 2));
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 3));
                coll.updateOne(Filters.eq("_id", 2), Updates.set("a", 2));
                coll.deleteOne(Filters.eq("_id", 2));
                List<RawBsonDocument> e = next(stream, 4);
                assertThat(e.get(0).getDocument("fullDocument")).as("the document as it is now, not as the update left it")
                        .isEqualTo(BsonDocument.parse("{_id: 1, a: 3}"));
                assertThat(e.get(1).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, a: 3}"));
                assertThat(e.get(2).get("fullDocument")).as("the document is gone").isEqualTo(BsonNull.VALUE);
                assertThat(e.get(3)).doesNotContainKey("fullDocument");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void withImagesEnabledAtCreateEveryImageIsExact(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.db("t").createCollection("c", new CreateCollectionOptions()
                    .changeStreamPreAndPostImagesOptions(new ChangeStreamPreAndPostImagesOptions(true)));
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream =
                         watch(coll, FullDocument.REQUIRED, FullDocumentBeforeChange.REQUIRED)) {
                writeThree(coll);
                List<RawBsonDocument> e = next(stream, 3);
                assertThat(e.get(0).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, a: 2}"));
                assertThat(e.get(0).getDocument("fullDocumentBeforeChange")).isEqualTo(BsonDocument.parse("{_id: 1, a: 1}"));
                assertThat(e.get(1).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, b: 1}"));
                assertThat(e.get(1).getDocument("fullDocumentBeforeChange")).isEqualTo(BsonDocument.parse("{_id: 1, a: 2}"));
                assertThat(e.get(2)).doesNotContainKey("fullDocument");
                assertThat(e.get(2).getDocument("fullDocumentBeforeChange")).isEqualTo(BsonDocument.parse("{_id: 1, b: 1}"));
                assertThat(e.get(0).keySet()).as("fullDocumentBeforeChange comes last").last().isEqualTo("fullDocumentBeforeChange");
            }
        }
    }

    /** Images exist for the writes made while the option is on: before collMod none, after it exact ones. */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void collModTurnsImagesOnForLaterWrites(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream =
                         watch(coll, FullDocument.WHEN_AVAILABLE, FullDocumentBeforeChange.WHEN_AVAILABLE)) {
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 2));
                s.run("t", "{collMod: 'c', changeStreamPreAndPostImages: {enabled: true}}");
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 3));
                s.run("t", "{collMod: 'c', changeStreamPreAndPostImages: {enabled: false}}");
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 4));
                List<RawBsonDocument> e = next(stream, 3);
                assertThat(e.get(0).get("fullDocument")).isEqualTo(BsonNull.VALUE);
                assertThat(e.get(0).get("fullDocumentBeforeChange")).isEqualTo(BsonNull.VALUE);
                assertThat(e.get(1).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, a: 3}"));
                assertThat(e.get(1).getDocument("fullDocumentBeforeChange")).isEqualTo(BsonDocument.parse("{_id: 1, a: 2}"));
                assertThat(e.get(2).get("fullDocument")).isEqualTo(BsonNull.VALUE);
                assertThat(e.get(2).get("fullDocumentBeforeChange")).isEqualTo(BsonNull.VALUE);
            }
        }
    }

    /** A transaction's writes on a collection with images have them too (pre-images are written per applyOps op). */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void transactionsKeepImages(MongoRelease release) {
        try (Server s = Server.start(release); var session = s.client.startSession()) {
            s.db("t").createCollection("c", new CreateCollectionOptions()
                    .changeStreamPreAndPostImagesOptions(new ChangeStreamPreAndPostImagesOptions(true)));
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream =
                         watch(coll, FullDocument.REQUIRED, FullDocumentBeforeChange.REQUIRED)) {
                session.withTransaction(() -> {
                    coll.updateOne(session, Filters.eq("_id", 1), Updates.set("a", 2));
                    coll.updateOne(session, Filters.eq("_id", 1), Updates.set("a", 3));
                    return null;
                });
                List<RawBsonDocument> e = next(stream, 2);
                assertThat(e.get(0).getDocument("fullDocumentBeforeChange")).isEqualTo(BsonDocument.parse("{_id: 1, a: 1}"));
                assertThat(e.get(0).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, a: 2}"));
                assertThat(e.get(1).getDocument("fullDocumentBeforeChange")).isEqualTo(BsonDocument.parse("{_id: 1, a: 2}"));
                assertThat(e.get(1).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, a: 3}"));
            }
        }
    }
}
