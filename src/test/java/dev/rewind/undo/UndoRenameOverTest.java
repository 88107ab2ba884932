package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.RenameCollectionOptions;
import dev.rewind.cli.CliRun;
import dev.rewind.detect.Incident;
import dev.rewind.event.ClusterTime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code renameCollection} with {@code dropTarget: true} over a collection that holds data drops that
 * collection (manual, "renameCollection": "If true, mongod will drop the target of renameCollection
 * prior to renaming the collection"). Its change event is a {@code rename} whose
 * {@code operationDescription.dropTarget} is the UUID of the collection it dropped (manual, "Change
 * Events", rename, 6.0+); no drop event is sent for it (SERVER-53478). Rewind takes that rename as the
 * target's drop: detection raises the drop rule, and undo with {@code --ops drop} puts the target's
 * documents back beside those the rename brought.
 */
class UndoRenameOverTest {
    @TempDir
    Path tmp;

    @Test
    void aRenameOverACollectionRaisesTheDropAlertAndItsUndoPutsTheOldDocumentsBackBesideTheRenamedOnes() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            MongoCollection<Document> accounts = captured.db.getCollection("accounts");
            MongoCollection<Document> staging = captured.db.getCollection("staging");
            accounts.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            List<Document> old = new ArrayList<>();
            List<Document> fresh = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                old.add(new Document("_id", i).append("email", "a" + i + "@example.org").append("from", "accounts"));
            }
            for (int i = 150; i < 250; i++) {
                // staging reuses 50 of the _ids, and one of its documents has the e-mail of account 10
                fresh.add(new Document("_id", i).append("email", i == 160 ? "a10@example.org" : "s" + i + "@example.org")
                        .append("from", "staging"));
            }
            accounts.insertMany(old);
            staging.insertMany(fresh);
            List<Incident> all = captured.underDetection(() -> staging.renameCollection(new MongoNamespace("famigo", "accounts"),
                    new RenameCollectionOptions().dropTarget(true)));
            assertThat(all).singleElement().satisfies(i -> {
                assertThat(i.rule()).isEqualTo("drop");
                assertThat(i.severity()).isEqualTo("critical");
                assertThat(i.namespaces()).containsExactly("famigo.accounts");
                assertThat(i.undoOps()).containsExactly("drop");
            });
            String id = String.valueOf(all.get(0).id());
            Map<String, Map<Object, String>> beforeUndo = captured.everything();
            Incident incident = all.get(0);
            CliRun.Result diff = CliRun.run("diff", "--repo", captured.repo, "--ns", "famigo.accounts", "--at",
                    new ClusterTime(incident.firstAt().seconds(), incident.firstAt().increment() - 1).toString(),
                    "--to", incident.lastAt().toString(), "--json");
            assertThat(diff.exitCode()).as("%s", diff).isZero();
            Document d = Document.parse(diff.out());
            assertThat(d.get("removed", Document.class).get("count", Number.class).longValue()).as(diff.out()).isEqualTo(150);
            assertThat(d.get("changed", Document.class).get("count", Number.class).longValue()).as("the _ids staging reused").isEqualTo(50);
            assertThat(d.get("added", Document.class).get("count", Number.class).longValue()).as(diff.out()).isEqualTo(50);

            CliRun.Result dry = captured.undo("--incident", id, "--json");
            assertThat(dry.exitCode()).as("%s", dry).isZero();
            Document plan = Document.parse(dry.out());
            assertThat(plan.get("totals", Document.class)).containsEntry("restored", 149)
                    .containsEntry("conflict: changed later", 50).containsEntry("conflict: unique key", 1);
            assertThat(plan.getList("collections", String.class)).singleElement().asString().contains(
                    "famigo.accounts: replaced in the window by a rename of famigo.staging over it",
                    "undo does not take back the rename", "would get back 1 index (email_1)");
            assertThat(captured.everything()).as("a dry run writes nothing").isEqualTo(beforeUndo);

            CliRun.Result applied = captured.undo("--incident", id, "--apply");
            assertThat(applied.exitCode()).as("%s", applied).isZero();
            assertThat(applied.out()).contains("149 restored", "got back the index email_1", "now held by _id 160");
            Map<Object, BsonDocument> now = captured.collection("accounts");
            assertThat(now).hasSize(249);
            assertThat(now.get(new BsonInt32(0))).isEqualTo(BsonDocument.parse("{_id: 0, email: 'a0@example.org', from: 'accounts'}"));
            assertThat(now.get(new BsonInt32(170)).getString("from").getValue()).as("the renamed document stays").isEqualTo("staging");
            assertThat(now).doesNotContainKey(new BsonInt32(10));
            assertThat(captured.db.listCollectionNames()).as("the rename is not taken back").containsExactly("accounts");
            assertThat(accounts.listIndexes().into(new ArrayList<>())).anySatisfy(i -> {
                assertThat(i.getString("name")).isEqualTo("email_1");
                assertThat(i.getBoolean("unique")).isTrue();
            });
        }
    }

    @Test
    void withoutDropInOpsTheUndoNamesTheRenameAndAPlainRenameIsNoDrop() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            captured.db.getCollection("accounts").insertOne(new Document("_id", 1));
            captured.db.getCollection("staging").insertOne(new Document("_id", 2));
            captured.db.getCollection("old").insertOne(new Document("_id", 3));
            captured.startCapture();
            ClusterTime t1 = captured.now();
            captured.db.getCollection("staging").renameCollection(new MongoNamespace("famigo", "accounts"),
                    new RenameCollectionOptions().dropTarget(true));
            // a rename to a free name takes nothing: its documents are where it went
            captured.db.getCollection("old").renameCollection(new MongoNamespace("famigo", "archive"));
            ClusterTime t2 = captured.now();
            captured.stopCapture();

            CliRun.Result timeline = CliRun.run("timeline", "--repo", captured.repo, "--ns", "famigo.*", "--json");
            assertThat(timeline.exitCode()).as("%s", timeline).isZero();
            Map<String, Long> drops = new java.util.TreeMap<>();
            Document.parse(timeline.out()).getList("namespaces", Document.class).forEach(n ->
                    drops.put(n.getString("ns"), n.get("drops", Number.class).longValue()));
            assertThat(drops).as("the timeline counts the rename over accounts as its drop: %s", timeline.out())
                    .containsEntry("famigo.accounts", 1L).doesNotContainKeys("famigo.old", "famigo.archive");

            CliRun.Result r = captured.undo("--ns", "famigo.*", "--from", t1.toString(), "--to", t2.toString());
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.out()).contains("nothing to undo");
            assertThat(r.err()).contains("famigo.accounts was replaced in the window by a rename of famigo.staging over it;"
                    + " add drop to --ops").contains("note: famigo.old was renamed to famigo.archive in the window; its documents went"
                    + " with it, and undo does not take back a rename")
                    .contains("db.adminCommand({renameCollection: 'famigo.archive', to: 'famigo.old'})");

            CliRun.Result apply = captured.undo("--ns", "famigo.*", "--from", t1.toString(), "--to", t2.toString(),
                    "--ops", "drop", "--apply", "--json");
            assertThat(apply.exitCode()).as("%s", apply).isZero();
            assertThat(Document.parse(apply.out()).get("totals", Document.class)).containsEntry("restored", 1)
                    .doesNotContainKey("conflict: changed later");
            assertThat(captured.collection("accounts").keySet()).containsExactlyInAnyOrder(new BsonInt32(1), new BsonInt32(2));
            assertThat(captured.db.listCollectionNames()).containsExactlyInAnyOrder("accounts", "archive");
        }
    }

    /**
     * An aggregation's {@code $out} over a live collection is such a rename: mongod fills a temporary
     * collection and renames it over the target with {@code dropTarget} (manual, "$out", "Replace
     * Existing Collection"). The classic accident: a {@code $match} meant for a report, written back
     * over the collection it read, keeps only the documents it matched.
     */
    @Test
    void anOutThatKeptOnlyTheMatchedDocumentsIsRaisedAndItsUndoPutsBackTheOthers() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            MongoCollection<Document> accounts = captured.db.getCollection("accounts");
            List<Document> seed = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                seed.add(new Document("_id", i).append("plan", i % 4 == 0 ? "premium" : "free").append("n", i));
            }
            accounts.insertMany(seed);
            Map<String, Map<Object, String>> before = captured.everything();
            ClusterTime[] beforeOut = new ClusterTime[1];
            List<Incident> all = captured.underDetection(() -> {
                beforeOut[0] = captured.now();
                accounts.aggregate(List.of(new Document("$match", new Document("plan", "premium")),
                        new Document("$out", "accounts"))).toCollection();
            });
            assertThat(accounts.countDocuments()).isEqualTo(25);
            assertThat(all).singleElement().satisfies(i -> {
                assertThat(i.rule()).isEqualTo("drop");
                assertThat(i.namespaces()).containsExactly("famigo.accounts");
                assertThat(i.causes()).singleElement().asString()
                        .startsWith("famigo.accounts replaced by an aggregation's $out (through famigo.tmp.agg_out.");
            });

            // what happened, as diff tells it: the $out kept the premium accounts and took the others
            Incident incident = all.get(0);
            String justBefore = new ClusterTime(incident.firstAt().seconds(), incident.firstAt().increment() - 1).toString();
            // from just before the rename, and from before the $out began (its temporary collection then came later), in passes too
            for (List<String> second : List.of(List.of("--at", justBefore, "--to", incident.lastAt().toString()),
                    List.of("--at", justBefore, "--live", "--uri", captured.sandbox.uri()),
                    List.of("--at", beforeOut[0].toString(), "--to", incident.lastAt().toString()),
                    List.of("--at", beforeOut[0].toString(), "--to", incident.lastAt().toString(), "--memory-docs", "40"))) {
                List<String> args = new ArrayList<>(List.of("diff", "--repo", captured.repo, "--ns", "famigo.accounts", "--json"));
                args.addAll(second);
                CliRun.Result diff = CliRun.run(args.toArray(String[]::new));
                assertThat(diff.exitCode()).as("%s", diff).isZero();
                Document d = Document.parse(diff.out());
                assertThat(d.get("removed", Document.class).get("count", Number.class).longValue()).as(diff.out()).isEqualTo(75);
                assertThat(d.get("unchanged", Number.class).longValue()).as(diff.out()).isEqualTo(25);
                assertThat(d.get("added", Document.class).get("count", Number.class).longValue()).as(diff.out()).isZero();
                assertThat(d.get("changed", Document.class).get("count", Number.class).longValue()).as(diff.out()).isZero();
                assertThat(d.getInteger("passes")).as("passes that hold both collections").isEqualTo(second.contains("40") ? 3 : 1);
            }

            CliRun.Result applied = captured.undo("--incident", String.valueOf(all.get(0).id()), "--apply", "--json");

            assertThat(applied.exitCode()).as("%s", applied).isZero();
            assertThat(Document.parse(applied.out()).get("totals", Document.class)).as(applied.out())
                    .containsEntry("restored", 75).containsEntry("unchanged", 25);
            assertThat(captured.everything()).as("every account as it was").isEqualTo(before);
        }
    }
}
