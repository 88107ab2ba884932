package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.rewind.NamespacePattern;
import dev.rewind.capture.CaptureLoop;
import dev.rewind.capture.CaptureOptions;
import dev.rewind.cli.CliRun;
import dev.rewind.detect.Backoff;
import dev.rewind.detect.DetectingCapture;
import dev.rewind.detect.Incident;
import dev.rewind.detect.IncidentStore;
import dev.rewind.detect.Rules;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bson.BsonDocument;

/**
 * An in-memory sandbox whose {@code famigo.*} namespaces are captured in-process into a fresh
 * repository, as {@code rewind capture} would: the test seeds the data, starts the capture (which
 * takes the first snapshot), makes its writes while recording cluster times, then stops the capture
 * and drives {@code undo} through the CLI.
 */
final class Captured implements AutoCloseable {
    final Sandbox sandbox;
    final MongoClient client;
    final MongoDatabase db;
    final String repo;
    private final ClusterClock clock;
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread capture;

    Captured(Path tmp) {
        this(tmp.resolve("repo").toString());
    }

    /** With the repository at {@code location}: a folder, or an {@code s3://} location. */
    Captured(String location) {
        this(location, dev.rewind.sandbox.SandboxOptions.defaults());
    }

    /** With an in-memory sandbox of these options. */
    Captured(String location, dev.rewind.sandbox.SandboxOptions options) {
        sandbox = Sandbox.start(options);
        client = MongoClients.create(sandbox.uri());
        db = client.getDatabase("famigo");
        clock = new ClusterClock(client);
        repo = location;
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
    }

    /** Starts capturing (again, resuming where it stopped) and returns once the first snapshot is in the repository and a second has passed. */
    void startCapture() throws InterruptedException {
        stop.set(false);
        Repository r = Repositories.open(repo);
        CaptureLoop loop = new CaptureLoop(r, client, sandbox.uri(), new CaptureOptions(
                List.of(NamespacePattern.parse("famigo.*")), Duration.ofMillis(300), Duration.ofSeconds(1), null, 20_000),
                m -> { });
        capture = new Thread(() -> {
            try {
                loop.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        capture.start();
        while (r.snapshots().isEmpty()) {
            Thread.sleep(50);
        }
        Thread.sleep(1100);
    }

    /** Waits until the change log covers every write made so far (at most a minute), then stops the capture. */
    void stopCapture() throws InterruptedException {
        ClusterTime last = now();
        Repository r = Repositories.open(repo);
        for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline; ) {
            if (LogCoverage.windows(r.snapshots(), r.segmentNames()).stream().anyMatch(w -> !w.to().isBefore(last))) {
                break;
            }
            Thread.sleep(100);
        }
        stop.set(true);
        capture.join();
    }

    /** The accident a test makes while capture runs. */
    interface Accident {
        void run() throws Exception;
    }

    /**
     * Runs capture with detection (the default rules, a 2 s quiet period) into the repository, makes
     * the accident once the first snapshot is in and a second has passed, and waits until the log
     * covers it and an incident is stored (at most 30 s). Returns every incident stored.
     */
    List<Incident> underDetection(Accident accident) throws Exception {
        Repository r = Repositories.open(repo);
        try (DetectingCapture capture = new DetectingCapture(r, client, sandbox.uri(),
                Rules.parse("{\"quietSeconds\": 2}", "test"), null, Backoff.DEFAULT)) {
            while (r.snapshots().isEmpty()) {
                Thread.sleep(50);
            }
            Thread.sleep(1100);
            accident.run();
            capture.awaitCaptured(client);
            IncidentStore incidents = new IncidentStore(r.store());
            for (long end = System.currentTimeMillis() + 30_000; incidents.all().isEmpty() && System.currentTimeMillis() < end; ) {
                Thread.sleep(100);
            }
        }
        return new IncidentStore(r.store()).all();
    }

    ClusterTime now() {
        return clock.now();
    }

    /** {@code undo --repo R --uri U} followed by {@code args}. */
    CliRun.Result undo(String... args) {
        List<String> all = new ArrayList<>(List.of("undo", "--repo", repo, "--uri", sandbox.uri()));
        all.addAll(List.of(args));
        return CliRun.run(all.toArray(String[]::new));
    }

    /** One collection, by _id, as stored (field order kept). */
    Map<Object, BsonDocument> collection(String name) {
        Map<Object, BsonDocument> out = new LinkedHashMap<>();
        db.getCollection(name, BsonDocument.class).find().batchSize(1000).forEach(d -> out.put(d.get("_id"), d));
        return out;
    }

    /** Every collection of the database, each document as its JSON (so field order counts). */
    Map<String, Map<Object, String>> everything() {
        Map<String, Map<Object, String>> out = new TreeMap<>();
        for (String c : db.listCollectionNames()) {
            Map<Object, String> docs = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            collection(c).forEach((id, d) -> docs.put(id, d.toJson()));
            out.put(c, docs);
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        if (capture != null && capture.isAlive()) {
            stop.set(true);
            capture.join();
        }
        client.close();
        sandbox.close();
    }
}
