package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/**
 * The TTL monitor (manual, "TTL Indexes": "a background thread in mongod reads the values in the
 * index and removes expired documents"; "If the indexed field in a document is not a date or an
 * array that holds one or more date values, the document will not expire"; "If the field is an
 * array, and there are multiple date values in the index, MongoDB uses lowest (earliest) date value
 * in the array to calculate the expiration threshold"; it "runs every 60 seconds",
 * ttlMonitorSleepSecs). Its removals are ordinary deletes in the change stream.
 */
class TtlMonitorTest {
    @Test
    void expiredDocumentsAreDeletedAsDeleteEventsAndOthersStay() {
        try (Server s = Server.start(SandboxOptions.defaults().ttlMonitorSleep(Duration.ofMillis(200)))) {
            MongoCollection<Document> sessions = s.coll("t", "sessions");
            sessions.createIndex(Indexes.ascending("createdAt"), new IndexOptions().expireAfter(3600L, TimeUnit.SECONDS));
            s.coll("t", "plain").createIndex(Indexes.ascending("createdAt"));
            Date old = Date.from(Instant.now().minusSeconds(7200));
            Date recent = new Date();
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch())) {
                sessions.insertMany(List.of(new Document("_id", 1).append("createdAt", old),
                        new Document("_id", 2).append("createdAt", old),
                        new Document("_id", 3).append("createdAt", recent),
                        new Document("_id", 4).append("createdAt", "two hours ago"),
                        new Document("_id", 5).append("createdAt", List.of(recent, old)),
                        new Document("_id", 6)));
                s.coll("t", "plain").insertOne(new Document("_id", 1).append("createdAt", old));
                List<RawBsonDocument> events = next(stream, 10);
                assertThat(types(events)).containsExactly("insert", "insert", "insert", "insert", "insert", "insert", "insert",
                        "delete", "delete", "delete");
                assertThat(events.subList(7, 10)).extracting(e -> e.getDocument("documentKey").getInt32("_id").getValue())
                        .containsExactlyInAnyOrder(1, 2, 5);
            }
            assertThat(sessions.find().into(new ArrayList<>())).extracting(d -> d.get("_id")).containsExactlyInAnyOrder(3, 4, 6);
            assertThat(s.coll("t", "plain").countDocuments()).as("no TTL index there").isOne();
        }
    }

    /**
     * collMod of an index's expireAfterSeconds (manual, "collMod": "Change an Index's expireAfterSeconds";
     * manual, "Change Events", modify: operationDescription.index, stateBeforeChange.indexOptions).
     */
    @Test
    void collModChangesATtlAndTheModifyEventSaysFromWhatToWhat() {
        try (Server s = Server.start(SandboxOptions.defaults().ttlMonitorSleep(Duration.ofMillis(200)))) {
            MongoCollection<Document> sessions = s.coll("t", "sessions");
            sessions.createIndex(Indexes.ascending("createdAt"), new IndexOptions().expireAfter(60L, TimeUnit.SECONDS));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch().showExpandedEvents(true))) {
                Document reply = s.run("t", "{collMod: 'sessions', index: {keyPattern: {createdAt: 1}, expireAfterSeconds: 86400}}");
                assertThat(reply.get("expireAfterSeconds_old", Number.class).longValue()).isEqualTo(60);
                assertThat(reply.get("expireAfterSeconds_new", Number.class).longValue()).isEqualTo(86400);
                RawBsonDocument modify = next(stream);
                assertThat(modify.getString("operationType").getValue()).isEqualTo("modify");
                assertThat(modify.getDocument("operationDescription")).isEqualTo(org.bson.BsonDocument.parse(
                        "{index: {name: 'createdAt_1', expireAfterSeconds: {$numberLong: '86400'}}}"));
                assertThat(modify.getDocument("stateBeforeChange").getDocument("indexOptions").get("expireAfterSeconds").asNumber()
                        .longValue()).isEqualTo(60);
            }
            sessions.insertOne(new Document("_id", 1).append("createdAt", Date.from(Instant.now().minusSeconds(3600))));
            assertThat(sessions.listIndexes().into(new ArrayList<>())).filteredOn(i -> "createdAt_1".equals(i.getString("name")))
                    .singleElement().satisfies(i -> assertThat(i.get("expireAfterSeconds", Number.class).longValue()).isEqualTo(86400));
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(sessions.countDocuments()).as("an hour old, a day to live").isOne();
            assertThat(s.fails("t", "{collMod: 'sessions', index: {name: 'nope', expireAfterSeconds: 5}}").getErrorCode()).isEqualTo(27);
            assertThat(s.fails("t", "{collMod: 'sessions', index: {name: 'createdAt_1', hidden: true}}").getErrorCode()).isEqualTo(115);
        }
    }
}
