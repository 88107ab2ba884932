package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.clusterTime;
import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.token;
import static dev.rewind.sandbox.Server.types;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Multi-document transactions through the Java driver, as change streams show them.
 * Sources (notes §1.7, §3.1–3.3): src/mongo/db/pipeline/document_source_change_stream_unwind_transaction.cpp
 * (every event of a transaction gets the commit entry's ts as clusterTime and its wall time; nothing
 * is seen before the commit entry); change_stream_event_transform.cpp (txnNumber and lsid added
 * when the event came out of an applyOps); manual https://www.mongodb.com/docs/v7.0/reference/change-events/insert/
 * ("lsid ... Only present if the operation is part of a multi-document transaction"; "To identify
 * events for a single transaction, you can use the combination of lsid and txnNumber");
 * jstests/noPassthrough/change_stream_transaction.js (maxNumberOfTransactionOperationsInSingleOplogEntry
 * small: transactions over several applyOps entries, resumable per event).
 */
class TransactionEventsTest {

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void writesAreVisibleAndEventedOnlyAtCommit(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 0).append("n", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch());
                 ClientSession session = s.client.startSession()) {
                session.startTransaction();
                coll.insertOne(session, new Document("_id", 1));
                coll.updateOne(session, Filters.eq("_id", 0), Updates.set("n", 1));
                assertThat(coll.find(session, Filters.eq("_id", 1)).first()).as("a transaction reads its own writes").isNotNull();
                assertThat(stream.tryNext()).as("no event before the commit").isNull();
                session.commitTransaction();
                List<RawBsonDocument> events = next(stream, 2);
                assertThat(types(events)).containsExactly("insert", "update");
                assertThat(coll.find(Filters.eq("_id", 1)).first()).isNotNull();
                assertThat(coll.find(Filters.eq("_id", 0)).first().getInteger("n")).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void eventsCarryTheSessionAndTransactionNumberAndShareTheCommitTime(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch());
                 ClientSession session = s.client.startSession()) {
                session.withTransaction(() -> {
                    coll.insertOne(session, new Document("_id", 1));
                    coll.insertOne(session, new Document("_id", 2));
                    coll.deleteOne(session, Filters.eq("_id", 0));
                    s.coll("t", "other").insertOne(session, new Document("_id", 3));
                    return null;
                });
                BsonTimestamp afterCommit = s.operationTime();
                List<RawBsonDocument> events = next(stream, 4);
                assertThat(types(events)).containsExactly("insert", "insert", "delete", "insert");
                BsonDocument lsid = session.getServerSession().getIdentifier();
                List<String> tokens = new ArrayList<>();
                for (RawBsonDocument e : events) {
                    assertThat(e.getDocument("lsid").get("id")).as(e.toJson()).isEqualTo(lsid.get("id"));
                    assertThat(e.getDocument("lsid").isBinary("uid")).as(e.toJson()).isTrue();
                    assertThat(e.isInt64("txnNumber")).as(e.toJson()).isTrue();
                    assertThat(e.getInt64("txnNumber")).isEqualTo(events.get(0).getInt64("txnNumber"));
                    assertThat(clusterTime(e)).as("every event of a transaction has the commit time")
                            .isEqualTo(clusterTime(events.get(0)));
                    assertThat(e.get("wallTime")).isEqualTo(events.get(0).get("wallTime"));
                    tokens.add(token(e));
                }
                assertThat(clusterTime(events.get(0))).isLessThanOrEqualTo(afterCommit);
                assertThat(tokens).doesNotHaveDuplicates().isSorted();
                // the events' fields in mongod's order: txnNumber and lsid come before _id
                assertThat(new ArrayList<>(events.get(0).keySet()).subList(0, 3)).containsExactly("txnNumber", "lsid", "_id");
            }
        }
    }

    /** A transaction over several applyOps entries: every event still has the commit entry's time (notes §3.2). */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aTransactionOverSeveralOplogEntriesGivesEveryEventTheCommitTime(MongoRelease release) {
        try (Server s = Server.start(SandboxOptions.defaults().release(release).transactionOpsPerEntry(2))) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", "before"));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch());
                 ClientSession session = s.client.startSession()) {
                BsonTimestamp start = s.operationTime();
                session.withTransaction(() -> {
                    for (int i = 0; i < 7; i++) {
                        coll.insertOne(session, new Document("_id", i));
                    }
                    return null;
                });
                BsonTimestamp end = s.operationTime();
                coll.insertOne(new Document("_id", "after"));
                List<RawBsonDocument> events = until(stream, insertOf("after"));
                assertThat(events).hasSize(7);
                for (int i = 0; i < 7; i++) {
                    RawBsonDocument e = events.get(i);
                    assertThat(e.getDocument("documentKey").getInt32("_id").getValue()).isEqualTo(i);
                    assertThat(clusterTime(e)).as("event %d", i).isEqualTo(clusterTime(events.get(6)));
                }
                assertThat(types(events)).containsOnly("insert");
                assertThat(events.stream().map(Server::token).toList()).doesNotHaveDuplicates().isSorted();
                // four applyOps entries (2+2+2+1): the commit is the last, three ticks after the first
                BsonTimestamp commit = clusterTime(events.get(0));
                assertThat(commit).isGreaterThan(start).isLessThanOrEqualTo(end);
                if (commit.getTime() == start.getTime()) {
                    assertThat(commit.getInc()).as("the chain took four oplog slots").isGreaterThanOrEqualTo(start.getInc() + 4);
                }
            }
        }
    }

    /** With mongod's defaults a transaction spans several applyOps entries once its operations pass 16 MiB (notes §3.1). */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aTransactionOver16MegabytesSpansSeveralEntries(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", "before"));
            String big = "x".repeat(7 * 1024 * 1024);
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch());
                 ClientSession session = s.client.startSession()) {
                BsonTimestamp start = s.operationTime();
                session.withTransaction(() -> {
                    for (int i = 0; i < 3; i++) {
                        coll.insertOne(session, new Document("_id", i).append("big", big));
                    }
                    return null;
                });
                List<RawBsonDocument> events = next(stream, 3);
                BsonTimestamp commit = clusterTime(events.get(2));
                assertThat(events).allSatisfy(e -> assertThat(clusterTime(e)).isEqualTo(commit));
                if (commit.getTime() == start.getTime()) {
                    assertThat(commit.getInc()).as("7 + 7 MiB in one entry, the third 7 MiB in a second")
                            .isGreaterThanOrEqualTo(start.getInc() + 2);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void anAbortLeavesNothingBehind(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 0).append("n", 0));
            coll.insertOne(new Document("_id", 9));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.client.watch().showExpandedEvents(true));
                 ClientSession session = s.client.startSession()) {
                session.startTransaction();
                coll.insertOne(session, new Document("_id", 1));
                coll.updateOne(session, Filters.eq("_id", 0), Updates.set("n", 1));
                coll.deleteOne(session, Filters.eq("_id", 9));
                s.coll("t", "created").insertOne(session, new Document("_id", 2));
                session.abortTransaction();

                coll.insertOne(new Document("_id", "marker"));
                assertThat(until(stream, insertOf("marker"))).as("an aborted transaction produces no event").isEmpty();
                assertThat(coll.find(Filters.eq("_id", 1)).first()).isNull();
                assertThat(coll.find(Filters.eq("_id", 0)).first().getInteger("n")).isEqualTo(0);
                assertThat(coll.find(Filters.eq("_id", 9)).first()).isNotNull();
                assertThat(s.db("t").listCollectionNames().into(new ArrayList<>()))
                        .as("the implicitly created collection is gone again").containsExactly("c");
            }
        }
    }

    /** Retryable writes are not reported with lsid/txnNumber (notes §1.7: only unwound applyOps entries get them). */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void retryableWritesCarryNoSessionInEvents(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch());
                 ClientSession session = s.client.startSession()) {
                coll.insertOne(session, new Document("_id", 1));                       // retryable (retryWrites=true)
                coll.updateOne(session, Filters.eq("_id", 1), Updates.set("a", 1));
                coll.findOneAndUpdate(session, Filters.eq("_id", 1), Updates.set("a", 2));
                coll.deleteOne(session, Filters.eq("_id", 1));
                coll.insertMany(List.of(new Document("_id", 2), new Document("_id", 3)));
                List<RawBsonDocument> events = next(stream, 6);
                assertThat(types(events)).containsExactly("insert", "update", "update", "delete", "insert", "insert");
                for (RawBsonDocument e : events) {
                    assertThat(e).as(e.toJson()).doesNotContainKeys("lsid", "txnNumber");
                }
            }
        }
    }
}
