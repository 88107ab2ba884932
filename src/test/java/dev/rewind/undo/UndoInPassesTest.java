package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An undo too large for memory runs in passes ({@code --memory-docs}), each taking the documents
 * whose {@code _id} hash falls in its share and reading the log again; together the passes must
 * plan, write, journal and revert exactly what one pass does. The window mixes every outcome:
 * restored, reverted, removed, changed later, a unique key taken since, documents changed between
 * the snapshot and T1, and, after an undo and its revert, conflicts made only by Rewind's own
 * journals. A revert takes the journal back a few batches at a time, last first.
 */
class UndoInPassesTest {
    @TempDir
    Path tmp;

    Captured captured;
    MongoCollection<Document> family;
    MongoCollection<Document> child;
    ClusterTime t1;
    ClusterTime t2;
    Map<String, Map<Object, String>> beforeUndo;

    @BeforeEach
    void recordAMixedWindow() throws Exception {
        captured = new Captured(tmp);
        family = captured.db.getCollection("family");
        child = captured.db.getCollection("child");
        family.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        List<Document> families = new ArrayList<>();
        List<Document> children = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            families.add(new Document("_id", i).append("email", "f" + i + "@example.com").append("plan", i % 3 == 0 ? "premium" : "free")
                    .append("members", i % 5 + 1));
            children.add(new Document("_id", "c" + i).append("familyId", i).append("name", "child " + i));
        }
        family.insertMany(families);
        child.insertMany(children);
        List<Document> notes = new ArrayList<>();
        for (int i = 1; i <= 1_100; i++) {
            notes.add(new Document("_id", "n" + i).append("text", "note " + i));
        }
        captured.db.getCollection("note").insertMany(notes);
        captured.startCapture();
        // between the snapshot and T1: the state at T1 comes from the log for these
        for (int i = 1; i <= 10; i++) {
            family.updateOne(Filters.eq("_id", i), Updates.set("members", 40 + i));
        }
        family.insertOne(new Document("_id", 61).append("email", "f61@example.com").append("plan", "free"));
        t1 = captured.now();

        // the window: deletes, updates and inserts in both collections
        for (int i = 1; i <= 61; i += 2) {
            family.deleteOne(Filters.eq("_id", i));
        }
        for (int i = 2; i <= 40; i += 2) {
            family.updateOne(Filters.eq("_id", i), Updates.combine(Updates.set("plan", "gone"), Updates.unset("members")));
        }
        for (int i = 1; i <= 30; i++) {
            child.deleteOne(Filters.eq("_id", "c" + i));
        }
        captured.db.getCollection("note").deleteMany(new Document());  // more than two journal batches of 500
        family.insertOne(new Document("_id", 100).append("email", "new@example.com").append("plan", "free"));
        t2 = captured.now();

