package dev.rewind.capture;

import com.mongodb.client.MongoClient;
import dev.rewind.NamespacePattern;
import dev.rewind.repo.Repository;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Capture running in a thread of the test, as {@code rewind capture} runs it, with short seal
 * and idle intervals: started, waited on until its first snapshot is restorable, stopped by close.
 */
public final class CaptureRun implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CaptureLoop loop;
    private final Thread thread;
    private final Repository repo;

    private CaptureRun(Repository repo, CaptureLoop loop) {
        this.repo = repo;
        this.loop = loop;
        this.thread = new Thread(() -> {
            try {
                loop.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-capture");
    }

    /** Starts capturing {@code pattern} and returns once the first snapshot's endAt has passed. */
    public static CaptureRun start(Repository repo, MongoClient client, String uri, String pattern) throws InterruptedException {
        return start(repo, client, uri, pattern, null);
    }

    /** As above, taking a new snapshot every {@code snapshotEvery} (null: only the first) while capture goes on. */
    public static CaptureRun start(Repository repo, MongoClient client, String uri, String pattern, Duration snapshotEvery)
            throws InterruptedException {
        CaptureLoop loop = new CaptureLoop(repo, client, uri, new CaptureOptions(List.of(NamespacePattern.parse(pattern)),
                Duration.ofMillis(300), Duration.ofSeconds(1), snapshotEvery, 20_000), m -> { if (Boolean.getBoolean("capture.say")) System.err.println("CAPTURE " + java.time.Instant.now() + " " + m); });
        CaptureRun run = new CaptureRun(repo, loop);
        run.thread.start();
        while (repo.snapshots().isEmpty()) {
            Thread.sleep(50);
        }
        Thread.sleep(1100);  // past the snapshot's endAt (whole seconds), so every later instant is restorable
        return run;
    }

    public CaptureLoop loop() {
        return loop;
    }

    /** Stops capture after it has sealed what it holds. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
    }

    Repository repo() {
        return repo;
    }
}
