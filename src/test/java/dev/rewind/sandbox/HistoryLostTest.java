package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A start point the oplog no longer holds fails loudly, never silently skips events.
 * Sources (notes §2.4): document_source_change_stream_check_resumability.cpp
 * (uasserted(ErrorCodes::ChangeStreamHistoryLost, "Resume of change stream was not possible, as the
 * resume point may no longer be in the oplog.")); error_codes.yml (286, category
 * NonResumableChangeStreamError, which the server adds as an error label); a stream that falls
 * behind the capped oplog fails its getMore with CappedPositionLost (136) "CollectionScan died due
 * to position in capped collection being deleted", on which drivers do not resume
 * (mongodb/specifications change-streams prose test 5: "will not attempt to resume after
 * encountering error code ... 136 (CappedPositionLost)").
 */
class HistoryLostTest {
    private static final String PAD = "x".repeat(500);

    private static Server small(MongoRelease release) {
        return Server.start(SandboxOptions.defaults().release(release).oplogBytes(20_000));
    }

    private static void overflow(MongoCollection<Document> coll, int from) {
        for (int i = from; i < from + 100; i++) {
            coll.insertOne(new Document("_id", i).append("pad", PAD));
        }
    }

    private static void assertHistoryLost(MongoException e) {
        assertThat(e).isNotNull();
        assertThat(e.getCode()).isEqualTo(286);
        assertThat(((MongoCommandException) e).getErrorCodeName()).isEqualTo("ChangeStreamHistoryLost");
        assertThat(e.hasErrorLabel("NonResumableChangeStreamError")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void startingBeforeTheOldestEntryFails(MongoRelease release) {
        try (Server s = small(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", -1));
            BsonTimestamp early = s.operationTime();
            BsonDocument token;
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                coll.insertOne(new Document("_id", -2));
                token = next(stream).getDocument("_id");
            }
            overflow(coll, 0);
            assertHistoryLost(catchThrowableOfType(MongoException.class,
                    () -> open(coll.watch().startAtOperationTime(early)).tryNext()));
            assertHistoryLost(catchThrowableOfType(MongoException.class,
                    () -> open(coll.watch().resumeAfter(token)).tryNext()));
            assertHistoryLost(catchThrowableOfType(MongoException.class,
                    () -> open(coll.watch().startAfter(token)).tryNext()));
            // a start point still in the oplog works (inclusive: the write at that time comes first)
            BsonTimestamp recent = s.operationTime();
            coll.insertOne(new Document("_id", "after"));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch().startAtOperationTime(recent))) {
                assertThat(next(stream).getDocument("documentKey").getInt32("_id").getValue()).isEqualTo(99);
                assertThat(next(stream).getDocument("documentKey").getString("_id").getValue()).isEqualTo("after");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aStreamThatFallsBehindTheOplogFails(MongoRelease release) {
        try (Server s = small(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", -1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch().batchSize(1))) {
                coll.insertOne(new Document("_id", -2));
                assertThat(next(stream)).isNotNull();
                overflow(coll, 0);
                MongoException e = catchThrowableOfType(MongoException.class, () -> next(stream));
                assertThat(e).as("the events it missed are gone: the stream must fail, not skip them").isNotNull();
                assertThat(e.getCode()).isEqualTo(136);
                assertThat(((MongoCommandException) e).getErrorCodeName()).isEqualTo("CappedPositionLost");
            }
        }
    }
}
