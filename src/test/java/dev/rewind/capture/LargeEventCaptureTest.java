package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.ExitCode;
import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.cli.CliRun;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change event over 16 MB: an update of a 9 MB document in a collection that records pre- and
 * post-images carries both (MongoDB manual, "$changeStreamSplitLargeEvent": "If a change stream has
 * large events that exceed 16 MB, a BSONObjectTooLarge exception is returned"). Where the server
 * can split such events (7.0, 6.0.9), capture asks it to and reassembles the fragments; where it
 * cannot, capture stops with the error named and a hint, instead of retrying forever.
 */
class LargeEventCaptureTest {
    @TempDir
    Path tmp;

    private static final String BIG = "x".repeat(9 * 1024 * 1024);

    @Test
    void aSplitEventIsReassembledAndRestoresExactly() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults().release(MongoRelease.V7_0));
             MongoClient client = MongoClients.create(sandbox.uri())) {
            client.getDatabase("big").createCollection("docs",
                    new com.mongodb.client.model.CreateCollectionOptions().changeStreamPreAndPostImagesOptions(
                            new com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions(true)));
            MongoCollection<Document> docs = client.getDatabase("big").getCollection("docs");
            docs.insertOne(new Document("_id", 1).append("blob", BIG).append("n", 0));
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            try (CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "big.*")) {
                docs.updateOne(Filters.eq("_id", 1), Updates.set("n", 1));
                docs.insertOne(new Document("_id", 2).append("after", true));
                String at = new ClusterClock(client).now().toString();
                awaitCovered(r, at);
                CliRun.Result restore = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--at", at,
                        "--ns-from", "big.*", "--ns-to", "big_at.*", "--quiet");
                assertThat(restore.exitCode()).as(restore.toString()).isZero();
            }
            assertThat(client.getDatabase("big_at").getCollection("docs").find().sort(new Document("_id", 1))
                    .into(new ArrayList<>())).isEqualTo(docs.find().sort(new Document("_id", 1)).into(new ArrayList<>()));
        }
    }

    @Test
    void withoutSplittingCaptureStopsAndNamesTheError() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults().release(MongoRelease.V6_0));
             MongoClient client = MongoClients.create(sandbox.uri())) {
            client.getDatabase("big").createCollection("docs",
                    new com.mongodb.client.model.CreateCollectionOptions().changeStreamPreAndPostImagesOptions(
                            new com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions(true)));
            MongoCollection<Document> docs = client.getDatabase("big").getCollection("docs");
            docs.insertOne(new Document("_id", 1).append("blob", BIG).append("n", 0));
            Repository r = Repositories.open(initRepo());
            List<String> said = java.util.Collections.synchronizedList(new ArrayList<>());
            CaptureLoop loop = new CaptureLoop(r, client, sandbox.uri(), new CaptureOptions(
                    List.of(NamespacePattern.parse("big.*")), Duration.ofMillis(200), Duration.ofSeconds(1), null, 20_000),
                    said::add);
            RewindException[] failed = new RewindException[1];
            Thread t = new Thread(() -> {
                try {
                    loop.run(new AtomicBoolean());
                } catch (RewindException e) {
                    failed[0] = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            while (r.snapshots().isEmpty()) {
                Thread.sleep(50);
            }
            docs.updateOne(Filters.eq("_id", 1), Updates.set("n", 1));
            t.join(30_000);
            assertThat(t.isAlive()).as("capture stopped instead of retrying: %s", said).isFalse();
            assertThat(failed[0]).isNotNull();
            assertThat(failed[0].exitCode()).isEqualTo(ExitCode.SERVER_REFUSED);
            assertThat(failed[0].getMessage()).contains("BSONObjectTooLarge");
            assertThat(failed[0].hint()).contains("$changeStreamSplitLargeEvent");
        }
    }

    private String initRepo() {
        String repo = tmp.resolve("repo6").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        return repo;
    }

    private static void awaitCovered(Repository r, String at) throws InterruptedException {
        dev.rewind.event.ClusterTime t = dev.rewind.event.ClusterTime.parse(at);
        for (int i = 0; i < 200; i++) {
            var names = r.segmentNames();
            if (!names.isEmpty() && !names.get(names.size() - 1).to().isBefore(t)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("capture did not reach " + at);
    }
}