        // after the window: changed later, and a unique key taken by a new family
        family.updateOne(Filters.eq("_id", 4), Updates.set("plan", "back by hand"));
        family.insertOne(new Document("_id", 5).append("email", "f5@example.com").append("plan", "re-signed"));
        family.insertOne(new Document("_id", 200).append("email", "f7@example.com").append("plan", "took the address"));
        captured.stopCapture();
        beforeUndo = captured.everything();
    }

    @AfterEach
    void stop() throws Exception {
        captured.close();
    }

    @Test
    void plansInPassesExactlyWhatOnePassPlans() throws Exception {
        CliRun.Result one = undo("--ops", "delete,update,insert", "--report", tmp.resolve("one.ndjson").toString(), "--json");
        CliRun.Result many = undo("--ops", "delete,update,insert", "--memory-docs", "100", "--report", tmp.resolve("many.ndjson").toString(), "--json");

        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(many.exitCode()).as(many.toString()).isZero();
        Document onePlan = Document.parse(one.out());
        Document manyPlan = Document.parse(many.out());
        assertThat(onePlan.getInteger("passes")).isEqualTo(1);
        assertThat(manyPlan.getInteger("passes")).isGreaterThan(5);
        assertThat(many.err()).contains("pass 1 of " + manyPlan.getInteger("passes"))
                .containsPattern("the passes' temporary files took [0-9.,]+ MB");
        assertThat(one.err()).doesNotContain("temporary files");
        assertThat(manyPlan.get("totals")).isEqualTo(onePlan.get("totals"));
        assertThat(manyPlan.get("namespaces")).isEqualTo(onePlan.get("namespaces"));
        assertThat(onePlan.get("totals", Document.class)).containsKeys("restored", "reverted", "removed",
                "conflict: changed later", "conflict: unique key");
        assertThat(reportLines("many.ndjson")).as("every document's outcome, target and live state")
                .isEqualTo(reportLines("one.ndjson"));
        assertThat(captured.everything()).as("dry runs write nothing").isEqualTo(beforeUndo);
        // the passes read each snapshot object once (restore/PassSpill), not once per pass
        long stored = dev.rewind.repo.Repositories.open(captured.repo).snapshots().stream()
                .flatMap(m -> m.namespaces().stream()).flatMap(n -> n.objects().stream())
                .mapToLong(dev.rewind.repo.ObjectRef::storedBytes).sum();
        long readInOne = onePlan.get("snapshotBytesRead", Number.class).longValue();
        long readInMany = manyPlan.get("snapshotBytesRead", Number.class).longValue();
        assertThat(readInOne).isPositive();
        assertThat(readInMany).isBetween(readInOne, stored);
    }

    @Test
    void appliesJournalsAndRevertsInPassesAsOnePassWould() throws Exception {
        CliRun.Result plan = undo("--ops", "delete,update,insert", "--report", tmp.resolve("plan.ndjson").toString());
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        Map<String, Map<Object, String>> expected = afterPlan(tmp.resolve("plan.ndjson"));

        Path refsFile = tmp.resolve("refs.json");
        Files.writeString(refsFile, "{\"version\": 1, \"references\": [{\"source\": \"famigo.child\", \"path\": \"familyId\", \"target\": \"famigo.family\"}]}");
        CliRun.Result applied = undo("--ops", "delete,update,insert", "--memory-docs", "100", "--apply", "--check-refs",
                "--refs", refsFile.toString(), "--json");

        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        Document out = Document.parse(applied.out());
        assertThat(out.getInteger("passes")).isGreaterThan(5);
        assertThat(captured.everything()).as("each document as the one-pass plan said").isEqualTo(expected);
        List<Document> refs = out.getList("references", Document.class);
        assertThat(refs).as("references checked over every pass").isNotEmpty();
        Set<Object> missing = new HashSet<>();
        refs.forEach(r -> r.getList("samples", Document.class).forEach(d -> missing.add(d.get("missing"))));
        assertThat(missing).as("children of families that stay deleted (conflicts) still dangle, none other")
                .isNotEmpty().isEqualTo(missingFamilies());

        captured.startCapture();  // so that the log holds the revert's writes, and the undo's (resumed from where it stopped)
        String journal = out.getString("journal");
        assertThat(applied.err()).as("the journal is named before the first write, for an undo cut short")
                .contains("journal " + journal + ": every write is recorded there before it is made")
                .contains("--revert " + journal + " --apply");
        CliRun.Result revert = captured.undo("--revert", journal, "--apply", "--memory-docs", "100", "--json");
        assertThat(revert.exitCode()).as(revert.toString()).isZero();
        assertThat(Document.parse(revert.out()).getInteger("passes")).as("a batch of the journal at a time, last first")
                .isGreaterThanOrEqualTo(3);
        assertThat(captured.everything()).as("the revert puts back what was there before the undo").isEqualTo(beforeUndo);

        captured.stopCapture();

        // undone, then reverted: the documents changed later only by Rewind, in every pass alike
        CliRun.Result againOne = undo("--ops", "delete,update,insert", "--report", tmp.resolve("again1.ndjson").toString());
        CliRun.Result againMany = undo("--ops", "delete,update,insert", "--memory-docs", "100", "--report",
                tmp.resolve("againN.ndjson").toString());
        assertThat(againOne.out()).contains("changed after the window only by Rewind itself: journal");
        assertThat(againMany.out()).contains("changed after the window only by Rewind itself: journal");
        assertThat(reportLines("againN.ndjson")).isEqualTo(reportLines("again1.ndjson"));
    }

    /** The database after the plan: the target of every document it writes, the live state of the rest. */
    private Map<String, Map<Object, String>> afterPlan(Path report) throws Exception {
        Map<String, Map<Object, String>> out = new HashMap<>();
        beforeUndo.forEach((c, docs) -> out.put(c, new java.util.TreeMap<>((a, b) -> a.toString().compareTo(b.toString()))));
        beforeUndo.forEach((c, docs) -> out.get(c).putAll(docs));
        for (String line : Files.readAllLines(report)) {
            BsonDocument d = BsonDocument.parse(line);
            String coll = d.getString("ns").getValue().substring("famigo.".length());
            String outcome = d.getString("outcome").getValue();
            if (!List.of("restored", "reverted", "removed").contains(outcome)) {
                continue;
            }
            if (d.get("holder") != null) {
                out.get(coll).remove(d.get("holder"));
            }
            if (d.get("target").isNull()) {
                out.get(coll).remove(d.get("_id"));
            } else {
                out.get(coll).put(d.get("_id"), d.getDocument("target").toJson());
            }
        }
        return out;
    }

    /** The families children refer to that are absent now. */
    private Set<Object> missingFamilies() {
        Map<Object, BsonDocument> families = captured.collection("family");
        Set<Object> out = new HashSet<>();
        captured.collection("child").values().stream().map(c -> c.get("familyId")).filter(f -> !families.containsKey(f))
                .forEach(f -> out.add(f.asInt32().getValue()));
        return out;
    }

    private Set<String> reportLines(String name) throws Exception {
        List<String> lines = Files.readAllLines(tmp.resolve(name));
        Set<String> out = new HashSet<>(lines);
        assertThat(out).as("no document twice").hasSize(lines.size());
        return out;
    }

    private CliRun.Result undo(String... args) {
        List<String> all = new ArrayList<>(List.of("--ns", "famigo.*", "--from", t1.toString(), "--to", t2.toString()));
        all.addAll(List.of(args));
        return captured.undo(all.toArray(String[]::new));
    }
}
