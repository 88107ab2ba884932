package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.Repositories;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rewind status} and {@code rewind snapshot} next to a running {@code rewind capture} (its own
 * JVM): status is right from the moment capture holds the repository, explains an idle lag, shows
 * no lag once capture stopped and keeps counting events over a restart; a snapshot asked for while
 * capture runs is handed to capture, which takes it.
 */
class CaptureStatusTest {
    @TempDir
    Path tmp;

    @Test
    void statusIsRightFromTheFirstSecondSnapshotHandsOverAndCountsSurviveARestart() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            insert(family, 0, 100);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Path lock = Path.of(repo, "locks", "writer");
            String[] args = {"--ns", "famigo.*", "--seal-interval", "300ms", "--idle-interval", "30s"};

            try (CaptureProcess capture = CaptureProcess.start(tmp.resolve("logs"), "first", sandbox.uri(), repo, args)) {
                while (Files.notExists(lock)) {
                    assertThat(capture.isAlive()).as(capture.logs()).isTrue();
                    Thread.sleep(10);
                }
                CliRun.Result first = CliRun.run("status", "--repo", repo);
                assertThat(first.out()).as("the moment capture holds the lock").contains("capture      running (pid " + capture.pid())
                        .doesNotContain("never ran");
                assertThat(capture.awaitStderr("done", Duration.ofSeconds(60))).as(capture.stderr()).isTrue();

                insert(family, 100, 150);
                awaitEvents(repo, 50);
                Thread.sleep(3000);
                CliRun.Result idle = CliRun.run("status", "--repo", repo);
                assertThat(idle.out()).as(idle.toString()).contains("idle: no change since").contains("an idle capture records its position every 30 s");

                CliRun.Result snapshot = CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri());
                assertThat(snapshot.exitCode()).as(snapshot + capture.stderr()).isZero();
                assertThat(snapshot.err()).contains("capture is running (pid " + capture.pid(), "handing the snapshot to it");
                assertThat(snapshot.out()).contains("snapshot ").contains("150 docs");
                assertThat(Repositories.open(repo).snapshots()).hasSize(2);
                try (var files = Files.walk(Path.of(repo, "requests"))) {
                    assertThat(files.filter(Files::isRegularFile).toList()).as("the request is cleaned up").isEmpty();
                }
                assertThat(capture.stop(Duration.ofSeconds(30))).as("SIGTERM stops it").isNotEqualTo(-1);
            }
            CliRun.Result stopped = CliRun.run("status", "--repo", repo);
            assertThat(stopped.out()).as(stopped.toString()).contains("not running").doesNotContain(" lag ");
            Document json = Document.parse(CliRun.run("status", "--repo", repo, "--json").out());
            assertThat(json.getString("capture")).isEqualTo("stopped");
            assertThat(json.get("lagSeconds")).as("no lag when capture is stopped").isNull();
            long before = json.get("events", Number.class).longValue();
            assertThat(before).isGreaterThanOrEqualTo(50);

            try (CaptureProcess again = CaptureProcess.start(tmp.resolve("logs"), "second", sandbox.uri(), repo, args)) {
                assertThat(again.awaitStderr("capturing in", Duration.ofSeconds(60))).as(again.stderr()).isTrue();
                insert(family, 150, 155);
                awaitEvents(repo, before + 5);
                assertThat(again.stop(Duration.ofSeconds(30))).as("SIGTERM stops it").isNotEqualTo(-1);
            }
        }
    }

    private static void insert(MongoCollection<Document> family, int from, int to) {
        List<Document> docs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            docs.add(new Document("_id", i).append("name", "family " + i));
        }
        family.insertMany(docs);
    }

    /** Waits until status counts at least {@code n} events (at most a minute). */
    private static void awaitEvents(String repo, long n) throws InterruptedException {
        long end = System.currentTimeMillis() + 60_000;
        while (true) {
            Document d = Document.parse(CliRun.run("status", "--repo", repo, "--json").out());
            Number events = d.get("events", Number.class);
            if (events != null && events.longValue() >= n) {
                return;
            }
            assertThat(System.currentTimeMillis()).as("status counts %d events: %s", n, d.toJson()).isLessThan(end);
            Thread.sleep(200);
        }
    }
}
