package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
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
}
