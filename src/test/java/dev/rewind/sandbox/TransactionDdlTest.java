package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Collections created inside a transaction, and commands a transaction may not run.
 * Sources (notes §3.3, §13): manual https://www.mongodb.com/docs/v7.0/core/transactions-operations/
 * ("You can create collections and indexes in transactions"; count, listCollections, drop,
 * renameCollection ... are not allowed: OperationNotSupportedInTransaction 263);
 * jstests/change_streams/ddl_create_index_txn.js (a create inside a transaction is an op of its
 * applyOps entry and becomes a create event, with the transaction's lsid and commit time).
 */
class TransactionDdlTest {

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void collectionsCreatedInATransactionAppearAtCommitWithIt(MongoRelease release) {
        try (Server s = Server.start(release); var session = s.client.startSession()) {
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch().showExpandedEvents(true))) {
                session.withTransaction(() -> {
                    s.db("t").createCollection(session, "explicit");
                    s.coll("t", "explicit").insertOne(session, new Document("_id", 1));
                    s.coll("t", "implicit").insertOne(session, new Document("_id", 2));
                    return null;
                });
                s.coll("t", "explicit").insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(types(events)).containsExactly("create", "insert", "create", "insert");
                for (RawBsonDocument e : events) {
                    assertThat(e).as(e.toJson()).containsKeys("lsid", "txnNumber");
                    assertThat(e.getTimestamp("clusterTime")).isEqualTo(events.get(0).getTimestamp("clusterTime"));
                }
                assertThat(events.stream().map(Server::token).toList()).doesNotHaveDuplicates().isSorted();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void anAbortedCreateLeavesNoCollection(MongoRelease release) {
        try (Server s = Server.start(release); var session = s.client.startSession()) {
            s.coll("t", "keep").insertOne(new Document("_id", 0));
            session.startTransaction();
            s.db("t").createCollection(session, "explicit");
            s.coll("t", "explicit").insertOne(session, new Document("_id", 1));
            session.abortTransaction();
            assertThat(s.db("t").listCollectionNames().into(new ArrayList<>())).containsExactly("keep");
            s.db("t").createCollection("explicit");
            assertThat(s.coll("t", "explicit").countDocuments()).as("created anew, empty").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void commandsATransactionMayNotRunFailWith263(MongoRelease release) {
        try (Server s = Server.start(release); var session = s.client.startSession()) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            session.startTransaction();
            s.coll("t", "c").insertOne(session, new Document("_id", 1));
            MongoCommandException e = org.assertj.core.api.Assertions.catchThrowableOfType(MongoCommandException.class,
                    () -> s.coll("t", "c").drop(session));
            assertThat(e).isNotNull();
            assertThat(e.getErrorCode()).isEqualTo(263);
            assertThat(e.getErrorCodeName()).isEqualTo("OperationNotSupportedInTransaction");
        }
    }
}
