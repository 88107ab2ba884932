package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.rewind.NamespacePattern;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.sandbox.Sandbox;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server goes away under a running capture and comes back on the same port with the same data
 * (the file-backed sandbox, which keeps its oplog in its data file as mongod does). Capture retries
 * meanwhile and then resumes where its log ends, without a gap; the test checks the premise (the
 * oplog survived) first.
 */
class CaptureServerRestartTest {
    @TempDir
    Path tmp;

    @Test
    void captureRetriesWhileTheServerIsDownAndResumesWithoutAGap() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = tmp.resolve("data");
        String uri = "mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000";
        String repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        Repository r = Repositories.open(repo);
        List<String> said = Collections.synchronizedList(new ArrayList<>());
        Sandbox sandbox = Sandbox.start("127.0.0.1", port, data);
        AtomicBoolean stop = new AtomicBoolean();
        Thread capture = null;
        try (MongoClient client = MongoClients.create(uri); MongoClient captureClient = MongoClients.create(uri)) {
            MongoCollection<Document> docs = client.getDatabase("restart").getCollection("docs");
            for (int i = 0; i < 20; i++) {
                docs.insertOne(new Document("_id", i).append("phase", "before capture"));
            }
            CaptureOptions options = new CaptureOptions(List.of(NamespacePattern.parse("restart.*")),
                    Duration.ofMillis(200), Duration.ofSeconds(1), null, 20_000);
            CaptureLoop loop = new CaptureLoop(r, captureClient, uri, options, said::add);
            capture = new Thread(() -> {
                try {
                    loop.run(stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "capture");
            capture.start();
            awaitWindow(repo, said);

            for (int i = 20; i < 40; i++) {
                docs.insertOne(new Document("_id", i).append("phase", "before restart"));
            }
            docs.replaceOne(Filters.eq("_id", 3), new Document("_id", 3).append("phase", "replaced before restart"));
            docs.deleteOne(Filters.eq("_id", 4));
            ClusterTime beforeRestart = new ClusterClock(client).now();
            awaitCovered(r, beforeRestart, said);

            sandbox.close();
            Thread.sleep(2000);
            // the driver retries a read once and selects a server for up to a second each time
            for (int i = 0; i < 100 && said.stream().noneMatch(m -> m.startsWith("server unavailable")); i++) {
                Thread.sleep(100);
            }
            Thread captureThread = capture;
            assertThat(said).as(() -> "capture says it retries; it is at\n" + stack(captureThread))
                    .anyMatch(m -> m.startsWith("server unavailable"));
            sandbox = Sandbox.start("127.0.0.1", port, data);
            // premise: the file-backed sandbox keeps its oplog across a restart, as mongod does, so a
            // stream can still start before the restart (else it would fail with ChangeStreamHistoryLost)
            try (var premise = client.watch().startAtOperationTime(beforeRestart.toBson()).cursor()) {
                assertThat(premise.tryNext()).as("premise: the oplog survived the restart").isNotNull();
            }

            for (int i = 40; i < 60; i++) {
                docs.insertOne(new Document("_id", i).append("phase", "after restart"));
            }
            docs.replaceOne(Filters.eq("_id", 25), new Document("_id", 25).append("phase", "replaced after restart"));
            docs.deleteOne(Filters.eq("_id", 5));
            docs.deleteOne(Filters.eq("_id", 41));
            ClusterTime end = new ClusterClock(client).now();
            awaitCovered(r, end, said);
            stop.set(true);
            capture.join();

            CliRun.Result status = CliRun.run("status", "--repo", repo, "--json");
            Document s = Document.parse(status.out());
            assertThat(s.getList("gaps", Document.class)).as("%s\n%s", status, said).isEmpty();
            assertThat(s.getList("windows", Document.class)).as("%s\n%s", status, said).hasSize(1);
            assertThat(r.gaps()).isEmpty();
            assertThat(LogCoverage.chains(r.segmentNames())).hasSize(1);

            CliRun.Result restored = CliRun.run("restore", "--repo", repo, "--uri", uri, "--at", end.toString(),
                    "--ns-from", "restart.*", "--ns-to", "restart_restored.*", "--quiet");
            assertThat(restored.exitCode()).as(restored.toString()).isZero();
            assertThat(all(client.getDatabase("restart_restored").getCollection("docs")))
                    .as("restore at %s\n%s", end, said).containsExactlyElementsOf(all(docs)).hasSize(57);
        } finally {
            stop.set(true);
            if (capture != null) {
                capture.join(30_000);
            }
            sandbox.close();
        }
    }

    private static void awaitWindow(String repo, List<String> said) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            CliRun.Result status = CliRun.run("status", "--repo", repo, "--json");
            if (!Document.parse(status.out()).getList("windows", Document.class).isEmpty()) {
                return;
            }
            assertThat(System.nanoTime()).as("no window yet: %s\n%s", status, said).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitCovered(Repository r, ClusterTime t, List<String> said) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<SegmentName> names = r.segmentNames();
            if (!names.isEmpty() && !names.get(names.size() - 1).to().isBefore(t)) {
                return;
            }
            assertThat(System.nanoTime()).as("the log does not reach %s: %s\n%s", t, names, said).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String stack(Thread t) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("  at ").append(e).append('\n');
        }
        return b.toString();
    }

    private static List<Document> all(MongoCollection<Document> c) {
        return c.find().sort(new Document("_id", 1)).batchSize(1000).into(new ArrayList<>());
    }
}
