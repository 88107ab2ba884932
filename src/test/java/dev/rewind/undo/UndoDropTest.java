package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undo of a dropped collection ({@code --ops drop}): every document the collection held at T1 comes
 * back with its {@code _id}, beside what the application wrote to the name since the drop (a drop
 * event ends the collection: MongoDB manual, "Change Events", drop; a later insert creates a new,
 * plain collection). A {@code dropDatabase} is a drop of each of its collections first (manual,
 * "dropDatabase" change event: "generates a drop event for each collection in the database before
 * generating a dropDatabase event").
 */
class UndoDropTest {
    @TempDir
    Path tmp;

    @Test
    void aDroppedCollectionComesBackBesideWhatWasWrittenSinceWithItsUniqueIndexAndConflictsReported() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            MongoCollection<Document> accounts = captured.db.getCollection("accounts");
            accounts.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            List<Document> seed = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                seed.add(new Document("_id", i).append("email", "a" + i + "@example.org").append("n", i));
            }
            accounts.insertMany(seed);
            captured.startCapture();
            accounts.updateOne(Filters.eq("_id", 1), Updates.set("n", "before the window"));
            ClusterTime t1 = captured.now();
            accounts.deleteOne(Filters.eq("_id", 3));
            accounts.drop();
            // the application goes on: its inserts create a plain collection under the same name
            accounts.insertOne(new Document("_id", 1000).append("email", "new@example.org"));
            accounts.insertOne(new Document("_id", 7).append("email", "seven-again@example.org").append("n", "written since"));
            accounts.insertOne(new Document("_id", 2000).append("email", "a9@example.org").append("n", "took the e-mail of 9"));
            ClusterTime t2 = captured.now();
            captured.stopCapture();
            Map<String, Map<Object, String>> beforeUndo = captured.everything();

            // diff across the drop: every document not written again is removed, and counts as touched
            CliRun.Result diff = CliRun.run("diff", "--repo", captured.repo, "--ns", "famigo.accounts", "--at", t1.toString(),
                    "--to", t2.toString(), "--json");
            assertThat(diff.exitCode()).as("%s", diff).isZero();
            Document d = Document.parse(diff.out());
            assertThat(d.get("removed", Document.class).get("count", Number.class).longValue()).as(diff.out()).isEqualTo(299);
            assertThat(d.get("added", Document.class).get("count", Number.class).longValue()).as(diff.out()).isEqualTo(2);
            assertThat(d.get("changed", Document.class).get("count", Number.class).longValue()).as("_id 7").isEqualTo(1);
            assertThat(d.get("touched", Number.class).longValue()).as(diff.out()).isEqualTo(302);

            CliRun.Result dry = captured.undo("--ns", "famigo.accounts", "--from", t1.toString(), "--to", t2.toString(),
                    "--ops", "delete,drop", "--json");
            assertThat(dry.exitCode()).as("%s", dry).isZero();
            Document plan = Document.parse(dry.out());
            assertThat(plan.get("totals", Document.class)).containsEntry("restored", 298)
                    .containsEntry("conflict: changed later", 1).containsEntry("conflict: unique key", 1);
            assertThat(plan.getList("collections", String.class)).singleElement().asString()
                    .contains("famigo.accounts", "written to since", "would get back 1 index (email_1)");
            assertThat(captured.everything()).as("a dry run writes nothing").isEqualTo(beforeUndo);

            CliRun.Result applied = captured.undo("--ns", "famigo.accounts", "--from", t1.toString(), "--to", t2.toString(),
                    "--ops", "delete,drop", "--apply");
            assertThat(applied.exitCode()).as("%s", applied).isZero();
            assertThat(applied.out()).contains("298 restored", "got back the index email_1", "now held by _id 2000");
            Map<Object, BsonDocument> now = captured.collection("accounts");
            assertThat(now).hasSize(301);
            assertThat(now.get(new BsonInt32(1))).as("its state at T1").isEqualTo(
                    BsonDocument.parse("{_id: 1, email: 'a1@example.org', n: 'before the window'}"));
            assertThat(now.get(new BsonInt32(3))).as("deleted in the window, then dropped").isEqualTo(
                    BsonDocument.parse("{_id: 3, email: 'a3@example.org', n: 3}"));
            assertThat(now.get(new BsonInt32(7)).getString("n").getValue()).as("written since: kept").isEqualTo("written since");
            assertThat(now).doesNotContainKey(new BsonInt32(9));
            assertThat(now).containsKeys(new BsonInt32(1000), new BsonInt32(2000));
            List<Document> indexes = accounts.listIndexes().into(new ArrayList<>());
            assertThat(indexes).anySatisfy(i -> {
                assertThat(i.getString("name")).isEqualTo("email_1");
                assertThat(i.getBoolean("unique")).isTrue();
            });

            CliRun.Result again = captured.undo("--ns", "famigo.accounts", "--from", t1.toString(), "--to", t2.toString(),
                    "--ops", "delete,drop", "--apply", "--json");
            assertThat(Document.parse(again.out()).get("totals", Document.class)).as("a rerun changes nothing twice")
                    .containsEntry("unchanged", 298).doesNotContainKey("restored");

            java.util.regex.Matcher m = java.util.regex.Pattern.compile("journal (\\S+); take it back").matcher(applied.out());
            assertThat(m.find()).as(applied.out()).isTrue();
            String journal = m.group(1);
            CliRun.Result revert = captured.undo("--revert", journal, "--apply");
            assertThat(revert.exitCode()).as("%s", revert).isZero();
            assertThat(captured.collection("accounts").keySet()).as("the revert takes back the documents, not the writes since: %s", revert)
                    .containsExactlyInAnyOrder(new BsonInt32(1000), new BsonInt32(7), new BsonInt32(2000));
        }
    }

    @Test
    void aCollectionCreatedAfterTheSnapshotComesBackFromTheLogAloneAndOneCreatedInTheWindowDoesNot() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            captured.db.getCollection("seed").insertOne(new Document("_id", 0));
            captured.startCapture();
            MongoCollection<Document> late = captured.db.getCollection("late");
            for (int i = 0; i < 50; i++) {
                late.insertOne(new Document("_id", i).append("v", i));
            }
            late.updateOne(Filters.eq("_id", 0), Updates.set("v", "updated before the window"));
            ClusterTime t1 = captured.now();
            MongoCollection<Document> brief = captured.db.getCollection("brief");
            brief.insertOne(new Document("_id", "made and dropped in the window"));
            brief.drop();
            late.drop();
            ClusterTime t2 = captured.now();
            captured.stopCapture();

            CliRun.Result r = captured.undo("--ns", "famigo.*", "--from", t1.toString(), "--to", t2.toString(),
                    "--ops", "drop", "--apply", "--json");

            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(Document.parse(r.out()).get("totals", Document.class)).containsEntry("restored", 50);
            assertThat(captured.db.listCollectionNames()).as("nothing of 'brief' existed at T1").containsExactlyInAnyOrder("seed", "late");
            Map<Object, BsonDocument> now = captured.collection("late");
            assertThat(now).hasSize(50);
            assertThat(now.get(new BsonInt32(0))).isEqualTo(BsonDocument.parse("{_id: 0, v: 'updated before the window'}"));
        }
    }

    @Test
    void withoutDropInOpsTheUndoSaysTheCollectionWasDroppedAndWritesNothing() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            MongoCollection<Document> accounts = captured.db.getCollection("accounts");
            accounts.insertOne(new Document("_id", 1));
            captured.startCapture();
            ClusterTime t1 = captured.now();
            accounts.drop();
            ClusterTime t2 = captured.now();
            captured.stopCapture();

            CliRun.Result r = captured.undo("--ns", "famigo.accounts", "--from", t1.toString(), "--to", t2.toString());

            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.out()).contains("nothing to undo");
            assertThat(r.err()).contains("famigo.accounts was dropped in the window; add drop to --ops");
            assertThat(captured.db.listCollectionNames()).isEmpty();
            CliRun.Result bad = captured.undo("--ns", "famigo.accounts", "--from", t1.toString(), "--ops", "truncate");
            assertThat(bad.exitCode()).isEqualTo(2);
            assertThat(bad.err()).contains("--ops takes delete, update, insert and drop");
        }
    }

    @Test
    void undoOfADropDatabaseIncidentRecreatesEveryCollectionWithItsIndexesInPassesAsInOne() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            MongoCollection<Document> accounts = captured.db.getCollection("accounts");
            MongoCollection<Document> child = captured.db.getCollection("child");
            accounts.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            child.createIndex(Indexes.ascending("family"));
            for (int i = 0; i < 200; i++) {
                accounts.insertOne(new Document("_id", i).append("email", "a" + i + "@example.org"));
                child.insertOne(new Document("_id", "c" + i).append("family", i));
            }
            captured.db.createView("firstChildren", "child", List.of(new Document("$match", new Document("family", new Document("$lt", 5)))));
            Map<String, Map<Object, String>> before = captured.everything();
            List<dev.rewind.detect.Incident> all = captured.underDetection(() -> captured.client.getDatabase("famigo").drop());
            assertThat(all).singleElement().satisfies(i -> {
                assertThat(i.rule()).isEqualTo("drop");
                assertThat(i.undoOps()).containsExactly("drop");
            });
            String id = String.valueOf(all.get(0).id());

            CliRun.Result dry = captured.undo("--incident", id, "--memory-docs", "50", "--json");
            assertThat(dry.exitCode()).as("%s", dry).isZero();
            Document plan = Document.parse(dry.out());
            assertThat(plan.getInteger("passes")).isGreaterThan(1);
            assertThat(plan.get("totals", Document.class)).containsEntry("restored", 400);
            assertThat(plan.getList("collections", String.class)).containsExactlyInAnyOrder(
                    "famigo.accounts: dropped in the window; would be re-created as it was then, with its options and 1 index (email_1)",
                    "famigo.child: dropped in the window; would be re-created as it was then, with its options and 1 index (family_1)",
                    "famigo.firstChildren: a view, dropped in the window; would be re-created as it was then");
            assertThat(captured.db.listCollectionNames()).as("a dry run creates nothing").isEmpty();

            CliRun.Result applied = captured.undo("--incident", id, "--memory-docs", "50", "--apply");
            assertThat(applied.exitCode()).as("%s", applied).isZero();
            assertThat(captured.everything()).as("the view too, which shows 5 children").isEqualTo(before);
            assertThat(before.get("firstChildren")).hasSize(5);
            Map<String, Boolean> unique = new HashMap<>();
            accounts.listIndexes().forEach(i -> unique.put(i.getString("name"), i.getBoolean("unique", false)));
            child.listIndexes().forEach(i -> unique.put(i.getString("name"), i.getBoolean("unique", false)));
            assertThat(unique).containsEntry("email_1", true).containsEntry("family_1", false);
        }
    }
}
