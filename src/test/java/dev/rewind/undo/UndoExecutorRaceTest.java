package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's bulk writes keep the per-document guarantee: a write is made only where the live
 * document is still what the plan saw, so a change that lands between the plan and the write
 * (here made on purpose before the executor runs) becomes a conflict and is left as it is, while
 * every other document of the same bulk write is written; every planned write is journaled first.
 * Batches of more than one bulk write (UndoExecutor.BATCH) and two collections are covered; so is
 * a revert of the journal, which leaves a document changed since the undo as a conflict.
 */
class UndoExecutorRaceTest {
    @TempDir
    Path tmp;

    @Test
    void aRaceInsideABulkWriteBecomesAConflictAndTheRestIsWritten() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<BsonDocument> a = client.getDatabase("app").getCollection("a", BsonDocument.class);
            MongoCollection<BsonDocument> b = client.getDatabase("app").getCollection("b", BsonDocument.class);
            int n = UndoExecutor.BATCH + 100;
            List<DocumentUndo> plan = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // a: deleted by the accident, to be inserted again; b: updated, to be reverted; every third of b: inserted, to be removed
                plan.add(new DocumentUndo("app.a", new BsonInt32(i), Outcome.RESTORED, doc(i, "original"), null, null, null));
                BsonDocument live = doc(i, "accident");
                b.insertOne(live.clone());
                if (i % 3 == 0) {
                    plan.add(new DocumentUndo("app.b", new BsonInt32(i), Outcome.REMOVED, null, live, null, null));
                } else {
                    plan.add(new DocumentUndo("app.b", new BsonInt32(i), Outcome.REVERTED, doc(i, "original"), live, null, null));
                }
            }
            // races: someone inserted a.7 and a.598, changed b.10 (a revert) and b.9 and b.597 (removals) after the plan was made
            a.insertOne(doc(7, "someone else"));
            a.insertOne(doc(598, "someone else"));
            b.replaceOne(new BsonDocument("_id", new BsonInt32(10)), doc(10, "written since"));
            b.replaceOne(new BsonDocument("_id", new BsonInt32(9)), doc(9, "written since"));
            b.replaceOne(new BsonDocument("_id", new BsonInt32(597)), doc(597, "written since"));

            LocalStore store = new LocalStore(tmp);
            Journal journal = Journal.start(store, new Document("command", "test"));
            UndoExecutor executor = new UndoExecutor(client, journal);
            List<DocumentUndo> raced = executor.apply(plan);

            assertThat(raced).extracting(d -> d.ns() + " " + d.id().asInt32().getValue())
                    .containsExactlyInAnyOrder("app.a 7", "app.a 598", "app.b 10", "app.b 9", "app.b 597");
            assertThat(executor.raced()).isEqualTo(5);
            assertThat(executor.written().get(Outcome.RESTORED)).isEqualTo(n - 2);
            long removals = (n + 2) / 3;
            assertThat(executor.written().get(Outcome.REMOVED)).isEqualTo(removals - 2);
            assertThat(executor.written().get(Outcome.REVERTED)).isEqualTo(n - removals - 1);

            // the racing writes are untouched, everything else is as planned
            for (int i = 0; i < n; i++) {
                BsonDocument ai = a.find(new BsonDocument("_id", new BsonInt32(i))).first();
                BsonDocument bi = b.find(new BsonDocument("_id", new BsonInt32(i))).first();
                assertThat(ai).as("a.%d", i).isEqualTo(i == 7 || i == 598 ? doc(i, "someone else") : doc(i, "original"));
                if (i == 10 || i == 9 || i == 597) {
                    assertThat(bi).as("b.%d", i).isEqualTo(doc(i, "written since"));
                } else if (i % 3 == 0) {
                    assertThat(bi).as("b.%d", i).isNull();
                } else {
                    assertThat(bi).as("b.%d", i).isEqualTo(doc(i, "original"));
                }
            }
            // journaled before writing: every planned write, raced or not, is in the journal
            assertThat(Journal.read(store, journal.id())).hasSize(plan.size());

            // revert: each document goes back to what undo found, unless it changed since the undo (b.20); one
            // already as undo found it (a.30, deleted again) is left alone; the raced ones never were undo's
            b.replaceOne(new BsonDocument("_id", new BsonInt32(20)), doc(20, "written after the undo"));
            a.deleteOne(new BsonDocument("_id", new BsonInt32(30)));
            List<Journal.Entry> entries = Journal.read(store, journal.id());
            Journal revertJournal = Journal.start(store, new Document("command", "revert"));
            List<Journal.Entry> conflicts = new ArrayList<>();
            long reverted = new UndoExecutor(client, revertJournal).revert(entries, conflicts);
            assertThat(conflicts).extracting(e -> e.ns() + " " + e.id().asInt32().getValue())
                    .containsExactlyInAnyOrder("app.b 20", "app.a 7", "app.a 598", "app.b 10", "app.b 9", "app.b 597");
            assertThat(reverted).as("everything undo wrote but the two changed since").isEqualTo(plan.size() - 5 - 2);
            assertThat(a.find(new BsonDocument("_id", new BsonInt32(30))).first()).isNull();
            assertThat(a.countDocuments()).isEqualTo(2);  // the two inserted by someone else stay
            assertThat(b.find(new BsonDocument("_id", new BsonInt32(20))).first()).isEqualTo(doc(20, "written after the undo"));
            assertThat(b.find(new BsonDocument("_id", new BsonInt32(11))).first()).isEqualTo(doc(11, "accident"));
            assertThat(b.find(new BsonDocument("_id", new BsonInt32(12))).first()).isEqualTo(doc(12, "accident"));
            assertThat(Journal.read(store, revertJournal.id())).hasSize(entries.size());
        }
    }

    private static BsonDocument doc(int id, String state) {
        return new BsonDocument("_id", new BsonInt32(id)).append("state", new BsonString(state))
                .append("nested", new BsonDocument("n", new BsonInt32(id)));
    }
}
