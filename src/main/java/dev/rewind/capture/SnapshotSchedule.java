package dev.rewind.capture;

import com.mongodb.client.MongoClient;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.snapshot.Progress;
import dev.rewind.snapshot.SnapshotTaker;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots capture takes while it goes on capturing, each in its own thread: the first when the
 * repository has none, then one every {@code --snapshot-every}, and one for each request of
 * {@code rewind snapshot} ({@link SnapshotRequests}, looked for about once a second).
 */
final class SnapshotSchedule {
    private static final Logger log = LoggerFactory.getLogger(SnapshotSchedule.class);

    private final Repository repo;
    private final MongoClient client;
    private final String source;
    private final CaptureOptions options;
    private final Consumer<String> say;
    private final Consumer<String> onError;
    private final SnapshotRequests requests;
    private volatile Thread thread;
    private volatile String last;
    private volatile long taken;
    private volatile Instant next;
    private long lastRequestCheck;

    private final Runnable beforePublish;

    /**
     * @param onError told the error of a snapshot that failed (for capture's status)
     * @param beforePublish run before a snapshot's manifest is published (capture's lock check)
     */
    SnapshotSchedule(Repository repo, MongoClient client, String source, CaptureOptions options, Consumer<String> say,
                     Consumer<String> onError, String last, Runnable beforePublish) {
        this.beforePublish = beforePublish;
        this.repo = repo;
        this.client = client;
        this.source = source;
        this.options = options;
        this.say = say;
        this.onError = onError;
        this.requests = new SnapshotRequests(repo.store());
        this.last = last;
    }

    /** The id of the newest snapshot known, or null. */
    String last() {
        return last;
    }

    /** Snapshots taken by this schedule. */
    long taken() {
        return taken;
    }

    /** Takes a new snapshot as soon as it can (the log has a gap). */
    void soon() {
        next = Instant.now();
    }

    /** Called every round of capture: starts a snapshot that is due or asked for, unless one is running. */
    void maybeStart() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        List<SnapshotRequests.Request> asked = List.of();
        if (System.nanoTime() - lastRequestCheck >= 1_000_000_000L) {
            lastRequestCheck = System.nanoTime();
            try {
                asked = requests.pending();
            } catch (RuntimeException e) {
                log.warn("cannot read the snapshot requests: {}", e.toString());
            }
        }
        if (!asked.isEmpty()) {
            start(asked);
            return;
        }
        if (next == null) {
            // a snapshot without a change-log position (an imported dump) cannot open a window: it does not count
            List<SnapshotManifest> all = repo.snapshots().stream().filter(m -> m.startAt() != null).toList();
            if (all.isEmpty()) {
                next = Instant.now();
            } else {
                last = all.get(all.size() - 1).id();
                next = options.snapshotEvery() == null ? Instant.MAX : all.get(all.size() - 1).finished().plus(options.snapshotEvery());
            }
        }
        if (Instant.now().isBefore(next)) {
            return;
        }
        next = options.snapshotEvery() == null ? Instant.MAX : Instant.now().plus(options.snapshotEvery());
        start(List.of());
    }

    /** Waits for a snapshot still running. */
    void await() throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join();
        }
    }

    /** Takes a snapshot in its own thread; answers {@code asked} with it. */
    private void start(List<SnapshotRequests.Request> asked) {
        Thread t = new Thread(() -> {
            try {
                say.accept(asked.isEmpty() ? "taking a snapshot while capture goes on"
                        : "taking a snapshot while capture goes on, as " + asked.get(0).by() + " asked");
                SnapshotManifest m = new SnapshotTaker(repo, client, source, Progress.NONE).beforePublish(beforePublish)
                        .take(options.patterns(), true);
                last = m.id();
                taken++;
                say.accept(String.format("snapshot %s done: %,d documents, startAt %s, endAt %s", m.id(), m.documents(),
                        m.startAt(), m.endAt()));
                asked.forEach(r -> requests.answer(r.id(), m.id(), null));
            } catch (Exception e) {
                String why = CaptureLoop.firstLine(e);
                onError.accept(Instant.now() + " snapshot failed: " + why);
                say.accept("snapshot failed: " + why + (asked.isEmpty() ? " (retrying in 30 s)" : ""));
                if (asked.isEmpty()) {
                    next = Instant.now().plusSeconds(30);
                }
                asked.forEach(r -> requests.answer(r.id(), null, why));
            }
        }, "capture-snapshot");
        t.setDaemon(true);
        thread = t;
        t.start();
    }
}
