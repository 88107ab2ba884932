package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every aggregate and getMore reply of a change stream carries cursor.postBatchResumeToken: the
 * token of the last event returned, or a high-water mark that moves on with the oplog (no-op
 * entries and writes the stream does not show included).
 * Sources (notes §2.2, §10): src/mongo/db/pipeline/plan_executor_pipeline.cpp
 * _performChangeStreamsAccounting ("We can set _postBatchResumeToken to a new high-water-mark token
 * at the current clusterTime"); resume_token.cpp (a high-water mark has only clusterTime, version
 * and tokenType 0; v2 writes a null UUID, v1 none); manual https://www.mongodb.com/docs/v7.0/changeStreams/
 * (example {"postBatchResumeToken": {"_data": "8263515EAC000000022B0429296E1404"}, "id", "ns"});
 * document_source_change_stream.cpp getStartTimeForNewStream ("We always start one tick beyond the
 * most recent operation"); the periodic no-op writer (periodicNoopIntervalSecs).
 */
class PostBatchResumeTokenTest {

    private static BsonDocument aggregate(Server s, String coll) {
        return s.runRaw("t", BsonDocument.parse("{aggregate: '" + coll + "', pipeline: [{$changeStream: {}}], cursor: {}}"))
                .getDocument("cursor");
    }

    private static BsonDocument getMore(Server s, BsonDocument cursor, String coll) {
        return s.runRaw("t", new BsonDocument("getMore", new BsonInt64(cursor.getInt64("id").getValue()))
                .append("collection", new BsonString(coll)).append("maxTimeMS", new BsonInt32(100))).getDocument("cursor");
    }

    private static String pbrt(BsonDocument cursor) {
        return cursor.getDocument("postBatchResumeToken").getString("_data").getValue();
    }

    private static String highWaterMark(BsonTimestamp ts, MongoRelease release) {
        return String.format("82%08X%08X", ts.getTime(), ts.getInc()) + (release == MongoRelease.V6_0 ? "2B0229296E04" : "2B0429296E1404");
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void anIdleStreamsTokenIsAHighWaterMarkThatMovesWithNoopEntries(MongoRelease release) throws Exception {
        try (Server s = Server.start(SandboxOptions.defaults().release(release).noopInterval(Duration.ofMillis(100)))) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            BsonDocument first = aggregate(s, "c");
            assertThat(first.getArray("firstBatch")).isEmpty();
            assertThat(first.getString("ns").getValue()).isEqualTo("t.c");
            String start = pbrt(first);
            assertThat(start).matches("82[0-9A-F]{16}" + (release == MongoRelease.V6_0 ? "2B0229296E04" : "2B0429296E1404"));
            Thread.sleep(500);
            BsonDocument later = getMore(s, first, "c");
            assertThat(later.getArray("nextBatch")).isEmpty();
            assertThat(pbrt(later)).as("no-op entries moved the high-water mark on").isGreaterThan(start);
            BsonTimestamp now = s.operationTime();
            assertThat(pbrt(later)).isLessThanOrEqualTo(highWaterMark(now, release));
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void theTokenIsTheLastEventsOrAHighWaterMarkPastWritesTheStreamDoesNotShow(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            BsonDocument cursor = aggregate(s, "c");
            s.coll("t", "c").insertOne(new Document("_id", 1));
            BsonDocument withEvent = getMore(s, cursor, "c");
            assertThat(withEvent.getArray("nextBatch")).hasSize(1);
            BsonDocument event = withEvent.getArray("nextBatch").get(0).asDocument();
            assertThat(pbrt(withEvent)).as("the last event's token").isEqualTo(Server.token(event));

            s.coll("t", "other").insertOne(new Document("_id", 2));
            BsonTimestamp other = s.operationTime();
            BsonDocument past = getMore(s, cursor, "c");
            assertThat(past.getArray("nextBatch")).isEmpty();
            assertThat(pbrt(past)).as("a high-water mark at the write to the other collection")
                    .isEqualTo(highWaterMark(other, release));
            assertThat(pbrt(past)).isGreaterThan(Server.token(event));
        }
    }

    /** A new stream starts one tick after the newest entry: the newest write is not in it. */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aNewStreamStartsOneTickAfterTheNewestEntry(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            BsonTimestamp newest = s.operationTime();
            BsonDocument cursor = aggregate(s, "c");
            assertThat(pbrt(cursor)).isEqualTo(highWaterMark(new BsonTimestamp(newest.getTime(), newest.getInc() + 1), release));
        }
    }

    /** Database and deployment streams are cursors on <db>.$cmd.aggregate (mongo docs/change_streams.md). */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void wholeDatabaseAndDeploymentStreamsNameTheirCursorNamespace(MongoRelease release) {
        try (Server s = Server.start(release)) {
            BsonDocument db = s.runRaw("t", BsonDocument.parse("{aggregate: 1, pipeline: [{$changeStream: {}}], cursor: {}}"));
            BsonDocument cluster = s.runRaw("admin", BsonDocument.parse(
                    "{aggregate: 1, pipeline: [{$changeStream: {allChangesForCluster: true}}], cursor: {}}"));
            assertThat(db.getDocument("cursor").getString("ns").getValue()).isEqualTo("t.$cmd.aggregate");
            assertThat(cluster.getDocument("cursor").getString("ns").getValue()).isEqualTo("admin.$cmd.aggregate");
            assertThat(db.getDocument("cursor").containsKey("postBatchResumeToken")).isTrue();
            assertThat(cluster.getDocument("cursor").containsKey("postBatchResumeToken")).isTrue();
        }
    }
}
