package dev.rewind.sandbox;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import java.nio.file.Path;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images are kept in memory for the most recent writes; older update events fail like mongod's lost history. */
class ImageRetentionTest {
    @TempDir
    Path dir;

    private static de.bwaldvogel.mongo.bson.Document oplogUpdate(long ts, int id) {
        return new de.bwaldvogel.mongo.bson.Document("ts", new BsonTimestamp(ts)).append("op", "u").append("ns", "t.c")
            .append("o", new de.bwaldvogel.mongo.bson.Document("$set", new de.bwaldvogel.mongo.bson.Document("a", 1)))
            .append("o2", new de.bwaldvogel.mongo.bson.Document("_id", id));
    }

    @Test
    void theOldestImagesAreDroppedPastTheByteBudget() {
        ChangeImages images = new ChangeImages(1_000);
        for (int i = 1; i <= 20; i++) {
            de.bwaldvogel.mongo.bson.Document before = new de.bwaldvogel.mongo.bson.Document("_id", i).append("a", 0);
            de.bwaldvogel.mongo.bson.Document after = new de.bwaldvogel.mongo.bson.Document("_id", i).append("a", 1);
            images.updated("t.c", before, after);
            images.oplogEntryWritten(oplogUpdate(i, i));
        }
        assertThat(images.get(new BsonTimestamp(1))).isNull();
        ChangeImages.Images last = images.get(new BsonTimestamp(20));
        assertThat(last.kind()).isEqualTo(ChangeImages.Kind.UPDATE);
        assertThat(last.afterDocument()).isEqualTo(new de.bwaldvogel.mongo.bson.Document("_id", 20).append("a", 1));
    }

    @Test
    void imagesNoOplogEntryClaimsAreDiscarded() {
        ChangeImages images = new ChangeImages(1_000);
        images.updated("t.c", new de.bwaldvogel.mongo.bson.Document("_id", 1), new de.bwaldvogel.mongo.bson.Document("_id", 1).append("a", 1));
        images.discardPending();
        images.oplogEntryWritten(oplogUpdate(5, 1));
        assertThat(images.get(new BsonTimestamp(5))).isNull();
    }

    @Test
    void anUpdateWrittenBeforeARestartEndsTheStreamWithChangeStreamHistoryLost() {
        try (Sandbox sandbox = Sandbox.start("127.0.0.1", 0, dir); MongoClient client = MongoClients.create(sandbox.uri())) {
            var coll = client.getDatabase("t").getCollection("c");
            coll.insertOne(new Document("_id", 1).append("a", 1));
            coll.updateOne(eq("_id", 1), Updates.set("a", 2));
            coll.deleteOne(eq("_id", 1));
        }
        try (Sandbox sandbox = Sandbox.start("127.0.0.1", 0, dir); MongoClient client = MongoClients.create(sandbox.uri())) {
            var coll = client.getDatabase("t").getCollection("c");
            @SuppressWarnings("unchecked")
            MongoChangeStreamCursor<RawBsonDocument> stream = (MongoChangeStreamCursor<RawBsonDocument>) (Object)
                coll.watch().startAtOperationTime(new org.bson.BsonTimestamp(0)).batchSize(1)
                    .withDocumentClass(RawBsonDocument.class).cursor();
            assertThat(Events.next(stream).getString("operationType").getValue()).isEqualTo("insert");
            assertThatThrownBy(() -> Events.next(stream)).isInstanceOfSatisfying(MongoCommandException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(UpdateEventShaper.CHANGE_STREAM_HISTORY_LOST));

            // A delete needs its image only when pre-images are asked for: whenAvailable gives null, required fails.
            var deletes = java.util.List.of(com.mongodb.client.model.Aggregates.match(
                com.mongodb.client.model.Filters.eq("operationType", "delete")));
            try (var whenAvailable = coll.watch(deletes).fullDocumentBeforeChange(FullDocumentBeforeChange.WHEN_AVAILABLE)
                     .startAtOperationTime(new org.bson.BsonTimestamp(0)).batchSize(100)
                     .withDocumentClass(RawBsonDocument.class).cursor()) {
                RawBsonDocument delete = whenAvailable.tryNext();
                assertThat(delete.getString("operationType").getValue()).isEqualTo("delete");
                assertThat(delete.isNull("fullDocumentBeforeChange")).isTrue();
            }
            assertThatThrownBy(() -> coll.watch(deletes).fullDocumentBeforeChange(FullDocumentBeforeChange.REQUIRED)
                     .startAtOperationTime(new org.bson.BsonTimestamp(0)).batchSize(100)
                     .withDocumentClass(RawBsonDocument.class).cursor().tryNext())
                .isInstanceOfSatisfying(MongoCommandException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(UpdateEventShaper.NO_MATCHING_DOCUMENT));
        }
    }
}
