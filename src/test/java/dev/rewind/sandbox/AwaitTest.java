package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A change stream's getMore waits up to maxTimeMS (the driver's maxAwaitTimeMS) for an event and
 * returns as soon as there is one. These are behaviour checks with generous bounds, not speed checks.
 * Sources (notes §10): mongo docs/change_streams.md ("If the response is empty, the change stream
 * will wait for at most maxTimeMS for new oplog entries ... the matching event will be returned
 * immediately"); SERVER-19665 (default 1 second when maxTimeMS is not given); the initial aggregate
 * does not wait.
 */
class AwaitTest {

    private static BsonDocument getMore(Server s, long id, Integer maxTimeMS) {
        BsonDocument cmd = new BsonDocument("getMore", new BsonInt64(id)).append("collection", new BsonString("c"));
        if (maxTimeMS != null) {
            cmd.append("maxTimeMS", new BsonInt32(maxTimeMS));
        }
        return s.runRaw("t", cmd).getDocument("cursor");
    }

    private static long open(Server s) {
        BsonDocument cursor = s.runRaw("t", BsonDocument.parse("{aggregate: 'c', pipeline: [{$changeStream: {}}], cursor: {}}"))
                .getDocument("cursor");
        return cursor.getInt64("id").getValue();
    }

    @Test
    void anEmptyGetMoreWaitsForMaxTimeMS() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            long id = open(s);
            long start = System.nanoTime();
            BsonDocument cursor = getMore(s, id, 400);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(cursor.getArray("nextBatch")).isEmpty();
            assertThat(cursor.getInt64("id").getValue()).as("the cursor stays open").isEqualTo(id);
            assertThat(waited).as("returned after at least ~400 ms for maxTimeMS 400").isGreaterThanOrEqualTo(350);
        }
    }

    @Test
    void withoutMaxTimeMSTheGetMoreWaitsAboutOneSecond() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            long id = open(s);
            long start = System.nanoTime();
            getMore(s, id, null);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(900);
        }
    }

    @Test
    void aWaitingGetMoreReturnsWhenAnEventArrives() throws Exception {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            long id = open(s);
            CompletableFuture<BsonDocument> waiting = CompletableFuture.supplyAsync(() -> getMore(s, id, 60_000));
            Thread.sleep(300);
            assertThat(waiting).as("nothing to return yet: the getMore waits").isNotDone();
            s.coll("t", "c").insertOne(new Document("_id", 1));
            BsonDocument cursor = waiting.get(30, TimeUnit.SECONDS);
            assertThat(cursor.getArray("nextBatch")).as("returned with the event, long before maxTimeMS").hasSize(1);
        }
    }

    @Test
    void aWriteTheStreamDoesNotShowDoesNotEndTheWait() throws Exception {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            long id = open(s);
            CompletableFuture<BsonDocument> waiting = CompletableFuture.supplyAsync(() -> getMore(s, id, 60_000));
            Thread.sleep(200);
            s.coll("t", "other").insertOne(new Document("_id", 1));
            Thread.sleep(300);
            assertThat(waiting).as("an entry that matches nothing does not end the wait").isNotDone();
            s.coll("t", "c").insertOne(new Document("_id", 2));
            assertThat(waiting.get(30, TimeUnit.SECONDS).getArray("nextBatch")).hasSize(1);
        }
    }

    @Test
    void theInitialAggregateDoesNotWait() throws Exception {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            CompletableFuture<BsonDocument> reply = CompletableFuture.supplyAsync(() -> s.runRaw("t", BsonDocument.parse(
                    "{aggregate: 'c', pipeline: [{$changeStream: {}}], cursor: {}, maxTimeMS: 600000}")));
            assertThat(reply.get(60, TimeUnit.SECONDS).getDocument("cursor").getArray("firstBatch"))
                    .as("an empty first batch at once, not after maxTimeMS").isEmpty();
        }
    }
}
