package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.model.RenameCollectionOptions;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Collection, database and deployment streams each see exactly their scope.
 * Sources (notes §1.6, §1.3, §2.3): src/mongo/db/pipeline/document_source_change_stream.cpp
 * getNsRegexForChangeStream (db streams: the db's collections except system.*; cluster: every db
 * but admin, config, local); manual https://www.mongodb.com/docs/v7.0/reference/change-events/drop/
 * and invalidate/ (a collection stream gets drop then invalidate; rename "to"); dropDatabase/ (a
 * database stream gets the drops, dropDatabase, then invalidate); invalidate/ ("You cannot use
 * resumeAfter to resume a change stream after an invalidate event ... you can use startAfter");
 * InvalidResumeToken 260 "Attempting to resume a change stream using 'resumeAfter' is not allowed
 * from an invalidate notification".
 */
class StreamScopeTest {

    private static void writeEverywhere(Server s) {
        s.coll("a", "c").insertOne(new Document("_id", "a.c"));
        s.coll("a", "d").insertOne(new Document("_id", "a.d"));
        s.coll("b", "c").insertOne(new Document("_id", "b.c"));
        s.coll("admin", "x").insertOne(new Document("_id", "admin.x"));
        s.coll("config", "x").insertOne(new Document("_id", "config.x"));
        s.coll("a", "d").drop();
    }

    private static List<String> seen(List<RawBsonDocument> events) {
        return events.stream().map(e -> Server.type(e) + " " + e.getDocument("ns").getString("db").getValue() + "."
                + e.getDocument("ns").getString("coll").getValue()).toList();
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void eachScopeSeesExactlyItsNamespaces(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("a", "c").insertOne(new Document("_id", 0));
            s.coll("a", "d").insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> coll = open(s.coll("a", "c").watch());
                 MongoChangeStreamCursor<RawBsonDocument> db = open(s.db("a").watch());
                 MongoChangeStreamCursor<RawBsonDocument> cluster = open(s.client.watch())) {
                writeEverywhere(s);
                s.coll("a", "c").insertOne(new Document("_id", "end"));
                assertThat(seen(until(coll, insertOf("end")))).containsExactly("insert a.c");
                assertThat(seen(until(db, insertOf("end")))).containsExactly("insert a.c", "insert a.d", "drop a.d");
                assertThat(seen(until(cluster, insertOf("end"))))
                        .containsExactly("insert a.c", "insert a.d", "insert b.c", "drop a.d");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aCollectionStreamEndsWithDropThenInvalidate(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("a", "c").insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.coll("a", "c").watch())) {
                s.coll("a", "c").drop();
                List<RawBsonDocument> events = next(stream, 2);
                assertThat(types(events)).containsExactly("drop", "invalidate");
                assertThat(stream.tryNext()).isNull();
                assertThat(stream.getServerCursor()).as("the server closed the cursor").isNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void renameCarriesToAndInvalidatesBothCollectionStreams(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("a", "c").insertOne(new Document("_id", 0));
            s.coll("a", "target").insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> source = open(s.coll("a", "c").watch());
                 MongoChangeStreamCursor<RawBsonDocument> target = open(s.coll("a", "target").watch())) {
                s.coll("a", "c").renameCollection(new MongoNamespace("a", "target"), new RenameCollectionOptions().dropTarget(true));
                for (MongoChangeStreamCursor<RawBsonDocument> stream : List.of(source, target)) {
                    List<RawBsonDocument> events = next(stream, 2);
                    assertThat(types(events)).containsExactly("rename", "invalidate");
                    assertThat(events.get(0).getDocument("ns")).isEqualTo(BsonDocument.parse("{db: 'a', coll: 'c'}"));
                    assertThat(events.get(0).getDocument("to")).isEqualTo(BsonDocument.parse("{db: 'a', coll: 'target'}"));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void dropDatabaseGivesTheDropsThenDropDatabaseThenInvalidate(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("a", "c").insertOne(new Document("_id", 0));
            s.coll("a", "d").insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> db = open(s.db("a").watch());
                 MongoChangeStreamCursor<RawBsonDocument> coll = open(s.coll("a", "c").watch());
                 MongoChangeStreamCursor<RawBsonDocument> cluster = open(s.client.watch())) {
                s.db("a").drop();
                List<RawBsonDocument> events = next(db, 4);
                assertThat(types(events)).containsExactly("drop", "drop", "dropDatabase", "invalidate");
                assertThat(events.subList(0, 2).stream().map(e -> e.getDocument("ns").getString("coll").getValue()))
                        .containsExactlyInAnyOrder("c", "d");
                assertThat(types(next(coll, 2))).as("a collection stream sees its own drop only").containsExactly("drop", "invalidate");
                s.coll("b", "c").insertOne(new Document("_id", "end"));
                assertThat(types(until(cluster, insertOf("end")))).as("a deployment stream is not invalidated")
                        .containsExactly("drop", "drop", "dropDatabase");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void startAfterAnInvalidateStartsANewStreamButResumeAfterFails(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("a", "c").insertOne(new Document("_id", 0));
            BsonDocument invalidate;
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.coll("a", "c").watch())) {
                s.coll("a", "c").drop();
                invalidate = next(stream, 2).get(1).getDocument("_id");
            }
            s.coll("a", "c").insertOne(new Document("_id", "recreated"));
            try (MongoChangeStreamCursor<RawBsonDocument> again = open(s.coll("a", "c").watch().startAfter(invalidate))) {
                RawBsonDocument e = next(again);
                assertThat(Server.type(e)).isEqualTo("insert");
                assertThat(e.getDocument("documentKey")).isEqualTo(BsonDocument.parse("{_id: 'recreated'}"));
            }
            MongoCommandException e = s.fails("a", new Document("aggregate", "c").append("pipeline",
                    List.of(new Document("$changeStream", new Document("resumeAfter", invalidate)))).append("cursor", new Document())
                    .toJson());
            assertThat(e.getErrorCode()).isEqualTo(260);
            assertThat(e.getErrorCodeName()).isEqualTo("InvalidResumeToken");
        }
    }
}
