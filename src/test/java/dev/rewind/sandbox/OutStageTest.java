package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code $out} as mongod runs it (manual, "$out", "Replace Existing Collection": "Creates a temp
 * collection. Copies the indexes from the existing collection to the temp collection. Inserts the
 * documents into the temp collection. Calls renameCollection with dropTarget: true to rename the temp
 * collection to the destination collection"; "If the aggregation fails, $out makes no changes to the
 * pre-existing collection"). A change stream sees the temporary collection's events and then the
 * rename (jstests/change_streams/metadata_notifications.js and whole_db_metadata_notifications.js:
 * "$out will first create a temp collection, and then rename the temp collection to the target"),
 * whose operationDescription.dropTarget is the UUID of the collection replaced (manual, "Change
 * Events", rename).
 */
class OutStageTest {
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void outOverACollectionReplacesItKeepingItsIndexesThroughATemporaryCollectionAndARename(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> accounts = s.coll("t", "accounts");
            accounts.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            for (int i = 0; i < 5; i++) {
                accounts.insertOne(new Document("_id", i).append("email", "a" + i + "@x").append("active", i % 2 == 0));
            }
            BsonBinary old = s.uuid("t", "accounts");
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch().showExpandedEvents(true))) {
                List<Document> reply = accounts.aggregate(List.of(new Document("$match", new Document("active", true)),
                        new Document("$out", "accounts"))).into(new ArrayList<>());
                assertThat(reply).as("the driver reads the target once $out is done").extracting(d -> d.get("_id"))
                        .containsExactly(0, 2, 4);

                List<RawBsonDocument> events = next(stream, 6);
                assertThat(types(events)).containsExactly("create", "createIndexes", "insert", "insert", "insert", "rename");
                String temp = events.get(0).getDocument("ns").getString("coll").getValue();
                assertThat(temp).startsWith("tmp.agg_out.");
                assertThat(events.get(2).getDocument("ns").getString("coll").getValue()).isEqualTo(temp);
                assertThat(events.get(1).getDocument("operationDescription").getArray("indexes").get(0).asDocument()
                        .getString("name").getValue()).isEqualTo("email_1");
                RawBsonDocument rename = events.get(5);
                assertThat(rename.getDocument("ns")).isEqualTo(BsonDocument.parse("{db: 't', coll: '" + temp + "'}"));
                assertThat(rename.getDocument("to")).isEqualTo(BsonDocument.parse("{db: 't', coll: 'accounts'}"));
                assertThat(rename.getDocument("operationDescription").getBinary("dropTarget")).isEqualTo(old);
            }
            assertThat(accounts.find().into(new ArrayList<>())).extracting(d -> d.get("_id")).containsExactly(0, 2, 4);
            assertThat(accounts.listIndexes().into(new ArrayList<>())).anySatisfy(i -> {
                assertThat(i.getString("name")).isEqualTo("email_1");
                assertThat(i.getBoolean("unique")).isTrue();
            });
            assertThat(s.db("t").listCollectionNames().into(new ArrayList<>())).containsExactly("accounts");
            assertThat(s.uuid("t", "accounts")).as("the temporary collection's").isNotEqualTo(old);
        }
    }

    @Test
    void outToANewCollectionAndToAnotherDatabaseRenamesWithoutDropTargetAndGivesMissingIdsAnObjectId() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertMany(List.of(new Document("_id", 1).append("g", "x"), new Document("_id", 2).append("g", "y")));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.client.watch().showExpandedEvents(true))) {
                s.coll("t", "c").aggregate(List.of(new Document("$project", new Document("_id", 0).append("g", 1)),
                        new Document("$out", new Document("db", "u").append("coll", "groups")))).toCollection();
                List<RawBsonDocument> events = next(stream, 4);
                assertThat(types(events)).containsExactly("create", "insert", "insert", "rename");
                assertThat(events.get(3).getDocument("to")).isEqualTo(BsonDocument.parse("{db: 'u', coll: 'groups'}"));
                assertThat(events.get(3).getDocument("operationDescription").containsKey("dropTarget")).isFalse();
            }
            List<Document> groups = s.coll("u", "groups").find().into(new ArrayList<>());
            assertThat(groups).extracting(d -> d.get("g")).containsExactlyInAnyOrder("x", "y");
            assertThat(groups).allSatisfy(d -> assertThat(d.get("_id")).isInstanceOf(org.bson.types.ObjectId.class));
        }
    }

    @Test
    void outOfMoreThanOneBatchWritesEveryResult() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            String pad = "x".repeat(1000);
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                docs.add(new Document("_id", i).append("pad", pad));
            }
            s.coll("t", "big").insertMany(docs);  // 20 MB: more than one 16 MB reply
            s.run("t", "{aggregate: 'big', pipeline: [{$out: 'copy'}], cursor: {}}");
            assertThat(s.coll("t", "copy").countDocuments()).isEqualTo(20_000);
        }
    }

    @Test
    void aFailedOutLeavesTheTargetAsItWasAndAnOutNotLastOrInAViewIsRefused() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertMany(List.of(new Document("_id", 1).append("g", "x"), new Document("_id", 2).append("g", "x")));
            s.coll("t", "target").insertOne(new Document("_id", "kept"));
            // both results get the _id 'x': the second insert into the temporary collection fails
            var dup = s.fails("t", "{aggregate: 'c', pipeline: [{$project: {_id: '$g'}}, {$out: 'target'}], cursor: {}}");
            assertThat(dup.getErrorCode()).isEqualTo(11000);
            assertThat(s.coll("t", "target").find().into(new ArrayList<>())).extracting(d -> d.get("_id")).containsExactly("kept");
            assertThat(s.db("t").listCollectionNames().into(new ArrayList<>())).containsExactlyInAnyOrder("c", "target");

            assertThat(s.fails("t", "{aggregate: 'c', pipeline: [{$out: 'd'}, {$match: {}}], cursor: {}}").getErrorCode())
                    .isEqualTo(40601);
            s.run("t", "{create: 'v', viewOn: 'c', pipeline: []}");
            assertThat(s.fails("t", "{aggregate: 'c', pipeline: [{$out: 'v'}], cursor: {}}").getErrorCode()).isEqualTo(166);
            assertThat(s.coll("t", "d").countDocuments()).isZero();
        }
    }
}
