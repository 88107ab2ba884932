package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undo of updates, through the CLI: every update operator's effect is taken back field-exactly
 * (field order included), documents changed after the window are conflicts unless {@code --force},
 * {@code --filter} narrows the undo, and {@code --ops insert} removes what the window inserted.
 */
class UndoUpdatesTest {
    @TempDir
    Path tmp;

    Captured captured;
    MongoCollection<Document> family;
    Map<Object, BsonDocument> atT1;
    Map<Object, BsonDocument> beforeUndo;
    ClusterTime t1;
    ClusterTime t2;

    @BeforeEach
    void recordAWindowOfUpdates() throws Exception {
        captured = new Captured(tmp);
        family = captured.db.getCollection("family");
        List<Document> seed = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            seed.add(new Document("_id", i).append("name", "family " + i)
                    .append("plan", List.of(1, 3, 5, 8, 9, 11).contains(i) ? "premium" : "free")
                    .append("members", i % 4 + 1).append("nickname", "nick " + i)
                    .append("address", new Document("city", "Lyon").append("zip", "6900" + (i % 10)))
                    .append("tags", List.of("a", "b")).append("lastSeen", 100 + i));
        }
        family.insertMany(seed);
        captured.startCapture();
        t1 = captured.now();
        atT1 = captured.collection("family");

        // the window: one kind of update operator per document
        family.updateOne(Filters.eq("_id", 1), Updates.set("address.city", "Paris"));
        family.updateOne(Filters.eq("_id", 2), Updates.unset("nickname"));
        family.updateOne(Filters.eq("_id", 3), Updates.inc("members", 2));
        family.updateOne(Filters.eq("_id", 4), Updates.push("tags", "c"));
        family.updateOne(Filters.eq("_id", 5), Updates.pull("tags", "a"));
        family.updateOne(Filters.eq("_id", 6), Updates.rename("nickname", "alias"));
        family.updateOne(Filters.eq("_id", 7), Updates.set("plan", "premium"));
        family.updateOne(Filters.eq("_id", 7), Updates.combine(Updates.inc("members", 1), Updates.set("address.zip", "75001")));
        family.updateOne(Filters.eq("_id", 8), Updates.set("name", "renamed in the window"));
        family.deleteOne(Filters.eq("_id", 9));
        family.insertOne(new Document("_id", 100).append("name", "signed up in the window").append("plan", "premium"));
        family.insertOne(new Document("_id", 101).append("name", "signed up in the window too").append("plan", "free"));
        t2 = captured.now();

