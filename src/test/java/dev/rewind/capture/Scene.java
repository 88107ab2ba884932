package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

/**
 * A sandbox whose {@code shop.*} namespaces are captured in-process into a fresh repository: the
 * test seeds data, starts the capture (which takes the first snapshot), changes things while taking
 * cluster times, stops the capture once the log covers every write, then restores through the CLI.
 */
final class Scene implements AutoCloseable {
    final Sandbox sandbox;
    final MongoClient client;
    final MongoDatabase db;
    final String repo;
    private final ClusterClock clock;
    private CaptureRun capture;

    Scene(Path tmp, MongoRelease release) {
        sandbox = Sandbox.start(SandboxOptions.defaults().release(release));
        client = MongoClients.create(sandbox.uri());
        db = client.getDatabase("shop");
        clock = new ClusterClock(client);
        repo = tmp.resolve("repo-" + release.label()).toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
    }

    void startCapture() throws InterruptedException {
        capture = CaptureRun.start(Repositories.open(repo), client, sandbox.uri(), "shop.*");
    }

    ClusterTime now() {
        return clock.now();
    }

    /** Waits until the log covers every write made so far (at most a minute), then stops the capture. */
    void stopCapture() throws InterruptedException {
        ClusterTime last = now();
        Repository r = Repositories.open(repo);
        for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline; ) {
            if (LogCoverage.windows(r.snapshots(), r.segmentNames()).stream().anyMatch(w -> !w.to().isBefore(last))) {
                break;
            }
            Thread.sleep(100);
        }
        capture.close();
    }

    /** {@code restore --at T --ns-from 'shop.*' --ns-to 'DB.*'}, which must succeed. */
    CliRun.Result restoreAt(ClusterTime t, String toDb) {
        CliRun.Result r = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--at", t.toString(),
                "--ns-from", "shop.*", "--ns-to", toDb + ".*");
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r;
    }

    /** listCollections of a database, by name. */
    Map<String, Document> collections(String database) {
        Map<String, Document> out = new TreeMap<>();
        client.getDatabase(database).listCollections().forEach(c -> out.put(c.getString("name"), c));
        return out;
    }

    /** The index names of a collection, sorted, each with its {@code unique} flag when set. */
    List<String> indexes(String database, String collection) {
        List<String> out = new ArrayList<>();
        client.getDatabase(database).getCollection(collection).listIndexes()
                .forEach(i -> out.add(i.getString("name") + (Boolean.TRUE.equals(i.get("unique")) ? " unique" : "")));
        out.sort(String::compareTo);
        return out;
    }

    /** A collection's documents in {@code _id} order. */
    List<Document> documents(String database, String collection) {
        List<Document> out = new ArrayList<>();
        client.getDatabase(database).getCollection(collection).find().sort(new Document("_id", 1)).into(out);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        if (capture != null) {
            capture.close();
        }
        client.close();
        sandbox.close();
    }
}
