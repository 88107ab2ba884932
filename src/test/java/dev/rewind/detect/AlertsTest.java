package dev.rewind.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.event.ClusterTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.bson.BsonInt32;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsTest {
    static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(30));

    @TempDir
    Path tmp;

    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    static Incident incident(long id, String status) {
        return new Incident(id, "mass-delete", "critical", List.of("famigo.family"), new ClusterTime(1_790_000_000L, 3),
                new ClusterTime(1_790_000_009L, 7), Map.of("delete", 600L), List.of(new BsonInt32(42)), List.of(), status,
                Instant.parse("2026-11-25T08:00:00Z"), null, List.of("delete"), "/backups", "mongodb://db1/");
    }

    static IncidentChange change(IncidentChange.Kind kind, long id) {
        return new IncidentChange(kind, incident(id, kind == IncidentChange.Kind.CLOSED ? "closed" : "open"));
    }

    @Test
    void postsTheOpenedAndClosedAlertsButNoUpdatesToTheWebhook() throws Exception {
        try (WebhookServer server = WebhookServer.alwaysOk();
             Alerts alerts = new Alerts(List.of(new WebhookSink(java.net.URI.create(server.url()), Duration.ofSeconds(5))),
                     log::add, FAST, 100)) {
            alerts.publish(change(IncidentChange.Kind.OPENED, 7));
            alerts.publish(change(IncidentChange.Kind.UPDATED, 7));
            alerts.publish(change(IncidentChange.Kind.UPDATED, 7));
            alerts.publish(change(IncidentChange.Kind.CLOSED, 7));
            assertThat(alerts.awaitIdle(Duration.ofSeconds(20))).isTrue();

            List<Document> got = server.delivered();
            assertThat(got).extracting(d -> d.getString("event")).containsExactly("opened", "closed");
            Document first = got.get(0);
            assertThat(first.getString("text")).contains("incident 7 opened", "600 deletes", "famigo.family",
                    "rewind undo --repo /backups --uri mongodb://db1/ --incident 7");
            Document incident = first.get("incident", Document.class);
            assertThat(incident.get("id")).isEqualTo(7);
            assertThat(incident.get("counts", Document.class).get("delete")).isEqualTo(600);
            assertThat(incident.getString("undoCommand")).endsWith("--incident 7");
            assertThat(log).filteredOn(l -> l.startsWith("ALERT")).hasSize(2);
        }
    }

    @Test
    void retriesAFailingWebhookWithBackoffAndDeliversInOrder() throws Exception {
        try (WebhookServer server = new WebhookServer(n -> n <= 3 ? 500 : 200);
             Alerts alerts = new Alerts(List.of(new WebhookSink(java.net.URI.create(server.url()), Duration.ofSeconds(5))),
                     log::add, FAST, 100)) {
            alerts.publish(change(IncidentChange.Kind.OPENED, 1));
            alerts.publish(change(IncidentChange.Kind.CLOSED, 1));
            assertThat(alerts.awaitIdle(Duration.ofSeconds(20))).isTrue();

            assertThat(server.delivered()).extracting(d -> d.getString("event")).containsExactly("opened", "closed");
            assertThat(server.requests()).isEqualTo(5);
            assertThat(log).anyMatch(l -> l.contains("HTTP 500") && l.contains("retrying"));
            assertThat(log).anyMatch(l -> l.contains("delivered after 4 attempts"));
        }
    }

    @Test
    void givesUpAfterTheRetryTimeWithALogLine() throws Exception {
        Backoff brief = new Backoff(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(300));
        try (WebhookServer server = new WebhookServer(n -> 503);
             Alerts alerts = new Alerts(List.of(new WebhookSink(java.net.URI.create(server.url()), Duration.ofSeconds(5))),
                     log::add, brief, 100)) {
            alerts.publish(change(IncidentChange.Kind.OPENED, 1));
            assertThat(alerts.awaitIdle(Duration.ofSeconds(20))).isTrue();

            assertThat(log).anyMatch(l -> l.contains("gave up on the opened alert of incident 1"));
        }
    }

    @Test
    void neverBlocksThePublisherAndDropsTheOldestWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        List<Long> sent = Collections.synchronizedList(new ArrayList<>());
        AlertSink stuck = new AlertSink() {
            @Override public String name() { return "stuck sink"; }
            @Override public void send(Alert alert) throws InterruptedException {
                entered.countDown();
                release.await();
                sent.add(alert.incident().id());
            }
        };
        try (Alerts alerts = new Alerts(List.of(stuck), log::add, FAST, 2)) {
            alerts.publish(change(IncidentChange.Kind.OPENED, 1));
            entered.await();
            for (long id = 2; id <= 5; id++) {
                alerts.publish(change(IncidentChange.Kind.OPENED, id));
            }
            assertThat(log).anyMatch(l -> l.contains("is full: dropped the opened alert of incident 2"));
            release.countDown();
            assertThat(alerts.awaitIdle(Duration.ofSeconds(20))).isTrue();
            assertThat(sent).containsExactly(1L, 4L, 5L);
        }
    }

    @Test
    void runsTheExecHookWithTheAlertOnStandardInput() throws Exception {
        Path out = tmp.resolve("alerts.ndjson");
        try (Alerts alerts = new Alerts(List.of(new ExecSink("cat >> '" + out + "'; echo \" $REWIND_ALERT $REWIND_INCIDENT\" >> '"
                + out + "'", Duration.ofSeconds(30))), log::add, FAST, 10)) {
            alerts.publish(change(IncidentChange.Kind.OPENED, 3));
            assertThat(alerts.awaitIdle(Duration.ofSeconds(20))).isTrue();
        }
        String written = Files.readString(out);
        assertThat(written).endsWith(" opened 3\n");
        Document alert = Document.parse(written.substring(0, written.lastIndexOf(" opened 3")));
        assertThat(alert.getString("event")).isEqualTo("opened");
        assertThat(alert.get("incident", Document.class).getString("rule")).isEqualTo("mass-delete");
    }

    @Test
    void retriesAnExecHookThatFails() throws Exception {
        Path marker = tmp.resolve("tries");
        String script = "echo x >> '" + marker + "'; test $(wc -l < '" + marker + "') -ge 3";
        try (Alerts alerts = new Alerts(List.of(new ExecSink(script, Duration.ofSeconds(30))), log::add, FAST, 10)) {
            alerts.publish(change(IncidentChange.Kind.CLOSED, 3));
            assertThat(alerts.awaitIdle(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(Files.readAllLines(marker)).hasSize(3);
        assertThat(log).anyMatch(l -> l.contains("exec hook failed (exited with 1)"));
    }
}
