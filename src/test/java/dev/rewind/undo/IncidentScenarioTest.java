package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.detect.Backoff;
import dev.rewind.detect.DetectingCapture;
import dev.rewind.detect.Rules;
import dev.rewind.detect.WebhookServer;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed accident with detection on: families deleted one at a time while sign-ups go on. The
 * detector opens one incident before 1,000 families are gone, the webhook hears "opened" once and
 * "closed" once, `incidents` lists it, and `undo --incident` puts the families back.
 */
class IncidentScenarioTest {
    @TempDir
    Path tmp;

    @Test
    void theDeleteLoopRaisesOneIncidentEarlyAlertsOnceOpenedAndOnceClosedAndUndoIncidentRestoresTheFamilies() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri());
             WebhookServer webhook = WebhookServer.alwaysOk()) {
            MongoDatabase db = client.getDatabase("famigo");
            List<ObjectId> original = Famigo.create(db, 5000, new Random(11));
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            Path rulesFile = tmp.resolve("rules.json");
            Files.writeString(rulesFile, "{\"quietSeconds\": 5}");
            Rules rules = Rules.parse(Files.readString(rulesFile), rulesFile.toString());

            MongoCollection<Document> family = db.getCollection("family");
            List<ObjectId> deleted = new ArrayList<>(original.subList(0, original.size() - 38));
            List<ObjectId> survivors = original.subList(original.size() - 38, original.size());
            Map<ObjectId, Document> atT1;
            try (DetectingCapture capture = new DetectingCapture(r, client, sandbox.uri(), rules, webhook.url(), Backoff.DEFAULT)) {
                while (r.snapshots().isEmpty()) {
                    Thread.sleep(50);
                }
                Thread.sleep(1100);
                atT1 = SeedScenarioTest.byId(family);

                AtomicBoolean accidentOver = new AtomicBoolean();
                Thread others = new Thread(() -> {
                    Random rnd = new Random(5);
                    int n = 0;
                    while (!accidentOver.get()) {
                        family.insertOne(Famigo.family(new ObjectId(), "new" + (n++) + "@example.org", rnd));
                        family.updateOne(Filters.eq("_id", survivors.get(rnd.nextInt(survivors.size()))), Updates.set("lastSeen", n));
                    }
                });
                others.start();
                for (ObjectId id : deleted) {
                    family.deleteOne(Filters.eq("_id", id));
                }
                accidentOver.set(true);
                others.join();

                List<Document> alerts = webhook.awaitDelivered(2, 60);
                assertThat(alerts).extracting(d -> d.getString("event")).containsExactly("opened", "closed");
            }
            assertThat(webhook.delivered()).as("nothing after the close").hasSize(2);

            Document opened = webhook.delivered().get(0);
            Document atOpen = opened.get("incident", Document.class);
            assertThat(atOpen.get("total", Number.class).longValue()).as("deletes counted when the incident opened").isLessThan(1000);
            assertThat(opened.getString("text")).contains("incident 1 opened", "famigo.family", "--incident 1");
            Document closed = webhook.delivered().get(1).get("incident", Document.class);
            assertThat(closed.getString("status")).isEqualTo("closed");
            assertThat(closed.get("counts", Document.class).get("delete", Number.class).longValue()).isEqualTo(deleted.size());
            assertThat(closed.getList("namespaces", String.class)).containsExactly("famigo.family");

            CliRun.Result list = CliRun.run("incidents", "--repo", repo, "--json");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            List<Document> incidents = Document.parse(list.out()).getList("incidents", Document.class);
            assertThat(incidents).hasSize(1);
            assertThat(incidents.get(0).getString("status")).isEqualTo("closed");
            assertThat(incidents.get(0).get("counts", Document.class).get("delete", Number.class).longValue()).isEqualTo(deleted.size());
            assertThat(incidents.get(0).getString("undoCommand")).contains("--incident 1");
            CliRun.Result text = CliRun.run("incidents", "--repo", repo);
            assertThat(text.out()).contains("incident 1  CLOSED  mass-delete (critical)  famigo.family", String.format("%,d deletes", deleted.size()),
                    "--incident 1");

            Map<String, Map<Object, Document>> beforeUndo = SeedScenarioTest.everything(db);
            CliRun.Result dry = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--incident", "1", "--json");
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            assertThat(Document.parse(dry.out()).get("totals", Document.class).get("restored")).isEqualTo(deleted.size());
            assertThat(SeedScenarioTest.everything(db)).as("a dry run writes nothing").isEqualTo(beforeUndo);

            CliRun.Result applied = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--incident", "1", "--apply", "--json");
            assertThat(applied.exitCode()).as(applied.toString()).isZero();
            Map<Object, Document> families = new java.util.HashMap<>(beforeUndo.get("family"));
            for (ObjectId id : deleted) {
                families.put(id, atT1.get(id));
            }
            assertThat(SeedScenarioTest.everything(db).get("family")).isEqualTo(families);

            CliRun.Result unknown = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--incident", "9");
            assertThat(unknown.exitCode()).isEqualTo(8);
            assertThat(unknown.err()).contains("no incident 9", "known incidents: [1]");
            CliRun.Result both = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--incident", "1", "--from", "-1h");
            assertThat(both.exitCode()).isEqualTo(2);
        }
    }
}
