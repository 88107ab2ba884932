package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A query cursor reads batch by batch, each document as it is when its batch is read (MongoDB
 * manual, "Cursor Isolation": reads are not isolated from concurrent writes; a cursor may return a
 * document changed since the query began, or not return one deleted). The sandbox's cursors look up
 * each document of a batch by {@code _id}, so that reading a batch costs the batch, not the
 * collection.
 */
class QueryCursorTest {
    @Test
    void laterBatchesSeeWritesMadeAfterTheQueryBegan() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> c = client.getDatabase("app").getCollection("docs");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                docs.add(new Document("_id", i).append("v", 0));
            }
            c.insertMany(docs);
            List<Document> all = new ArrayList<>();
            List<Document> matching = new ArrayList<>();
            try (MongoCursor<Document> every = c.find().sort(new Document("_id", 1)).batchSize(1000).iterator();
                 MongoCursor<Document> zeros = c.find(Filters.eq("v", 0)).sort(new Document("_id", 1)).batchSize(1000).iterator()) {
                for (int i = 0; i < 1000; i++) {
                    all.add(every.next());
                    matching.add(zeros.next());
                }
                c.updateOne(Filters.eq("_id", 10), Updates.set("v", 1));     // already read: stays as read
                c.updateOne(Filters.eq("_id", 2500), Updates.set("v", 1));   // not yet read: read changed
                c.deleteOne(Filters.eq("_id", 2600));                       // not yet read: not returned
                every.forEachRemaining(all::add);
                zeros.forEachRemaining(matching::add);
            }
            assertThat(all).hasSize(2999);
            assertThat(all.get(10)).isEqualTo(new Document("_id", 10).append("v", 0));
            assertThat(all).contains(new Document("_id", 2500).append("v", 1))
                    .doesNotContain(new Document("_id", 2600).append("v", 0));
            assertThat(all).extracting(d -> d.getInteger("_id")).isSorted();
            assertThat(matching).as("a document that no longer matches when its batch is read is skipped").hasSize(2998)
                    .noneMatch(d -> d.getInteger("_id") == 2500 || d.getInteger("_id") == 2600);
        }
    }

    /**
     * A getMore without batchSize has no count limit, only the 16 MiB of a batch (MongoDB manual,
     * "Cursors", "Cursor Batches": getMore "operations issued against the resulting cursor have no
     * default batch size, so they are limited only by the 16 mebibyte message size"); a document
     * goes in a batch only if it fits, and a batch always holds at least one (mongod's
     * {@code FindCommon::haveSpaceForNext}).
     */
    @Test
    void aGetMoreWithoutBatchSizeFillsSixteenMebibytes() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase db = bigAndSmall(client);

            assertThat(batchSizes(db, "big", null)).containsExactly(1, 16, 16, 7);
            assertThat(batchSizes(db, "big", new Document("s", 1))).as("projected").containsExactly(1, 16, 16, 7);
            assertThat(batchSizes(db, "small", null)).as("no count limit").containsExactly(1, 2999);
            Document empty = db.runCommand(new Document("find", "small").append("batchSize", 0)).get("cursor", Document.class);
            assertThat(empty.getList("firstBatch", Document.class)).as("batchSize 0: a cursor, no documents yet").isEmpty();
            Document rest = db.runCommand(new Document("getMore", empty.getLong("id")).append("collection", "small"))
                    .get("cursor", Document.class);
            assertThat(rest.getList("nextBatch", Document.class)).hasSize(3000);

            // without _id a projected batch cannot say where it stopped: it may pass 16 MiB, but loses nothing
            Document cursor = db.runCommand(new Document("find", "big").append("sort", new Document("_id", 1))
                    .append("projection", new Document("_id", 0)).append("batchSize", 1)).get("cursor", Document.class);
            int seen = cursor.getList("firstBatch", Document.class).size();
            while (cursor.getLong("id") != 0) {
                cursor = db.runCommand(new Document("getMore", cursor.getLong("id")).append("collection", "big"))
                        .get("cursor", Document.class);
                seen += cursor.getList("nextBatch", Document.class).size();
            }
            assertThat(seen).isEqualTo(40);

            // find's singleBatch "determines whether to close the cursor after the first batch" (manual, "find")
            Document single = db.runCommand(new Document("find", "big").append("sort", new Document("_id", 1))
                    .append("singleBatch", true)).get("cursor", Document.class);
            assertThat(single.getList("firstBatch", Document.class)).hasSize(16);
            assertThat(single.getLong("id")).isZero();
        }
    }

    @Test
    void aggregationCursorsKeepToSixteenMebibytesAndFillThem() {
        // "Cursor Batches" (manual): no batch past 16 MiB, and a getMore without batchSize fills it;
        // "find": with batchSize 0 "the cursor will be established", even when nothing matches
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase db = bigAndSmall(client);

            assertThat(aggregateBatchSizes(db, "big", 1)).containsExactly(1, 16, 16, 7);
            assertThat(aggregateBatchSizes(db, "big", 101)).as("the default first batch, cut at 16 MiB").containsExactly(16, 16, 8);
            assertThat(aggregateBatchSizes(db, "small", 1)).as("no count limit").containsExactly(1, 2999);
            try (MongoCursor<Document> all = db.getCollection("big").aggregate(List.of(new Document("$sort", new Document("_id", 1))))
                    .iterator()) {
                int n = 0;
                while (all.hasNext()) {
                    assertThat(all.next().getInteger("_id")).isEqualTo(n++);
                }
                assertThat(n).as("through the driver").isEqualTo(40);
            }
            Document waiting = db.runCommand(new Document("aggregate", "big").append("pipeline", List.of())
                    .append("cursor", new Document("batchSize", 101))).get("cursor", Document.class);
            Document killed = db.runCommand(new Document("killCursors", "big").append("cursors", List.of(waiting.getLong("id"))));
            assertThat(killed.getList("cursorsKilled", Long.class)).containsExactly(waiting.getLong("id"));
            assertThat(db.getCollection("big").find().batchSize(2).into(new ArrayList<>())).hasSize(40);

            Document none = db.runCommand(new Document("find", "small").append("filter", new Document("_id", -1))
                    .append("batchSize", 0)).get("cursor", Document.class);
            assertThat(none.getLong("id")).as("batchSize 0 on no match: a cursor").isNotZero();
            Document end = db.runCommand(new Document("getMore", none.getLong("id")).append("collection", "small"))
                    .get("cursor", Document.class);
            assertThat(end.getList("nextBatch", Document.class)).isEmpty();
            assertThat(end.getLong("id")).isZero();
            // a missing collection's plan is at its end from the start, and mongod keeps a cursor only
            // when its plan is not (src/mongo/db/query/find.cpp, shouldSaveCursor: "return !exec->isEOF()")
            Document missing = db.runCommand(new Document("find", "nothing").append("batchSize", 0)).get("cursor", Document.class);
            assertThat(missing.getLong("id")).as("batchSize 0 on a missing collection: no cursor").isZero();
            assertThat(missing.getList("firstBatch", Document.class)).isEmpty();
        }
    }

    /** 40 documents of 1 MB in "big", 3,000 small ones in "small", with _ids 0, 1, 2, … */
    private static MongoDatabase bigAndSmall(MongoClient client) {
        MongoDatabase db = client.getDatabase("app");
        String mb = "x".repeat(1_000_000);
        for (int i = 0; i < 40; i++) {
            db.getCollection("big").insertOne(new Document("_id", i).append("s", mb));
        }
        List<Document> small = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            small.add(new Document("_id", i));
        }
        db.getCollection("small").insertMany(small);
        return db;
    }

    /** The sizes of the batches of a find with batchSize 1 and then getMores without one. */
    private static List<Integer> batchSizes(MongoDatabase db, String coll, Document projection) {
        Document find = new Document("find", coll).append("sort", new Document("_id", 1)).append("batchSize", 1);
        if (projection != null) {
            find.append("projection", projection);
        }
        return cursorBatchSizes(db, coll, find);
    }

    /** The sizes of the batches of an aggregation sorted by _id, with a first batchSize and then getMores without one. */
    private static List<Integer> aggregateBatchSizes(MongoDatabase db, String coll, int first) {
        return cursorBatchSizes(db, coll, new Document("aggregate", coll).append("pipeline", List.of(new Document("$sort",
                new Document("_id", 1)))).append("cursor", new Document("batchSize", first)));
    }

    /** The sizes of the batches of the command's cursor and the getMores without batchSize after it; the _ids must run 0, 1, 2, … */
    private static List<Integer> cursorBatchSizes(MongoDatabase db, String coll, Document command) {
        Document cursor = db.runCommand(command).get("cursor", Document.class);
        List<Integer> sizes = new ArrayList<>();
        int next = 0;
        String batchName = "firstBatch";
        while (true) {
            List<Document> batch = cursor.getList(batchName, Document.class);
            for (Document d : batch) {
                assertThat(d.getInteger("_id")).isEqualTo(next++);
            }
            sizes.add(batch.size());
            if (cursor.getLong("id") == 0) {
                return sizes;
            }
            cursor = db.runCommand(new Document("getMore", cursor.getLong("id")).append("collection", coll))
                    .get("cursor", Document.class);
            batchName = "nextBatch";
        }
    }
}
