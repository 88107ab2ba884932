package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.RenameCollectionOptions;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DDL events under showExpandedEvents with their operationDescription.
 * Sources (notes §1.3, §1.4): src/mongo/db/pipeline/change_stream_event_transform.cpp (create:
 * copyDocExceptFields(o, {"create"}); createIndexes: {indexes: [o minus createIndexes]} or, for
 * commitIndexBuild, {indexes: o.indexes}; dropIndexes: {indexes: [o2 minus dropIndexes]}; modify:
 * o minus collMod plus stateBeforeChange {collectionOptions: o2.collectionOptions_old}; rename:
 * o minus renameCollection/stayTemp with 'to' as {db, coll}); src/mongo/db/repl/oplog_entry.cpp
 * makeCreateCollCmdObj ({create, <options>, idIndex}); src/mongo/db/catalog/collection_options.cpp
 * appendBSON (the uuid first; changeStreamPreAndPostImages only while enabled);
 * jstests/change_streams/ddl_create_event.js (implicit create precedes the insert; idIndex
 * {v: 2, key: {_id: 1}, name: "_id_"}); manual https://www.mongodb.com/docs/v7.0/reference/change-events/modify/
 * (stateBeforeChange.collectionOptions); create page: nsType "New in version 8.1 (also available
 * in 8.0.5)" — absent in the releases emulated here (6.0, 7.0, 8.0.3).
 */
