package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.NamespacePattern;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture with the default intervals records its position within the seal interval even while the
 * captured namespaces are idle: the server's position moves on (writes elsewhere), and the newest
 * segment's end follows it within a few seal intervals, not only every 30 seconds.
 */
class IdleCoverageTest {
    @TempDir
    Path tmp;

    @Test
    void anIdleCaptureMakesItsPositionDurableWithinTheSealInterval() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
            Repository r = Repositories.open(repo);
            CaptureLoop loop = new CaptureLoop(r, client, sandbox.uri(),
                    CaptureOptions.defaults(List.of(NamespacePattern.parse("shop.*"))), m -> { });
            AtomicBoolean stop = new AtomicBoolean();
            Thread t = new Thread(() -> {
                try {
                    loop.run(stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            try {
                while (r.snapshots().isEmpty()) {
                    Thread.sleep(50);
                }
                // shop.* stays idle; a write elsewhere moves the server's position on
                client.getDatabase("elsewhere").getCollection("x").insertOne(new Document("_id", 1));
                ClusterTime moved = new ClusterClock(client).now();
                ClusterTime durable = null;
                for (long deadline = System.nanoTime() + 4 * CaptureOptions.DEFAULT_SEAL.toNanos() + 2_000_000_000L;
                     System.nanoTime() < deadline; Thread.sleep(100)) {
                    List<SegmentName> names = r.segmentNames();
                    durable = names.isEmpty() ? null : names.get(names.size() - 1).to();
                    if (durable != null && !durable.isBefore(moved)) {
                        break;
                    }
                }
                assertThat(durable).as("the newest segment's end, %s after the write elsewhere at %s", durable, moved)
                        .matches(d -> d != null && !d.isBefore(moved));
            } finally {
                stop.set(true);
                t.join();
            }
        }
    }
}
