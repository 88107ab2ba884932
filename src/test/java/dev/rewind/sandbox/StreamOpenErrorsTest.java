package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where mongod refuses to open a change stream, and views.
 * Sources (notes §1.6, §9, §2.3): document_source_change_stream.cpp ("$changeStream may not be opened
 * on the internal <db> database", InvalidNamespace 73; allChangesForCluster only on admin,
 * InvalidOptions 72; 50865 "Do not specify both 'resumeAfter' and 'startAfter'"; 40674 "Only one
 * type of resume option is allowed"); jstests/change_streams/ban_from_views.js
 * (CommandNotSupportedOnView 166); PHP library CollectionInfo docs and SERVER-26513 (a view's
 * listCollections entry: type 'view', options {viewOn, pipeline}, info {readOnly: true}, no uuid,
 * no idIndex); change_stream_event_transform.cpp ChangeStreamViewDefinitionEventTransformation (a
 * view's create on a database stream with showExpandedEvents, operationDescription {viewOn,
 * pipeline}, no collectionUUID).
 */
class StreamOpenErrorsTest {

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void internalDatabasesAndMisplacedClusterStreamsAreRefused(MongoRelease release) {
        try (Server s = Server.start(release)) {
            for (String db : List.of("admin", "config", "local")) {
                MongoCommandException e = s.fails(db, "{aggregate: 1, pipeline: [{$changeStream: {}}], cursor: {}}");
                assertThat(e.getErrorCode()).as(db).isEqualTo(73);
            }
            assertThat(s.fails("t", "{aggregate: 'system.views', pipeline: [{$changeStream: {}}], cursor: {}}")
                    .getErrorCode()).isEqualTo(73);
            assertThat(s.fails("t", "{aggregate: 1, pipeline: [{$changeStream: {allChangesForCluster: true}}], cursor: {}}")
                    .getErrorCode()).isEqualTo(72);
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void conflictingStartPointsAreRefused(MongoRelease release) {
        try (Server s = Server.start(release)) {
            String hwm = s.runRaw("t", BsonDocument.parse("{aggregate: 'c', pipeline: [{$changeStream: {}}], cursor: {}}"))
                    .getDocument("cursor").getDocument("postBatchResumeToken").toJson();
            assertThat(s.fails("t", "{aggregate: 'c', pipeline: [{$changeStream: {resumeAfter: " + hwm + ", startAfter: "
                    + hwm + "}}], cursor: {}}").getErrorCode()).isEqualTo(50865);
            assertThat(s.fails("t", "{aggregate: 'c', pipeline: [{$changeStream: {resumeAfter: " + hwm
                    + ", startAtOperationTime: Timestamp(1, 1)}}], cursor: {}}").getErrorCode()).isEqualTo(40674);
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void viewsAreListedAsViewsAndCannotBeWatched(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("t", "c").insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch().showExpandedEvents(true))) {
                s.run("t", "{create: 'v', viewOn: 'c', pipeline: [{$match: {a: 1}}]}");
                s.coll("t", "c").insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(events).hasSize(1);
                assertThat(Server.type(events.get(0))).isEqualTo("create");
                assertThat(events.get(0).getDocument("operationDescription"))
                        .isEqualTo(BsonDocument.parse("{viewOn: 'c', pipeline: [{$match: {a: 1}}]}"));
                assertThat(events.get(0)).doesNotContainKey("collectionUUID");
            }
            BsonDocument entry = s.runRaw("t", BsonDocument.parse("{listCollections: 1, filter: {name: 'v'}}"))
                    .getDocument("cursor").getArray("firstBatch").get(0).asDocument();
            assertThat(entry).isEqualTo(BsonDocument.parse(
                    "{name: 'v', type: 'view', options: {viewOn: 'c', pipeline: [{$match: {a: 1}}]}, info: {readOnly: true}}"));
            assertThat(s.coll("t", "v").find().into(new java.util.ArrayList<>())).hasSize(1);
            MongoCommandException e = s.fails("t", "{aggregate: 'v', pipeline: [{$changeStream: {}}], cursor: {}}");
            assertThat(e.getErrorCode()).isEqualTo(166);
            assertThat(e.getErrorMessage()).contains("t.v is a view, not a collection");
        }
    }
}
