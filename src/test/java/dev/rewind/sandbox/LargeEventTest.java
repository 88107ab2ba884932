package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.FullDocument;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Events over 16 MB.
 * Sources (notes §6): manual https://www.mongodb.com/docs/v7.0/reference/operator/aggregation/changeStreamSplitLargeEvent/
 * ("If a change stream has large events that exceed 16 MB, a BSONObjectTooLarge exception is
 * returned"; "splitEvent: {fragment: <int>, of: <int>} ... The fragment index, starting at 1";
 * "New in MongoDB 7.0 (and 6.0.9)" — the 6.0 emulated here is 6.0.8);
 * jstests/noPassthrough/large_events_failed_metric.js (an update whose updateLookup makes the event
 * ~2x the document fails with ErrorCodes.BSONObjectTooLarge, 10334);
 * change_stream_split_event_helpers.cpp (kBSONObjMaxChangeEventSize = BSONObjMaxInternalSize - 8 KiB;
 * each fragment has its own resume token; resuming from fragment k gives fragment k+1).
 */
class LargeEventTest {
    private static final int MAX_FRAGMENT = 16 * 1024 * 1024 + 16 * 1024 - 8 * 1024;
    private static final String BIG_A = "a".repeat(8_900_000);
    private static final String BIG_B = "b".repeat(8_900_000);

    /** An update whose event, with the looked-up document, is about 17.8 MB. */
    private static void bigUpdate(MongoCollection<Document> coll) {
        coll.updateOne(Filters.eq("_id", 1), Updates.set("big", BIG_B));
    }

    private static MongoCollection<Document> prepare(Server s) {
        MongoCollection<Document> coll = s.coll("t", "c");
        coll.insertOne(new Document("_id", 1).append("big", BIG_A));
        return coll;
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void anEventOver16MegabytesFailsTheStream(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = prepare(s);
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch().fullDocument(FullDocument.UPDATE_LOOKUP))) {
                bigUpdate(coll);
                MongoException e = catchThrowableOfType(MongoException.class, () -> next(stream));
                assertThat(e).isNotNull();
                assertThat(e.getCode()).isEqualTo(10334);
                assertThat(((MongoCommandException) e).getErrorCodeName()).isEqualTo("BSONObjectTooLarge");
            }
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                coll.updateOne(Filters.eq("_id", 1), Updates.set("big", BIG_A));
                assertThat(next(stream).getString("operationType").getValue())
                        .as("the same kind of update without the looked-up document fits").isEqualTo("update");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MongoRelease.class, names = {"V7_0", "V8_0"})
    void splitLargeEventGivesFragments(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = prepare(s);
            List<BsonDocument> split = List.of(BsonDocument.parse("{$changeStreamSplitLargeEvent: {}}"));
            try (MongoChangeStreamCursor<RawBsonDocument> stream =
                         open(coll.watch(split).fullDocument(FullDocument.UPDATE_LOOKUP))) {
                bigUpdate(coll);
                coll.insertOne(new Document("_id", 2));
                List<RawBsonDocument> events = next(stream, 3);
                RawBsonDocument first = events.get(0);
                RawBsonDocument second = events.get(1);
                assertThat(first.getDocument("splitEvent")).isEqualTo(BsonDocument.parse("{fragment: 1, of: 2}"));
                assertThat(second.getDocument("splitEvent")).isEqualTo(BsonDocument.parse("{fragment: 2, of: 2}"));
                assertThat(first.keySet()).as("_id, then splitEvent, then the fragment's fields").startsWith("_id", "splitEvent");
                assertThat(Server.token(first)).isNotEqualTo(Server.token(second)).isLessThan(Server.token(second));
                for (RawBsonDocument f : List.of(first, second)) {
                    assertThat(f.getByteBuffer().remaining()).isLessThanOrEqualTo(MAX_FRAGMENT);
                }
                BsonDocument whole = new BsonDocument();
                for (RawBsonDocument f : List.of(first, second)) {
                    for (String key : f.keySet()) {
                        if (!key.equals("_id") && !key.equals("splitEvent")) {
                            assertThat(whole.containsKey(key)).as("field %s in one fragment only", key).isFalse();
                            whole.put(key, f.get(key));
                        }
                    }
                }
                assertThat(whole.getString("operationType").getValue()).isEqualTo("update");
                assertThat(whole.getDocument("fullDocument").getString("big").getValue()).isEqualTo(BIG_B);
                assertThat(whole.getDocument("updateDescription").getDocument("updatedFields").getString("big").getValue())
                        .isEqualTo(BIG_B);
                assertThat(events.get(2).getString("operationType").getValue()).isEqualTo("insert");
                assertThat(events.get(2)).as("a small event is not split").doesNotContainKey("splitEvent");

                try (MongoChangeStreamCursor<RawBsonDocument> resumed = open(coll.watch(split)
                        .fullDocument(FullDocument.UPDATE_LOOKUP).resumeAfter(first.getDocument("_id")))) {
                    RawBsonDocument rest = next(resumed);
                    assertThat(Server.token(rest)).as("resuming from fragment 1 gives fragment 2").isEqualTo(Server.token(second));
                    assertThat(Server.token(next(resumed))).isEqualTo(Server.token(events.get(2)));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MongoRelease.class, names = "V6_0")
    void on60TheSplitStageIsUnknown(MongoRelease release) {
        try (Server s = Server.start(release)) {
            prepare(s);
            MongoCommandException e = s.fails("t",
                    "{aggregate: 'c', pipeline: [{$changeStream: {}}, {$changeStreamSplitLargeEvent: {}}], cursor: {}}");
            assertThat(e.getErrorCode()).isEqualTo(40324);
            assertThat(e.getErrorMessage()).contains("$changeStreamSplitLargeEvent");
        }
    }

    @ParameterizedTest
    @EnumSource(value = MongoRelease.class, names = {"V7_0", "V8_0"})
    void theSplitStageMustBeLast(MongoRelease release) {
        try (Server s = Server.start(release)) {
            prepare(s);
            MongoCommandException e = s.fails("t", "{aggregate: 'c', pipeline: [{$changeStream: {}},"
                    + " {$changeStreamSplitLargeEvent: {}}, {$match: {}}], cursor: {}}");
            assertThat(e.getErrorCode()).isEqualTo(7182802);
        }
    }
}
