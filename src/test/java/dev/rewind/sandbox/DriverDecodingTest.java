package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.OperationType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java driver's own ChangeStreamDocument codec decodes every event the sandbox sends, with the
 * values a real server's events give it (mongo-java-driver ChangeStreamDocument: operationType,
 * namespace, destinationNamespace, documentKey, updateDescription, txnNumber, lsid, wallTime,
 * collectionUUID via extraElements, operationDescription ... as the manual's Change Events pages
 * define them).
 */
class DriverDecodingTest {

    private static ChangeStreamDocument<Document> next(MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            ChangeStreamDocument<Document> e = cursor.tryNext();
            if (e != null) {
                return e;
            }
        }
        throw new AssertionError("no event");
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void everyEventDecodes(MongoRelease release) {
        try (Server s = Server.start(release); var session = s.client.startSession()) {
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor = s.db("t").watch()
                    .showExpandedEvents(true).maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor()) {
                var coll = s.coll("t", "c");
                coll.insertOne(new Document("_id", 1).append("a", 1));
                coll.updateOne(Filters.eq("_id", 1), Updates.set("a", 2));
                coll.replaceOne(Filters.eq("_id", 1), new Document("b", 1));
                session.withTransaction(() -> coll.deleteOne(session, Filters.eq("_id", 1)));
                coll.createIndex(Indexes.ascending("b"));
                coll.dropIndex("b_1");
                s.run("t", "{collMod: 'c', changeStreamPreAndPostImages: {enabled: true}}");
                coll.renameCollection(new MongoNamespace("t", "d"));
                s.coll("t", "d").drop();
                s.db("t").drop();
                List<ChangeStreamDocument<Document>> events = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    events.add(next(cursor));
                }
                assertThat(events.stream().map(ChangeStreamDocument::getOperationTypeString).toList()).containsExactly(
                        "create", "insert", "update", "replace", "delete", "createIndexes", "dropIndexes", "modify",
                        "rename", "drop", "dropDatabase", "invalidate");
                assertThat(events.get(5).getOperationType()).as("DDL types the driver has no constant for").isEqualTo(OperationType.OTHER);
                assertThat(events.get(1).getFullDocument()).isEqualTo(new Document("_id", 1).append("a", 1));
                assertThat(events.get(1).getNamespace()).isEqualTo(new MongoNamespace("t", "c"));
                assertThat(events.get(2).getUpdateDescription().getUpdatedFields().getInt32("a").getValue()).isEqualTo(2);
                assertThat(events.get(4).getLsid()).isNotNull();
                assertThat(events.get(4).getTxnNumber()).isNotNull();
                assertThat(events.get(5).getNamespace()).isEqualTo(new MongoNamespace("t", "c"));
                assertThat(events.get(8).getDestinationNamespace()).isEqualTo(new MongoNamespace("t", "d"));
                assertThat(events.get(10).getDatabaseName()).isEqualTo("t");
                for (ChangeStreamDocument<Document> e : events) {
                    assertThat(e.getWallTime()).as(e.toString()).isNotNull();
                    assertThat(e.getClusterTime()).isNotNull();
                }
            }
        }
    }
}
