package dev.rewind.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection inside a real capture of the sandbox: a webhook that hangs or fails, and a normal workload. */
class DetectionUnderCaptureTest {
    @TempDir
    Path tmp;

    static void load(MongoCollection<Document> family, int n) {
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(new Document("_id", i).append("email", "f" + i + "@example.org").append("plan", "free"));
            if (batch.size() == 1000) {
                family.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            family.insertMany(batch);
        }
    }

    Repository repo() {
        String dir = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", dir).exitCode()).isZero();
        return Repositories.open(dir);
    }

    static void awaitSnapshot(Repository r) throws InterruptedException {
        while (r.snapshots().isEmpty()) {
            Thread.sleep(50);
        }
        Thread.sleep(1100);
    }

    @Test
    void captureKeepsPaceWhileTheWebhookHangsAndFailsAndEveryAlertArrivesAfterRetries() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri());
             WebhookServer webhook = new WebhookServer(n -> {
                 if (n == 1) {
                     try {
                         release.await(60, TimeUnit.SECONDS);
                     } catch (InterruptedException e) {
                         Thread.currentThread().interrupt();
                     }
                 }
                 return n <= 2 ? 500 : 200;
             })) {
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            load(family, 3000);
            Repository r = repo();
            Backoff fast = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(2));
            try (DetectingCapture capture = new DetectingCapture(r, client, sandbox.uri(), new Rules(Rules.defaultRules(), 2),
                    webhook.url(), fast, Duration.ofSeconds(90))) {
                awaitSnapshot(r);
                for (int i = 0; i < 1000; i++) {
                    family.deleteOne(Filters.eq("_id", i));
                }
                ClusterTime accidentOver = new ClusterClock(client).now();
                family.insertOne(new Document("_id", "after").append("email", "after@example.org"));
                ClusterTime afterIt = new ClusterClock(client).now();

                long end = System.currentTimeMillis() + 60_000;
                while ((capture.loop.covered().isBefore(afterIt) || webhook.requests() == 0) && System.currentTimeMillis() < end) {
                    Thread.sleep(50);
                }
                assertThat(webhook.requests()).as("the opened alert is stuck in the webhook").isEqualTo(1);
                assertThat(capture.loop.covered()).as("capture went on past the accident meanwhile").isGreaterThanOrEqualTo(afterIt);
                assertThat(accidentOver).isLessThan(afterIt);
                assertThat(webhook.delivered()).isEmpty();
                release.countDown();

                List<Document> delivered = webhook.awaitDelivered(2, 60);
                assertThat(delivered).extracting(d -> d.getString("event")).containsExactly("opened", "closed");
                assertThat(delivered.get(1).get("incident", Document.class).get("total", Number.class).longValue()).isEqualTo(1000);
                assertThat(webhook.requests()).isEqualTo(4);
                assertThat(capture.log).anyMatch(l -> l.contains("failed (HTTP 500); retrying the opened alert of incident 1"));
            }
        }
    }

    @Test
    void aNormalWorkloadRaisesNothing() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri());
             WebhookServer webhook = WebhookServer.alwaysOk()) {
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            load(family, 10_000);
            Repository r = repo();
            try (DetectingCapture capture = new DetectingCapture(r, client, sandbox.uri(), Rules.defaults(), webhook.url(),
                    Backoff.DEFAULT)) {
                awaitSnapshot(r);
                Random random = new Random(3);
                int next = 100_000;
                long end = System.currentTimeMillis() + 8_000;
                while (System.currentTimeMillis() < end) {
                    for (int k = 0; k < 20; k++) {
                        family.insertOne(new Document("_id", next++).append("email", "n" + next + "@example.org"));
                        family.updateOne(Filters.eq("_id", random.nextInt(10_000)), Updates.inc("visits", 1));
                        if (k % 4 == 0) {
                            family.deleteOne(Filters.eq("_id", random.nextInt(10_000)));
                        }
                    }
                    Thread.sleep(100);
                }
            }
            assertThat(webhook.requests()).isZero();
            CliRun.Result list = CliRun.run("incidents", "--repo", r.location());
            assertThat(list.out()).startsWith("no incidents");
        }
    }
}
