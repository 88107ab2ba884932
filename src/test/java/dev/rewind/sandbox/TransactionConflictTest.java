package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/**
 * Transactions meeting other writes.
 * Sources (notes §13): src/mongo/base/error_codes.yml (WriteConflict 112, NoSuchTransaction 251);
 * src/mongo/db/error_labels.cpp isTransientTransactionError ("case ErrorCodes::WriteConflict ...
 * isTransient = true"); manual https://www.mongodb.com/docs/v7.0/core/transactions-production-consideration/
 * (a write outside a transaction to a document the transaction modified waits for the transaction
 * to end; transactionLifetimeLimitSeconds: an older transaction is aborted and later statements get
 * NoSuchTransaction).
 */
class TransactionConflictTest {

    @Test
    void twoTransactionsWritingTheSameDocumentConflict() {
        try (Server s = Server.start(MongoRelease.V7_0);
             ClientSession first = s.client.startSession(); ClientSession second = s.client.startSession()) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("n", 0));
            first.startTransaction();
            coll.updateOne(first, Filters.eq("_id", 1), Updates.set("n", 1));
            second.startTransaction();
            MongoException e = catchThrowableOfType(MongoException.class,
                    () -> coll.updateOne(second, Filters.eq("_id", 1), Updates.set("n", 2)));
            assertThat(e).isNotNull();
            assertThat(e.getCode()).isEqualTo(112);
            assertThat(e.hasErrorLabel("TransientTransactionError")).isTrue();
            assertThat(e).isInstanceOf(MongoCommandException.class);
            assertThat(((MongoCommandException) e).getErrorCodeName()).isEqualTo("WriteConflict");
            // the conflict aborted the second transaction; the first one commits
            MongoException again = catchThrowableOfType(MongoException.class,
                    () -> coll.insertOne(second, new Document("_id", 2)));
            assertThat(again.getCode()).isEqualTo(251);
            assertThat(again.hasErrorLabel("TransientTransactionError")).isTrue();
            first.commitTransaction();
            assertThat(coll.find(Filters.eq("_id", 1)).first().getInteger("n")).isEqualTo(1);
            assertThat(coll.find(Filters.eq("_id", 2)).first()).isNull();
        }
    }

    @Test
    void aWriteOutsideTheTransactionWaitsForItsCommit() throws Exception {
        try (Server s = Server.start(MongoRelease.V7_0); ClientSession session = s.client.startSession()) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 1).append("n", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                session.startTransaction();
                coll.updateOne(session, Filters.eq("_id", 1), Updates.inc("n", 10));
                CompletableFuture<Void> outside = CompletableFuture.runAsync(
                        () -> coll.updateOne(Filters.eq("_id", 1), Updates.inc("n", 1)));
                Thread.sleep(300);
                assertThat(outside).as("the plain write waits while the transaction holds the document").isNotDone();
                session.commitTransaction();
                outside.get(10, TimeUnit.SECONDS);
                assertThat(coll.find(Filters.eq("_id", 1)).first().getInteger("n")).isEqualTo(11);
                coll.insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(types(events)).containsExactly("update", "update");
                assertThat(events.get(0).containsKey("lsid")).as("the transaction's update comes first").isTrue();
                assertThat(events.get(1).containsKey("lsid")).isFalse();
                assertThat(events.get(1).getDocument("updateDescription").getDocument("updatedFields").getInt32("n").getValue())
                        .isEqualTo(11);
            }
        }
    }

    @Test
    void aTransactionOlderThanItsLifetimeIsAborted() throws Exception {
        SandboxOptions options = SandboxOptions.defaults().transactionLifetime(Duration.ofSeconds(1));
        try (Server s = Server.start(options); ClientSession session = s.client.startSession()) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                session.startTransaction();
                coll.insertOne(session, new Document("_id", 1));
                Thread.sleep(2500);
                MongoException e = catchThrowableOfType(MongoException.class, session::commitTransaction);
                assertThat(e).as("the commit of an expired transaction fails").isNotNull();
                assertThat(e.getCode()).isEqualTo(251);
                assertThat(coll.find(Filters.eq("_id", 1)).first()).isNull();
                // the collection is free again for writes outside the transaction
                coll.insertOne(new Document("_id", "marker"));
                assertThat(until(stream, insertOf("marker"))).isEmpty();
            }
        }
    }
}
