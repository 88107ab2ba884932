package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A query cursor returns documents inserted after its {@code find} where mongod's plan reaches them
 * (MongoDB manual, "Cursors", "Cursor Isolation": a cursor's reads are not isolated from concurrent
 * writes). A scan of the {@code _id} index saves the key it stands at and seeks back to it after
 * each yield (mongod's src/mongo/db/exec/index_scan.cpp, {@code doRestoreStateRequiresIndex}), so
 * it returns a document inserted ahead of that key and never one behind it. A collection scan reads
 * in record order, and WiredTiger gives each new document a record after every other one
 * (src/mongo/db/storage/wiredtiger/wiredtiger_record_store.cpp, {@code _nextId}), so a natural-order
 * scan returns whatever is inserted before it ends — a document deleted and inserted again, at its
 * new place. Before, the sandbox's cursors returned only what the {@code find} had matched, so a
 * snapshot never held a document inserted during its scan, which a real server's snapshot often does.
 */
class CursorReadsOnTest {
    @Test
    void aScanInIdOrderReturnsWhatIsInsertedAheadOfItAndNothingBehind() {
        List<Document> read = readAround(c -> c.find().sort(new Document("_id", 1)), c -> {
            c.insertOne(new Document("_id", 3));          // behind: the scan stands at 1998
            c.insertOne(new Document("_id", 2501));       // ahead
            c.insertOne(new Document("_id", 7001));       // past the last document
            c.deleteOne(Filters.eq("_id", 4000));
            c.insertOne(new Document("_id", 4000).append("again", true));   // ahead, deleted and inserted: once
        });
        List<Integer> ids = ids(read);
        assertThat(ids).isSorted().doesNotContain(3).contains(2501, 7001).hasSize(3002);
        assertThat(read).filteredOn(d -> d.getInteger("_id") == 4000).containsExactly(new Document("_id", 4000).append("again", true));
    }

    @Test
    void aDescendingScanReadsOnDownwards() {
        List<Integer> ids = ids(readAround(c -> c.find().sort(new Document("_id", -1)), c -> {
            c.insertOne(new Document("_id", 5999));       // behind: the scan stands at 4000
            c.insertOne(new Document("_id", 1));          // ahead
        }));
        assertThat(ids).isSortedAccordingTo((a, b) -> b - a).doesNotContain(5999).contains(1).hasSize(3001);
    }

    @Test
    void aScanHintedToTheIdIndexReadsInItsOrder() {
        List<Integer> ids = ids(readAround(c -> c.find().hint(new Document("_id", 1)), c -> c.insertOne(new Document("_id", 2001))));
        assertThat(ids).isSorted().contains(2001).hasSize(3001);
    }

    @Test
    void aNaturalOrderScanReturnsEveryLaterInsertAtTheEnd() {
        List<Document> read = readAround(MongoCollection::find, c -> {
            c.insertOne(new Document("_id", -5));
            c.deleteOne(Filters.eq("_id", 10));           // already read: its new record is read again
            c.insertOne(new Document("_id", 10).append("again", true));
            c.deleteOne(Filters.eq("_id", 4000));         // not read yet: read once, at its new place
            c.insertOne(new Document("_id", 4000).append("again", true));
        });
        List<Integer> ids = ids(read);
        assertThat(ids).hasSize(3002);
        assertThat(ids.subList(0, 2999)).isSorted().doesNotContain(4000, -5);
        assertThat(ids.subList(2999, 3002)).containsExactly(-5, 10, 4000);
        assertThat(read.get(3001)).isEqualTo(new Document("_id", 4000).append("again", true));
    }

    /**
     * A limit counts what the cursor returns (mongod's limit stage over its scan): a document
     * inserted ahead takes a place, one deleted before it was reached leaves room for the next.
     */
    @Test
    void aLimitCountsWhatTheCursorReturns() {
        List<Integer> limited = ids(readAround(c -> c.find().sort(new Document("_id", 1)).limit(2500), c -> {
            c.insertOne(new Document("_id", 2001));
            c.deleteOne(Filters.eq("_id", 2600));
        }));
        assertThat(limited).hasSize(2500).isSorted().contains(2001).doesNotContain(2600);
        assertThat(limited.get(2499)).isEqualTo(4998);
        List<Integer> single = ids(readAround(c -> c.find().sort(new Document("_id", 1)).limit(-1200), c -> { }));
        assertThat(single).as("a negative limit: one batch of that many").hasSize(1200).isSorted();
    }

    @Test
    void aSortOnAnotherFieldFixesTheDocumentsAtTheFind() {
        List<Integer> sorted = ids(readAround(c -> c.find().sort(new Document("v", 1)),
                c -> c.insertOne(new Document("_id", 2001).append("v", 1))));
        assertThat(sorted).hasSize(3000).doesNotContain(2001);
    }

    /**
     * The documents {@code query} returns from 3,000 documents with even {@code _id}s 0 … 5998,
     * with {@code writes} made after the first batch of 1,000 was read.
     */
    private static List<Document> readAround(java.util.function.Function<MongoCollection<Document>, FindIterable<Document>> query,
                                             Consumer<MongoCollection<Document>> writes) {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> c = client.getDatabase("app").getCollection("docs");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                docs.add(new Document("_id", 2 * i).append("v", 0));
            }
            c.insertMany(docs);
            List<Document> read = new ArrayList<>();
            try (MongoCursor<Document> cursor = query.apply(c).batchSize(1000).iterator()) {
                for (int i = 0; i < 1000; i++) {
                    read.add(cursor.next());
                }
                writes.accept(c);
                cursor.forEachRemaining(read::add);
            }
            return read;
        }
    }

    private static List<Integer> ids(List<Document> docs) {
        return docs.stream().map(d -> d.getInteger("_id")).toList();
    }
}
