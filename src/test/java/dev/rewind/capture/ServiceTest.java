package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture run as a service would run it: no options on the command line, the repository, namespaces,
 * rules and metrics address from a config file named by REWIND_CONFIG, the connection string from
 * REWIND_URI; Prometheus scrapes its metrics over real HTTP and a monitor checks /health.
 */
class ServiceTest {
    @TempDir
    Path tmp;

    @Test
    void captureRunsFromTheEnvironmentAndAConfigFileAndServesMetricsAndHealth() throws Exception {
        Sandbox sandbox = Sandbox.inMemory();
        boolean sandboxClosed = false;
        try (MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            String repo = tmp.resolve("repo").toString();
            Path config = tmp.resolve("rewind.json");
            Files.writeString(config, new Document("repo", repo).append("ns", List.of("famigo.*"))
                    .append("capture", new Document("sealInterval", "300ms").append("idleInterval", "2s").append("metrics", "127.0.0.1:0"))
                    .append("detect", new Document("rules", new Document("quietSeconds", 5)).append("alertExec", "cat > /dev/null")).toJson());
            assertThat(CliRun.run("init", "--config", config.toString()).exitCode()).as("init takes the repo from the file").isZero();

            try (CaptureProcess capture = CaptureProcess.command(tmp.resolve("logs"), "service",
                    Map.of("REWIND_CONFIG", config.toString(), "REWIND_URI", sandbox.uri()), "capture")) {
                assertThat(capture.awaitStderr("health on", Duration.ofSeconds(60))).as(capture.logs()).isTrue();
                Matcher m = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:\\d+/metrics)").matcher(capture.stderr());
                assertThat(m.find()).as(capture.stderr()).isTrue();
                URI metrics = URI.create(m.group(1));
                assertThat(capture.awaitStderr("done", Duration.ofSeconds(60))).as(capture.stderr()).isTrue();

                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    docs.add(new Document("_id", i));
                }
                family.insertMany(docs);
                HttpClient http = HttpClient.newHttpClient();
                String scraped = "";
                for (long end = System.currentTimeMillis() + 60_000; System.currentTimeMillis() < end; Thread.sleep(200)) {
                    scraped = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                    if (value(scraped, "rewind_capture_events_total") >= 120) {
                        break;
                    }
                }
                assertThat(value(scraped, "rewind_capture_events_total")).as(scraped).isGreaterThanOrEqualTo(120);
                assertThat(value(scraped, "rewind_capture_up")).isEqualTo(1);
                assertThat(value(scraped, "rewind_capture_snapshots_total")).isEqualTo(1);
                assertThat(value(scraped, "rewind_incidents_open")).isZero();
                assertThat(scraped).contains("# TYPE rewind_capture_lag_seconds gauge", "rewind_capture_segments_sealed_total",
                        "# TYPE rewind_alert_failures_total counter");
                assertThat(scraped).containsPattern("rewind_alert_failures_total\\{sink=\"[^\"]+\"} 0");

                HttpResponse<String> health = http.send(HttpRequest.newBuilder(metrics.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(Document.parse(health.body()).getString("status")).isEqualTo("ok");
                assertThat(http.send(HttpRequest.newBuilder(metrics.resolve("/nothing")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

                CliRun.Result status = CliRun.run("status", "--config", config.toString());
                assertThat(status.out()).as(status.toString()).contains("capture      running (pid " + capture.pid());

                sandbox.close();  // the server goes away: capture retries, and the health check says so
                sandboxClosed = true;
                HttpResponse<String> down = health;
                for (long end = System.currentTimeMillis() + 60_000; System.currentTimeMillis() < end && down.statusCode() == 200;
                     Thread.sleep(200)) {
                    down = http.send(HttpRequest.newBuilder(metrics.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
                }
                assertThat(down.statusCode()).as(down.body() + capture.stderr()).isEqualTo(503);
                assertThat(Document.parse(down.body()).getString("reason")).isEqualTo("capture is retrying");
                assertThat(capture.stop(Duration.ofSeconds(30))).as("SIGTERM stops it").isNotEqualTo(-1);
            }
        } finally {
            if (!sandboxClosed) {
                sandbox.close();
            }
        }
    }

    /** The value of a metric without labels in Prometheus's text format; -1 when absent. */
    private static double value(String scraped, String name) {
        for (String line : scraped.lines().toList()) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim().split(" ")[0]);
            }
        }
        return -1;
    }
}
