package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.clusterTime;
import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.token;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.List;
import java.util.function.Function;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resuming a stream from any event gives exactly the events after it.
 * Sources (notes §2.1, §2.3): src/mongo/db/pipeline/resume_token.cpp (KeyString of clusterTime,
 * version, tokenType, txnOpIndex, fromInvalidate, uuid: tokens sort in stream order, and differ
 * within one clusterTime by txnOpIndex); document_source_change_stream_ensure_resume_token_present.cpp
 * (resumeAfter/startAfter: "we have seen the token and swallowed it. Return the next event");
 * startAtOperationTime is inclusive (events at or after it); manual
 * https://www.mongodb.com/docs/v7.0/changeStreams/#resume-a-change-stream;
 * jstests/noPassthrough/change_stream_transaction.js (startAfter each event of a transaction
 * spanning several applyOps entries); batched_multi_deletes change stream test (startAfter each
 * delete of a batch).
 */
class ResumeTest {

    /** Writes a mix: plain writes, a transaction over three applyOps entries, a batched delete, more writes. */
    private static List<RawBsonDocument> history(Server s) {
        MongoCollection<Document> coll = s.coll("t", "c");
        coll.insertOne(new Document("_id", "start"));
        try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch());
             var session = s.client.startSession()) {
            for (int i = 0; i < 4; i++) {
                coll.insertOne(new Document("_id", i));
            }
            coll.updateOne(Filters.eq("_id", 0), Updates.set("a", 1));
            session.withTransaction(() -> {
                for (int i = 10; i < 15; i++) {
                    coll.insertOne(session, new Document("_id", i));
                }
                s.coll("t", "other").insertOne(session, new Document("_id", 1));
                coll.updateOne(session, Filters.eq("_id", 1), Updates.set("t", 1));
                return null;
            });
            coll.deleteMany(Filters.lt("_id", 14));
            coll.insertOne(new Document("_id", "late"));
            coll.insertOne(new Document("_id", "end"));
            return until(stream, insertOf("end"));
        }
    }

    private static List<String> tokens(List<? extends BsonDocument> events) {
        return events.stream().map(Server::token).toList();
    }

    /** Reopens the stream with {@code start} and reads until the "end" insert. */
    private static List<RawBsonDocument> reopen(Server s, Function<com.mongodb.client.ChangeStreamIterable<Document>,
            com.mongodb.client.ChangeStreamIterable<Document>> start) {
        try (MongoChangeStreamCursor<RawBsonDocument> stream = open(start.apply(s.db("t").watch()))) {
            return until(stream, insertOf("end"));
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void tokensAreDistinctAndOrderedAlsoWithinOneClusterTime(MongoRelease release) {
        try (Server s = Server.start(SandboxOptions.defaults().release(release).transactionOpsPerEntry(3).batchedDeleteDocs(4))) {
            List<RawBsonDocument> events = history(s);
            assertThat(events).as("4 inserts, an update, 7 transaction writes, 8 batched deletes, an insert").hasSize(21);
            List<String> tokens = tokens(events);
            assertThat(tokens).doesNotHaveDuplicates().isSorted();
            List<BsonTimestamp> times = events.stream().map(Server::clusterTime).toList();
            assertThat(times).isSorted();
            assertThat(new java.util.HashSet<>(times).size()).as("several events share a clusterTime")
                    .isLessThan(times.size());
            String version = release == MongoRelease.V6_0 ? "2B02" : "2B04";
            for (RawBsonDocument e : events) {
                BsonTimestamp ts = clusterTime(e);
                assertThat(token(e)).as("82, the 8-byte clusterTime, then the token version (6.0: v1, 6.1+: v2)")
                        .startsWith(String.format("82%08X%08X%s", ts.getTime(), ts.getInc(), version));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void resumeAfterAndStartAfterEveryEventLoseAndRepeatNothing(MongoRelease release) {
        try (Server s = Server.start(SandboxOptions.defaults().release(release).transactionOpsPerEntry(3).batchedDeleteDocs(4))) {
            List<RawBsonDocument> events = history(s);
            List<String> all = tokens(events);
            for (int i = 0; i < events.size(); i++) {
                BsonDocument id = events.get(i).getDocument("_id");
                List<String> expected = all.subList(i + 1, all.size());
                assertThat(tokens(reopen(s, w -> w.resumeAfter(id)))).as("resumeAfter event %d", i).isEqualTo(expected);
                assertThat(tokens(reopen(s, w -> w.startAfter(id)))).as("startAfter event %d", i).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void startAtOperationTimeIsInclusive(MongoRelease release) {
        try (Server s = Server.start(SandboxOptions.defaults().release(release).transactionOpsPerEntry(3).batchedDeleteDocs(4))) {
            List<RawBsonDocument> events = history(s);
            List<String> all = tokens(events);
            for (int i = 0; i < events.size(); i++) {
                BsonTimestamp at = clusterTime(events.get(i));
                int first = i;
                while (first > 0 && clusterTime(events.get(first - 1)).equals(at)) {
                    first--;
                }
                List<String> expected = all.subList(first, all.size());
                assertThat(tokens(reopen(s, w -> w.startAtOperationTime(at)))).as("startAtOperationTime of event %d", i)
                        .isEqualTo(expected);
            }
        }
    }

    /** A resume token from one stream resumes the same point in a stream with a wider scope. */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aCollectionStreamsTokenResumesADatabaseStream(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 0));
            BsonDocument token;
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                coll.insertOne(new Document("_id", 1));
                token = Server.next(stream).getDocument("_id");
            }
            s.coll("t", "other").insertOne(new Document("_id", 2));
            coll.insertOne(new Document("_id", "end"));
            List<RawBsonDocument> events = reopen(s, w -> w.resumeAfter(token));
            assertThat(events).hasSize(1);
            assertThat(events.get(0).getDocument("ns").getString("coll").getValue()).isEqualTo("other");
        }
    }
}