        // after the window
        family.updateOne(Filters.eq("_id", 8), Updates.set("name", "renamed again later"));
        family.updateOne(Filters.eq("_id", 10), Updates.set("members", 9));
        family.updateOne(Filters.eq("_id", 101), Updates.set("plan", "premium"));
        captured.stopCapture();
        beforeUndo = captured.collection("family");
    }

    @AfterEach
    void stop() throws Exception {
        captured.close();
    }

    @Test
    void undoesEveryKindOfUpdateOperatorFieldExactly() {
        CliRun.Result r = undo("--ops", "update", "--apply", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Document totals = Document.parse(r.out()).get("totals", Document.class);
        assertThat(totals).containsEntry("reverted", 7).containsEntry("conflict: changed later", 1);
        assertThat(totals.keySet()).containsOnly("reverted", "conflict: changed later");
        Map<Object, BsonDocument> now = captured.collection("family");
        for (int id = 1; id <= 7; id++) {
            assertThat(now.get(key(id)).toJson()).as("document %d, field order included", id)
                    .isEqualTo(atT1.get(key(id)).toJson());
        }
        assertThat(now.get(key(8))).as("changed later: left alone").isEqualTo(beforeUndo.get(key(8)));
        assertThat(now).as("a delete is not an update").doesNotContainKey(key(9));
        assertThat(now.get(key(10))).as("written only after the window").isEqualTo(beforeUndo.get(key(10)));
        assertThat(now).as("inserts are not undone with --ops update").containsKeys(key(100), key(101));
        assertThat(now.get(key(11))).isEqualTo(atT1.get(key(11)));
    }

    @Test
    void reportsADocumentChangedAfterTheWindowAsAConflictAndLeavesItAlone() {
        CliRun.Result dry = undo("--ops", "update", "--json");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        Document plan = Document.parse(dry.out());
        assertThat(plan.get("totals", Document.class)).containsEntry("conflict: changed later", 1);
        List<Document> conflicts = plan.getList("samples", Document.class).stream()
                .filter(s -> "conflict: changed later".equals(s.getString("outcome"))).toList();
        assertThat(conflicts).singleElement().satisfies(s -> {
            assertThat(s.get("_id")).isEqualTo(8);
            assertThat(s.getString("ns")).isEqualTo("famigo.family");
            assertThat(s.getString("detail")).isEqualTo("changed after the window");
        });
        assertThat(captured.collection("family")).as("a dry run writes nothing").isEqualTo(beforeUndo);

        CliRun.Result text = undo("--ops", "update");
        assertThat(text.out()).contains("conflict: changed later (1)").contains("famigo.family _id 8  changed after the window");

        assertThat(undo("--ops", "update", "--apply").exitCode()).isZero();
        assertThat(captured.collection("family").get(key(8))).isEqualTo(beforeUndo.get(key(8)));
    }

    @Test
    void forceRevertsADocumentChangedAfterTheWindow() {
        CliRun.Result r = undo("--ops", "update", "--force", "--apply", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Document.parse(r.out()).get("totals", Document.class)).containsEntry("reverted", 8)
                .doesNotContainKey("conflict: changed later");
        Map<Object, BsonDocument> now = captured.collection("family");
        for (int id = 1; id <= 8; id++) {
            assertThat(now.get(key(id)).toJson()).as("document %d", id).isEqualTo(atT1.get(key(id)).toJson());
        }
        assertThat(now.get(key(10))).as("--force reaches only documents the window touched").isEqualTo(beforeUndo.get(key(10)));
    }

    @Test
    void filterRestrictsTheUndoToDocumentsThatMatchedAtTheStartOfTheWindow() {
        CliRun.Result r = undo("--ops", "update", "--filter", "{\"plan\":\"premium\"}", "--apply", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Document.parse(r.out()).get("totals", Document.class)).containsEntry("reverted", 3)
                .containsEntry("conflict: changed later", 1);
        Map<Object, BsonDocument> now = captured.collection("family");
        for (int id : new int[] {1, 3, 5}) {
            assertThat(now.get(key(id)).toJson()).as("premium document %d", id).isEqualTo(atT1.get(key(id)).toJson());
        }
        for (int id : new int[] {2, 4, 6, 7}) {
            assertThat(now.get(key(id))).as("free at T1, document %d", id).isEqualTo(beforeUndo.get(key(id)));
        }
    }

    @Test
    void opsInsertRemovesDocumentsInsertedInTheWindowUnlessChangedSince() {
        CliRun.Result r = undo("--ops", "insert", "--apply", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Document totals = Document.parse(r.out()).get("totals", Document.class);
        assertThat(totals).containsEntry("removed", 1).containsEntry("conflict: changed later", 1);
        assertThat(totals.keySet()).containsOnly("removed", "conflict: changed later");
        Map<Object, BsonDocument> now = captured.collection("family");
        assertThat(now).doesNotContainKey(key(100));
        assertThat(now.get(key(101))).as("changed since: kept").isEqualTo(beforeUndo.get(key(101)));
        beforeUndo.remove(key(100));
        assertThat(now).as("nothing else moves").isEqualTo(beforeUndo);
    }

    private CliRun.Result undo(String... args) {
        List<String> all = new ArrayList<>(List.of("--ns", "famigo.family", "--from", t1.toString(), "--to", t2.toString()));
        all.addAll(List.of(args));
        return captured.undo(all.toArray(String[]::new));
    }

    private static Object key(int id) {
        return new BsonInt32(id);
    }
}
