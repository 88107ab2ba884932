package dev.rewind.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engineer on call restores into the deployment that capture watches: the restore fills its
 * collections under staging names, renames them to their targets and drops its publishing marker
 * (README, "Snapshots, restore, verify"). That drop is Rewind's own and pages no one; a real drop
 * right after it still does.
 */
class RestoreUnderCaptureTest {
    @TempDir
    Path tmp;

    @Test
    void aRestoreRaisesNoDropIncidentButARealDropStillDoes() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                docs.add(new Document("_id", i).append("name", "family " + i));
            }
            family.insertMany(docs);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            IncidentStore incidents = new IncidentStore(r.store());
            try (DetectingCapture capture = new DetectingCapture(r, client, sandbox.uri(), Rules.parse("{\"quietSeconds\": 2}", "test"),
                    null, Backoff.DEFAULT)) {
                while (r.snapshots().isEmpty()) {
                    Thread.sleep(50);
                }
                CliRun.Result restore = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--snapshot", "latest",
                        "--ns-from", "famigo.family", "--ns-to", "famigo.family_restored", "--quiet");
                assertThat(restore.exitCode()).as(restore.toString()).isZero();
                assertThat(client.getDatabase("famigo").getCollection("family_restored").countDocuments()).isEqualTo(500);
                capture.awaitCaptured(client);
                long seen = System.currentTimeMillis() + 30_000;
                while (!String.join("\n", capture.log).contains("a restore's staging") && System.currentTimeMillis() < seen) {
                    Thread.sleep(100);   // the detector reads each segment once capture has sealed it
                }
                Thread.sleep(500);
                assertThat(incidents.all()).as("the restore pages no one: %s", capture.log).isEmpty();
                assertThat(String.join("\n", capture.log)).contains("Rewind's own writes, not an incident")
                        .contains("of a restore's staging in famigo.rewind.");

                CliRun.Result timeline = CliRun.run("timeline", "--repo", repo, "--json");
                List<Document> staged = Document.parse(timeline.out()).getList("namespaces", Document.class).stream()
                        .filter(n -> n.getString("ns").startsWith("famigo.rewind.")).toList();
                assertThat(staged).as(timeline.out()).isNotEmpty().allSatisfy(n -> {
                    assertThat(n.getInteger("drops", 0) + n.getInteger("inserts", 0)).as("counted as Rewind's").isZero();
                    assertThat(n.get("rewind", Number.class).longValue()).isPositive();
                });

                client.getDatabase("famigo").getCollection("family_restored").drop();   // a real drop: an incident
                capture.awaitCaptured(client);
                long end = System.currentTimeMillis() + 30_000;
                while (incidents.all().isEmpty() && System.currentTimeMillis() < end) {
                    Thread.sleep(100);
                }
                assertThat(incidents.all()).singleElement().satisfies(i -> {
                    assertThat(i.rule()).isEqualTo("drop");
                    assertThat(i.namespaces()).containsExactly("famigo.family_restored");
                });
            }
        }
    }
}
