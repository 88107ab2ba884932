package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.rewind.cli.CliRun;
import dev.rewind.detect.WebhookServer;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rewind capture --rules --alert-webhook --alert-exec` as an operator runs it, in its own JVM. */
class CaptureAlertsTest {
    @TempDir
    Path tmp;

    @Test
    void aMassDeleteUnderTheCaptureCommandAlertsTheWebhookTheScriptAndStderrOnceOpenedAndOnceClosed() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri());
             WebhookServer webhook = WebhookServer.alwaysOk()) {
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                docs.add(new Document("_id", i).append("email", "f" + i + "@example.org"));
            }
            family.insertMany(docs);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Path rules = tmp.resolve("rules.json");
            Files.writeString(rules, "{\"quietSeconds\": 2}");
            Path script = tmp.resolve("alerts.ndjson");

            try (CaptureProcess capture = CaptureProcess.start(tmp.resolve("logs"), "capture", sandbox.uri(), repo,
                    "--seal-interval", "300ms", "--idle-interval", "1s", "--rules", rules.toString(),
                    "--alert-webhook", webhook.url(), "--alert-exec", "cat >> '" + script + "'; echo >> '" + script + "'")) {
                assertThat(capture.awaitStderr("snapshot", Duration.ofSeconds(60))).as(capture.stderr()).isTrue();
                assertThat(capture.awaitStderr("done", Duration.ofSeconds(60))).as(capture.stderr()).isTrue();
                Thread.sleep(1500);
                for (int i = 0; i < 700; i++) {
                    family.deleteOne(Filters.eq("_id", i));
                }
                List<Document> alerts = webhook.awaitDelivered(2, 60);
                assertThat(alerts).as(capture.stderr()).extracting(d -> d.getString("event")).containsExactly("opened", "closed");
                assertThat(alerts.get(1).get("incident", Document.class).get("total", Number.class).longValue()).isEqualTo(700);
                assertThat(capture.awaitStderr("ALERT CRITICAL Rewind incident 1 closed", Duration.ofSeconds(10))).isTrue();
                long end = System.currentTimeMillis() + 30_000;
                while (Files.notExists(script) || Files.readAllLines(script).stream().filter(l -> !l.isBlank()).count() < 2) {
                    assertThat(System.currentTimeMillis()).as("the exec hook ran twice").isLessThan(end);
                    Thread.sleep(50);
                }
                assertThat(capture.stop(Duration.ofSeconds(30))).as("SIGTERM stops capture").isNotEqualTo(-1);
                assertThat(capture.stderr()).contains("capture stopped; the open segment is sealed");
            }
            List<String> lines = Files.readAllLines(script).stream().filter(l -> !l.isBlank()).toList();
            assertThat(lines).extracting(l -> Document.parse(l).getString("event")).containsExactly("opened", "closed");
            assertThat(webhook.delivered()).hasSize(2);
        }
    }
}
