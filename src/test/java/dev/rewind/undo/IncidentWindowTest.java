package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.detect.Backoff;
import dev.rewind.detect.DetectingCapture;
import dev.rewind.detect.Incident;
import dev.rewind.detect.IncidentStore;
import dev.rewind.detect.Rules;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-call story of issue 12, under capture with detection, through the CLI: an {@code updateMany}
 * accident, a real upgrade of one customer a few seconds later, the incident, its undo, a revert of
 * the undo, and the undo again. The incident's window is the burst (the upgrade is a conflict and
 * stays); Rewind's own writes raise no incident and show as Rewind's; after the revert the undo says
 * who changed the documents and which command does the undo again.
 */
class IncidentWindowTest {
    static final int CUSTOMERS = 2000;

    @TempDir
    Path tmp;

    @Test
    void anUpgradeAfterAnUpdateManyIsAConflictNotARevertAndRewindsOwnWritesPageNoOne() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> customers = client.getDatabase("famigo").getCollection("customers");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < CUSTOMERS; i++) {
                docs.add(new Document("_id", i).append("email", "c" + i + "@example.org").append("plan", "basic"));
            }
            customers.insertMany(docs);
            String repo = tmp.resolve("repo").toString();
            String uri = sandbox.uri();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            IncidentStore incidents = new IncidentStore(r.store());
            String undoJournal;
            String revertJournal;
            try (DetectingCapture capture = new DetectingCapture(r, client, uri, Rules.parse("{\"quietSeconds\": 8}", "test"),
                    null, Backoff.DEFAULT)) {
                while (r.snapshots().isEmpty()) {
                    Thread.sleep(50);
                }
                Thread.sleep(1100);

                customers.updateMany(new Document(), Updates.set("plan", "free"));                   // the accident
                Thread.sleep(3000);
                customers.updateOne(Filters.eq("_id", 7), Updates.set("plan", "premium"));            // a real upgrade
                awaitClosed(incidents, 1);

                Path report = tmp.resolve("plan.ndjson");
                CliRun.Result dry = CliRun.run("undo", "--repo", repo, "--uri", uri, "--incident", "1", "--json",
                        "--report", report.toString());
                assertThat(dry.exitCode()).as(dry.toString()).isZero();
                Document totals = Document.parse(dry.out()).get("totals", Document.class);
                assertThat(totals.getInteger("reverted")).as(dry.out()).isEqualTo(CUSTOMERS - 1);
                assertThat(totals.getInteger("conflict: changed later")).isEqualTo(1);
                assertThat(Files.readAllLines(report)).filteredOn(l -> Document.parse(l).get("_id").equals(7)).singleElement()
                        .satisfies(l -> assertThat(Document.parse(l).getString("outcome")).isEqualTo("conflict: changed later"));

                CliRun.Result undo = CliRun.run("undo", "--repo", repo, "--uri", uri, "--incident", "1", "--apply", "--json");
                assertThat(undo.exitCode()).as(undo.toString()).isZero();
                undoJournal = Document.parse(undo.out()).getString("journal");
                assertThat(customers.find(Filters.eq("_id", 7)).first().getString("plan")).as("the upgrade stays").isEqualTo("premium");
                assertThat(customers.countDocuments(Filters.eq("plan", "basic"))).isEqualTo(CUSTOMERS - 1);
                capture.awaitCaptured(client);

                CliRun.Result revert = CliRun.run("undo", "--repo", repo, "--uri", uri, "--revert", undoJournal, "--apply", "--json");
                assertThat(revert.exitCode()).as(revert.toString()).isZero();
                revertJournal = Document.parse(revert.out()).getString("journal");
                assertThat(customers.countDocuments(Filters.eq("plan", "free"))).isEqualTo(CUSTOMERS - 1);
                capture.awaitCaptured(client);
                Thread.sleep(1500);

                assertThat(incidents.all()).as("Rewind's undo and revert page no one: %s", capture.log)
                        .extracting(Incident::id).containsExactly(1L);
                assertThat(String.join("\n", capture.log)).contains("Rewind's own writes, not an incident", undoJournal, revertJournal);
            }

            CliRun.Result again = CliRun.run("undo", "--repo", repo, "--uri", uri, "--incident", "1");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).contains(String.format("%,d conflict: changed later", CUSTOMERS))
                    .contains("changed after the window only by Rewind itself: journals " + undoJournal + ", " + revertJournal)
                    .contains("journal " + revertJournal + " reverted journal " + undoJournal)
                    .contains("rewind undo --repo " + repo + " --uri " + uri + " --revert " + revertJournal);

            CliRun.Result revertDry = CliRun.run("undo", "--repo", repo, "--uri", uri, "--revert", revertJournal);
            assertThat(revertDry.exitCode()).as(revertDry.toString()).isZero();
            assertThat(revertDry.out()).contains("revert of journal " + revertJournal, "dry run")
                    .contains(String.format("%,d reverted", CUSTOMERS - 1));
            CliRun.Result redo = CliRun.run("undo", "--repo", repo, "--uri", uri, "--revert", revertJournal, "--apply");
            assertThat(redo.exitCode()).as(redo.toString()).isZero();
            assertThat(customers.countDocuments(Filters.eq("plan", "basic"))).isEqualTo(CUSTOMERS - 1);
            assertThat(customers.find(Filters.eq("_id", 7)).first().getString("plan")).isEqualTo("premium");

            CliRun.Result journals = CliRun.run("journals", "--repo", repo);
            assertThat(journals.out()).as(journals.toString()).contains("journal " + undoJournal + "  undo --incident 1",
                    String.format("wrote    %,d reverted", CUSTOMERS - 1), "reverted by journal " + revertJournal,
                    "journal " + revertJournal + "  undo --revert " + undoJournal);
            CliRun.Result show = CliRun.run("journals", "show", undoJournal, "--repo", repo);
            assertThat(show.out()).as(show.toString()).contains(String.format("famigo.customers  %,d reverted", CUSTOMERS - 1));
            CliRun.Result listed = CliRun.run("incidents", "--repo", repo);
            assertThat(listed.out()).contains("Rewind's own writes", undoJournal, revertJournal);
            CliRun.Result timeline = CliRun.run("timeline", "--repo", repo, "--ns", "famigo.customers", "--json");
            Document ns = Document.parse(timeline.out()).getList("namespaces", Document.class).get(0);
            assertThat(ns.get("rewind", Number.class).longValue()).as(timeline.out()).isEqualTo(2L * (CUSTOMERS - 1));
            assertThat(ns.getInteger("bursts")).as("the accident is one burst; Rewind's writes are none").isEqualTo(1);
        }
    }

    private static void awaitClosed(IncidentStore incidents, long id) throws InterruptedException {
        long end = System.currentTimeMillis() + 90_000;
        while (incidents.all().stream().noneMatch(i -> i.id() == id && !i.isOpen())) {
            assertThat(System.currentTimeMillis()).as("incident %d closes", id).isLessThan(end);
            Thread.sleep(200);
        }
    }
}
