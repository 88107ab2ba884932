package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * A repository that captured {@code shop.orders} on a sandbox: 100 orders, capture's first snapshot,
 * then deletes, a second snapshot (by the CLI), more deletes, then five inserts in segments of their own
 * (orders 200 to 204); {@code afterFirst} and {@code afterSecond}
 * are cluster times between them, so a restore at {@code afterFirst} is served by the first snapshot.
 */
final class CapturedShop implements AutoCloseable {
    final Sandbox sandbox = Sandbox.inMemory();
    final MongoClient client = MongoClients.create(sandbox.uri());
    final MongoCollection<Document> orders = client.getDatabase("shop").getCollection("orders");
    final String repo;
    final SnapshotManifest first;
    final SnapshotManifest second;
    final ClusterTime afterFirst;
    final ClusterTime afterSecond;

    CapturedShop(Path tmp) throws Exception {
        repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            docs.add(new Document("_id", i).append("total", i));
        }
        orders.insertMany(docs);
        Repository r = Repositories.open(repo);
        ClusterClock clock = new ClusterClock(client);
        try (CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "shop.*")) {
            orders.deleteMany(Filters.lt("_id", 10));
            afterFirst = clock.now();
            Thread.sleep(1100);
            CliRun.Result snap = CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri());
            assertThat(snap.exitCode()).as(snap.toString()).isZero();
            Thread.sleep(1100);
            orders.deleteMany(Filters.lt("_id", 20));
            afterSecond = clock.now();
            for (int i = 0; i < 5; i++) {   // a few more segments, each sealed on its own
                Thread.sleep(450);
                orders.insertOne(new Document("_id", 200 + i).append("total", 0));
            }
            ClusterTime last = clock.now();
            for (long end = System.nanoTime() + 30_000_000_000L; System.nanoTime() < end; Thread.sleep(100)) {
                if (LogCoverage.windows(r.snapshots(), r.segmentNames()).stream().anyMatch(w -> !w.to().isBefore(last))) {
                    break;
                }
            }
        }
        List<SnapshotManifest> all = Repositories.open(repo).snapshots();
        assertThat(all).hasSize(2);
        first = all.get(0);
        second = all.get(1);
    }

    Path file(String name) {
        return Path.of(repo).resolve(name);
    }

    CliRun.Result run(String... args) {
        return CliRun.run(args);
    }

    @Override
    public void close() {
        client.close();
        sandbox.close();
    }
}
