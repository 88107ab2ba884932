package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.capture.CaptureRun;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story Rewind exists for, end to end through the CLI: families deleted one at a time while
 * sign-ups and updates go on, three of them re-created by clients under new _ids; undo puts back
 * exactly the deleted families, keeps every later write, reports the three unique-key conflicts,
 * and its journal takes it all back.
 */
class SeedScenarioTest {
    @TempDir
    Path tmp;

    @Test
    void undoRestoresEveryDeletedFamilyKeepsLaterWritesAndReportsTheThreeConflicts() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            Random random = new Random(11);
            MongoDatabase db = client.getDatabase("famigo");
            List<ObjectId> original = Famigo.create(db, 5000, random);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "famigo.*");
            ClusterClock clock = new ClusterClock(client);
            ClusterTime t1 = clock.now();
            Map<ObjectId, Document> atT1 = byId(db.getCollection("family"));

            // the accident: delete one family at a time until 38 remain, while sign-ups and updates go on
            MongoCollection<Document> family = db.getCollection("family");
            List<ObjectId> deleted = new ArrayList<>(original.subList(0, original.size() - 38));
            List<ObjectId> survivors = original.subList(original.size() - 38, original.size());
            AtomicBoolean accidentOver = new AtomicBoolean();
            List<ObjectId> signups = new ArrayList<>();
            Thread others = new Thread(() -> {
                Random rnd = new Random(5);
                int n = 0;
                while (!accidentOver.get()) {
                    ObjectId id = new ObjectId();
                    family.insertOne(Famigo.family(id, "new" + (n++) + "@example.org", rnd));
                    synchronized (signups) {
                        signups.add(id);
                    }
                    family.updateOne(Filters.eq("_id", survivors.get(rnd.nextInt(survivors.size()))),
                            Updates.set("lastSeen", n));
                }
            });
            others.start();
            for (ObjectId id : deleted) {
                family.deleteOne(Filters.eq("_id", id));
            }
            accidentOver.set(true);
            others.join();
            ClusterTime t2 = clock.now();

            // after the window: three deleted families come back through the sign-up form, new _ids, same emails
            List<String> recreatedEmails = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Document old = atT1.get(deleted.get(100 + i * 1000));
                recreatedEmails.add(old.getString("email"));
                family.insertOne(Famigo.family(new ObjectId(), old.getString("email"), random));
            }
            family.updateOne(Filters.eq("_id", signups.get(0)), Updates.set("plan", "premium-after"));
            Thread.sleep(1000);
            capture.close();

            Map<String, Map<Object, Document>> beforeUndo = everything(db);

            CliRun.Result timeline = CliRun.run("status", "--repo", repo);
            assertThat(timeline.exitCode()).isZero();

            CliRun.Result dry = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--ns", "famigo.*",
                    "--from", t1.toString(), "--to", t2.toString(), "--ops", "delete", "--json",
                    "--report", tmp.resolve("report.ndjson").toString());
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            Document plan = Document.parse(dry.out());
            Document totals = plan.get("totals", Document.class);
            assertThat(totals.get("restored")).isEqualTo(deleted.size() - 3);
            assertThat(totals.get("conflict: unique key")).isEqualTo(3);
            assertThat(totals.keySet()).containsOnly("restored", "conflict: unique key");
            assertThat(everything(db)).as("a dry run writes nothing").isEqualTo(beforeUndo);
            assertThat(Files.readAllLines(tmp.resolve("report.ndjson"))).hasSize(deleted.size());
            assertThat(Files.readString(tmp.resolve("report.ndjson"))).contains(recreatedEmails.get(0));

            CliRun.Result applied = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--ns", "famigo.*",
                    "--from", t1.toString(), "--to", t2.toString(), "--ops", "delete", "--apply", "--check-refs", "--json");
            assertThat(applied.exitCode()).as(applied.toString()).isZero();
            String journal = Document.parse(applied.out()).getString("journal");
            // the children and devices of the three families re-created under new _ids still point at the old ones
            List<Document> refs = Document.parse(applied.out()).getList("references", Document.class);
            assertThat(refs.stream().mapToLong(d -> ((Number) d.get("dangling")).longValue()).sum()).isEqualTo(6);
            assertThat(refs).filteredOn(d -> ((Number) d.get("dangling")).longValue() > 0)
                    .extracting(d -> d.getString("rule"))
                    .containsExactlyInAnyOrder("famigo.child.familyId -> famigo.family",
                            "famigo.device.owner.familyId -> famigo.family");
            assertThat(journal).isNotBlank();

            Map<String, Map<Object, Document>> expected = new TreeMap<>(beforeUndo);
            Map<Object, Document> families = new HashMap<>(beforeUndo.get("family"));
            for (ObjectId id : deleted) {
                Document old = atT1.get(id);
                if (!recreatedEmails.contains(old.getString("email"))) {
                    families.put(id, old);
                }
            }
            expected.put("family", families);
            assertThat(everything(db)).isEqualTo(expected);

            CliRun.Result again = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--ns", "famigo.*",
                    "--from", t1.toString(), "--to", t2.toString(), "--ops", "delete", "--apply", "--json");
            Document second = Document.parse(again.out()).get("totals", Document.class);
            assertThat(second.keySet()).as("a rerun changes nothing").containsOnly("unchanged", "conflict: unique key");

            CliRun.Result revert = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--revert", journal, "--apply");
            assertThat(revert.exitCode()).as(revert.toString()).isZero();
            assertThat(everything(db)).isEqualTo(beforeUndo);
        }
    }

    static Map<ObjectId, Document> byId(MongoCollection<Document> coll) {
        Map<ObjectId, Document> out = new HashMap<>();
        coll.find().batchSize(1000).forEach(d -> out.put(d.getObjectId("_id"), d));
        return out;
    }

    static Map<String, Map<Object, Document>> everything(MongoDatabase db) {
        Map<String, Map<Object, Document>> out = new TreeMap<>();
        for (String c : db.listCollectionNames()) {
            Map<Object, Document> docs = new HashMap<>();
            db.getCollection(c).find().batchSize(1000).forEach(d -> docs.put(d.get("_id"), d));
            out.put(c, docs);
        }
        return out;
    }
}