class ExpandedEventsTest {
    private static final BsonDocument ID_INDEX = BsonDocument.parse("{v: 2, key: {_id: 1}, name: '_id_'}");

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void createEventsExplicitAndImplicit(MongoRelease release) {
        try (Server s = Server.start(release)) {
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch().showExpandedEvents(true))) {
                s.run("t", "{create: 'explicit', changeStreamPreAndPostImages: {enabled: true}}");
                s.coll("t", "implicit").insertOne(new Document("_id", 1));
                List<RawBsonDocument> events = next(stream, 3);
                assertThat(types(events)).containsExactly("create", "create", "insert");
                RawBsonDocument explicit = events.get(0);
                assertThat(new ArrayList<>(explicit.keySet())).containsExactly("_id", "operationType", "clusterTime",
                        "collectionUUID", "wallTime", "ns", "operationDescription");
                assertThat(explicit.getBinary("collectionUUID")).isEqualTo(s.uuid("t", "explicit"));
                assertThat(explicit.getDocument("operationDescription").toJson()).as("options, then idIndex")
                        .isEqualTo(new BsonDocument("changeStreamPreAndPostImages", BsonDocument.parse("{enabled: true}"))
                                .append("idIndex", ID_INDEX).toJson());
                RawBsonDocument implicit = events.get(1);
                assertThat(implicit.getDocument("ns")).isEqualTo(BsonDocument.parse("{db: 't', coll: 'implicit'}"));
                assertThat(implicit.getDocument("operationDescription")).isEqualTo(new BsonDocument("idIndex", ID_INDEX));
                assertThat(implicit.getBinary("collectionUUID")).isEqualTo(events.get(2).getBinary("collectionUUID"));
                assertThat(explicit).doesNotContainKey("nsType");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void withoutExpandedEventsThereAreNoDdlEventsButRenameAndDrop(MongoRelease release) {
        try (Server s = Server.start(release)) {
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch())) {
                s.run("t", "{create: 'c'}");
                s.coll("t", "c").createIndex(Indexes.ascending("a"));
                s.run("t", "{collMod: 'c', changeStreamPreAndPostImages: {enabled: true}}");
                s.coll("t", "c").dropIndex("a_1");
                s.coll("t", "c").insertOne(new Document("_id", "marker"));
                assertThat(until(stream, insertOf("marker"))).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void createIndexesAndDropIndexes(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.run("t", "{create: 'empty'}");
            s.coll("t", "full").insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch().showExpandedEvents(true))) {
                List<IndexModel> two = List.of(new IndexModel(Indexes.ascending("a")),
                        new IndexModel(Indexes.descending("b"), new IndexOptions().unique(true)));
                s.coll("t", "empty").createIndexes(two);
                s.coll("t", "full").createIndexes(two);
                s.coll("t", "full").dropIndexes();
                s.coll("t", "full").insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(types(events)).as("an empty collection's indexes are created one oplog entry each; a"
                        + " non-empty collection's build commits them together; each dropped index is its own entry")
                        .containsExactly("createIndexes", "createIndexes", "createIndexes", "dropIndexes", "dropIndexes");
                BsonDocument a = BsonDocument.parse("{v: 2, key: {a: 1}, name: 'a_1'}");
                BsonDocument b = BsonDocument.parse("{v: 2, key: {b: -1}, name: 'b_-1', unique: true}");
                assertThat(events.get(0).getDocument("operationDescription")).isEqualTo(new BsonDocument("indexes",
                        new org.bson.BsonArray(List.of(a))));
                assertThat(events.get(1).getDocument("operationDescription")).isEqualTo(new BsonDocument("indexes",
                        new org.bson.BsonArray(List.of(b))));
                assertThat(events.get(2).getDocument("operationDescription")).isEqualTo(new BsonDocument("indexes",
                        new org.bson.BsonArray(List.of(a, b))));
                assertThat(events.get(3).getDocument("operationDescription")).isEqualTo(new BsonDocument("indexes",
                        new org.bson.BsonArray(List.of(a))));
                assertThat(events.get(4).getDocument("operationDescription")).isEqualTo(new BsonDocument("indexes",
                        new org.bson.BsonArray(List.of(b))));
                for (RawBsonDocument e : events) {
                    assertThat(new ArrayList<>(e.keySet())).containsExactly("_id", "operationType", "clusterTime",
                            "collectionUUID", "wallTime", "ns", "operationDescription");
                }
                assertThat(events.get(0).getBinary("collectionUUID")).isEqualTo(s.uuid("t", "empty"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void collModGivesModifyWithTheStateBeforeChange(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.run("t", "{create: 'c'}");
            BsonBinary uuid = s.uuid("t", "c");
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.coll("t", "c").watch().showExpandedEvents(true))) {
                s.run("t", "{collMod: 'c', changeStreamPreAndPostImages: {enabled: true}}");
                s.run("t", "{collMod: 'c', changeStreamPreAndPostImages: {enabled: false}}");
                List<RawBsonDocument> events = next(stream, 2);
                assertThat(types(events)).containsExactly("modify", "modify");
                assertThat(new ArrayList<>(events.get(0).keySet())).containsExactly("_id", "operationType", "clusterTime",
                        "collectionUUID", "wallTime", "ns", "operationDescription", "stateBeforeChange");
                assertThat(events.get(0).getDocument("operationDescription"))
                        .isEqualTo(BsonDocument.parse("{changeStreamPreAndPostImages: {enabled: true}}"));
                assertThat(events.get(0).getDocument("stateBeforeChange"))
                        .isEqualTo(new BsonDocument("collectionOptions", new BsonDocument("uuid", uuid)));
                assertThat(events.get(1).getDocument("operationDescription"))
                        .isEqualTo(BsonDocument.parse("{changeStreamPreAndPostImages: {enabled: false}}"));
                assertThat(events.get(1).getDocument("stateBeforeChange")).isEqualTo(new BsonDocument("collectionOptions",
                        new BsonDocument("uuid", uuid).append("changeStreamPreAndPostImages", BsonDocument.parse("{enabled: true}"))));
            }
            assertThat(s.runRaw("t", BsonDocument.parse("{listCollections: 1, filter: {name: 'c'}}")).getDocument("cursor")
                    .getArray("firstBatch").get(0).asDocument().getDocument("options"))
                    .as("a disabled option is not kept").isEqualTo(new BsonDocument());
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void renameDescribesItsTargetAndTheDroppedTarget(MongoRelease release) {
        try (Server s = Server.start(release)) {
            s.coll("t", "a").insertOne(new Document("_id", 1));
            s.coll("t", "b").insertOne(new Document("_id", 1));
            s.coll("t", "x").insertOne(new Document("_id", 1));
            BsonBinary b = s.uuid("t", "b");
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch().showExpandedEvents(true))) {
                s.coll("t", "x").renameCollection(new MongoNamespace("t", "y"));
                s.coll("t", "a").renameCollection(new MongoNamespace("t", "b"), new RenameCollectionOptions().dropTarget(true));
                List<RawBsonDocument> events = next(stream, 2);
                assertThat(types(events)).containsExactly("rename", "rename");
                assertThat(new ArrayList<>(events.get(0).keySet())).containsExactly("to", "_id", "operationType",
                        "clusterTime", "collectionUUID", "wallTime", "ns", "operationDescription");
                assertThat(events.get(0).getDocument("operationDescription"))
                        .isEqualTo(BsonDocument.parse("{to: {db: 't', coll: 'y'}}"));
                assertThat(events.get(1).getDocument("operationDescription"))
                        .isEqualTo(BsonDocument.parse("{to: {db: 't', coll: 'b'}}").append("dropTarget", b));
                assertThat(events.get(1).getDocument("to")).isEqualTo(BsonDocument.parse("{db: 't', coll: 'b'}"));
            }
        }
    }
}
