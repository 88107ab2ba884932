package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoQueryException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A drop or a rename of a collection kills the query cursors open on it: their next getMore fails
 * with QueryPlanKilled (175), "collection dropped" or "collection renamed", and the cursor is gone
 * (mongod's own test of it: jstests/core/getmore_invalidated_cursors.js, which also checks that
 * dropping an index the query does not use leaves the cursor working).
 */
class KilledCursorTest {
    private static final int DOCS = 100;

    @Test
    void aDropOfTheCollectionKillsItsCursors() {
        String msg = killedBy(db -> db.getCollection("test").drop());
        assertThat(msg).contains("collection dropped");
    }

    @Test
    void aDropOfTheDatabaseKillsItsCursors() {
        String msg = killedBy(MongoDatabase::drop);
        assertThat(msg).contains("collection dropped");
    }

    @Test
    void aRenameOfTheCollectionKillsItsCursorsAndSaysWhereTo() {
        String msg = killedBy(db -> db.getCollection("test").renameCollection(
                new com.mongodb.MongoNamespace("getmore_invalidated_cursors", "test_rename")));
        assertThat(msg).contains("collection renamed").contains("getmore_invalidated_cursors.test_rename");
    }

    @Test
    void aCollectionDroppedAndCreatedAgainUnderItsNameIsNotTheOneTheCursorRead() {
        String msg = killedBy(db -> {
            db.getCollection("test").drop();
            db.getCollection("test").insertOne(new Document("_id", 5000));
        });
        assertThat(msg).contains("collection dropped");
    }

    @Test
    void writesAndAnIndexTheQueryDoesNotUseLeaveTheCursorAlive() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase db = client.getDatabase("getmore_invalidated_cursors");
            MongoCollection<Document> coll = setUp(db);
            List<Document> read = new ArrayList<>();
            try (MongoCursor<Document> cursor = coll.find().batchSize(DOCS - 1).iterator()) {
                read.add(cursor.next());
                coll.dropIndex("x_1");
                coll.insertOne(new Document("_id", 1000));
                db.getCollection("other").drop();
                cursor.forEachRemaining(read::add);
            }
            // a collection scan reads on in record order, so the document inserted meanwhile comes last (CursorReadsOnTest)
            assertThat(read).hasSize(DOCS + 1);
            assertThat(read.get(DOCS)).isEqualTo(new Document("_id", 1000));
        }
    }

    /** Opens a cursor of 99-document batches, does {@code ddl}, and returns the message of the getMore that fails. */
    private static String killedBy(Consumer<MongoDatabase> ddl) {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase db = client.getDatabase("getmore_invalidated_cursors");
            MongoCollection<Document> coll = setUp(db);
            Document find = db.runCommand(new Document("find", "test").append("batchSize", DOCS - 1));
            long id = find.get("cursor", Document.class).getLong("id");
            assertThat(id).isNotZero();
            ddl.accept(db);
            MongoCommandException e = catchThrowableOfType(
                    () -> db.runCommand(new Document("getMore", id).append("collection", "test")), MongoCommandException.class);
            assertThat(e).isNotNull();
            assertThat(e.getErrorCode()).isEqualTo(175);
            assertThat(e.getErrorCodeName()).isEqualTo("QueryPlanKilled");
            MongoCommandException again = catchThrowableOfType(
                    () -> db.runCommand(new Document("getMore", id).append("collection", "test")), MongoCommandException.class);
            assertThat(again.getErrorCode()).as("the killed cursor is gone").isEqualTo(43);

            // the driver's cursor sees the same, as a query error
            setUp(db);
            MongoCursor<Document> cursor = db.getCollection("test").find().batchSize(DOCS - 1).iterator();
            cursor.next();
            ddl.accept(db);
            MongoQueryException q = catchThrowableOfType(() -> cursor.forEachRemaining(d -> { }), MongoQueryException.class);
            assertThat(q.getErrorCode()).isEqualTo(175);
            return e.getErrorMessage();
        }
    }

    private static MongoCollection<Document> setUp(MongoDatabase db) {
        MongoCollection<Document> coll = db.getCollection("test");
        coll.drop();
        db.getCollection("test_rename").drop();
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(new Document("_id", i).append("x", i));
        }
        coll.insertMany(docs);
        coll.createIndex(Indexes.ascending("x"), new IndexOptions());
        return coll;
    }
}
