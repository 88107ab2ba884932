package dev.rewind.capture;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoQueryException;
import com.mongodb.client.MongoClient;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.mongo.ServerProbe;
import dev.rewind.repo.Gap;
import dev.rewind.repo.Repository;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running capture (DESIGN.md, "The capture contract"). Each round reads the cluster time,
 * reads every stream, and keeps the events in memory; a segment covering {@code (covered, horizon]}
 * is sealed when the oldest kept event is older than the seal interval (or on size), and an empty
 * one when idle for the idle interval (by default the seal interval), so the position is durable
 * within it even without writes. The
 * position a restart resumes from is the newest segment's end: it is persisted only by sealing,
 * after the events before it are durable. Replay after a restart starts there inclusive and drops
 * what the log already has, so an overlap is harmless. If the server no longer has that position,
 * a gap is recorded and a new snapshot taken.
 */
public final class CaptureLoop {
    private static final Logger log = LoggerFactory.getLogger(CaptureLoop.class);
    /** Server error codes meaning the resume point is gone from the oplog. */
    static final Set<Integer> HISTORY_LOST = Set.of(286, 280, 136);

    private final Repository repo;
    private final MongoClient client;
    private final String source;
    private final CaptureOptions options;
    private final Consumer<String> say;
    private final List<Consumer<List<ChangeEvent>>> sealListeners = new ArrayList<>();
    private final List<ChangeEvent> buffer = new ArrayList<>();
    private final String started = Instant.now().toString();
    private ServerProbe probe;
    private ClusterTime covered;
    private long firstBufferedAt;
    private long lastSealAt = System.nanoTime();
    private long events;
    private long segments;
    private volatile String lastError;
    private String lastEventAt;
    private volatile String state = "starting";
    private volatile long lastSealWallMillis = System.currentTimeMillis();
    private final SnapshotSchedule snapshots;
    private Runnable beforeWrite = () -> { };

    public CaptureLoop(Repository repo, MongoClient client, String source, CaptureOptions options, Consumer<String> say) {
        this.repo = repo;
        this.client = client;
        this.source = source;
        this.options = options;
        this.say = say;
        String lastSnapshot = null;
        try {
            CaptureStatus before = CaptureStatus.load(repo.store());
            if (before != null) {  // counters go on over restarts, so they count the whole log
                events = before.events();
                segments = before.segments();
                lastEventAt = before.lastEventAt();
                lastSnapshot = before.lastSnapshot();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the last capture status (counters start at 0): {}", e.toString());
        }
        this.snapshots = new SnapshotSchedule(repo, client, source, options, say, error -> lastError = error, lastSnapshot,
                this::checkLock);
    }

    /** Called with the events of each sealed segment, after it is durable (the detector listens here). */
    public void onSealed(Consumer<List<ChangeEvent>> listener) {
        sealListeners.add(listener);
    }

    /** The position up to which every change is durable (the newest sealed segment's end); null before the first round. */
    public ClusterTime covered() {
        return covered;
    }

    public ServerProbe probe() {
        return probe;
    }

    /** What capture is doing: starting, running, retrying, stopped or failed (as in capture/status). */
    public String state() {
        return state;
    }

    /** Events in the log (counted over restarts, as capture/status counts them). */
    public long events() {
        return events;
    }

    /** Segments sealed (counted over restarts). */
    public long segments() {
        return segments;
    }

    /** Snapshots this capture took. */
    public long snapshotsTaken() {
        return snapshots.taken();
    }

    /** Milliseconds since the last segment was sealed (or since capture started). */
    public long sinceLastSealMillis() {
        return System.currentTimeMillis() - lastSealWallMillis;
    }

    /**
     * Checks, before every seal and every snapshot it publishes, that the writer lock is still this
     * capture's (its token); when it is not, capture stops with LOCKED instead of writing beside
     * another writer.
     */
    public CaptureLoop guardedBy(dev.rewind.repo.WriterLock lock) {
        this.beforeWrite = lock::checkStillHeld;
        return this;
    }

    /**
     * Runs until {@code stop} is set, then seals what it holds and returns. However it ends, it
     * leaves {@code capture/status} saying so, never {@code running}.
     */
    public void run(AtomicBoolean stop) throws InterruptedException {
        boolean ended = false;
        try {
            loop(stop);
            ended = true;
        } finally {
            if (!ended) {
                try {
                    writeStatus("failed");
                } catch (RuntimeException e) {
                    log.warn("could not record that capture failed: {}", firstLine(e));
                }
            }
        }
    }

    private void loop(AtomicBoolean stop) throws InterruptedException {
        writeStatus("starting");
        long backoff = 500;
        while (!stop.get()) {
            try {
                session(stop);
                backoff = 500;
            } catch (MongoException e) {
                if (isHistoryLost(e)) {
                    historyLost(e);
                    continue;
                }
                if (!ServerErrors.isTransient(e)) {
                    lastError = Instant.now() + " " + firstLine(e);
                    throw ServerErrors.fatal(e, covered);
                }
                lastError = Instant.now() + " " + firstLine(e);
                buffer.clear();
                say.accept("server unavailable (" + firstLine(e) + "); retrying in " + backoff + " ms");
                writeStatus("retrying");
                sleep(stop, backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
        writeStatus("stopped");
    }

    private void session(AtomicBoolean stop) throws InterruptedException {
        probe = ServerProbe.of(client, options.patterns());
        if (probe.mode() == ServerProbe.CaptureMode.NONE) {
            throw new dev.rewind.RewindException(dev.rewind.ExitCode.REFUSED,
                    "the server is a standalone mongod: it has no change streams, so nothing can be captured",
                    "run it as a single-node replica set (mongod --replSet rs0, then rs.initiate()) and capture that");
        }
        ClusterClock clock = new ClusterClock(client);
        if (covered == null) {
            covered = resumePoint(clock);
        }
        try (StreamSet streams = new StreamSet(client, probe, options.patterns())) {
            say.accept("capturing in " + probe.mode().name().toLowerCase() + " mode from " + covered
                    + " (" + probe.topology() + ", MongoDB " + probe.version() + ")");
            for (String lack : probe.lacks()) {
                say.accept("the server lacks " + lack);
            }
            writeStatus("running");
            if (probe.postImages()) {
                say.accept(probe.imageCollections().isEmpty()
                        ? "no captured collection records pre- and post-images: updates are rebuilt from updateDescription"
                        : "pre- and post-images recorded for " + String.join(", ", probe.imageCollections())
                                + "; other collections' updates are rebuilt from updateDescription");
            }
            while (!stop.get()) {
                ClusterTime now = clock.now();
                StreamSet.Round round = streams.read(covered, now == null ? covered : now);
                if (!round.events().isEmpty() && buffer.isEmpty()) {
                    firstBufferedAt = System.nanoTime();
                }
                buffer.addAll(round.events());
                maybeSeal(round.horizon(), streams, false);
                snapshots.maybeStart();
                if (round.events().isEmpty()) {
                    sleep(stop, 100);
                }
            }
            ClusterTime now = clock.now();
            StreamSet.Round last = streams.read(covered, now == null ? covered : now);
            buffer.addAll(last.events());
            maybeSeal(last.horizon(), streams, true);
        }
        snapshots.await();
    }

    /**
     * Where to start: the newest segment's end; for a repository without a log, the newest
     * snapshot's {@code startAt} (a capture killed after its first snapshot but before its first
     * seal must still cover that snapshot, or it never opens a window), else now.
     */
    private ClusterTime resumePoint(ClusterClock clock) {
        List<SegmentName> names = repo.segmentNames();
        if (!names.isEmpty()) {
            return names.get(names.size() - 1).to();
        }
        List<SnapshotManifest> snapshots = repo.snapshots();
        if (!snapshots.isEmpty() && snapshots.get(snapshots.size() - 1).startAt() != null) {
            return snapshots.get(snapshots.size() - 1).startAt();
        }
        ClusterTime now = clock.now();
        if (now == null) {
            throw new dev.rewind.RewindException(dev.rewind.ExitCode.REFUSED,
                    "the server reports no cluster time, so it has no change streams",
                    "capture needs a replica set or a sharded cluster (a single-node replica set will do)");
        }
        return now;
    }

    private void maybeSeal(ClusterTime horizon, StreamSet streams, boolean force) {
        if (!horizon.isAfter(covered)) {
            return;
        }
        List<ChangeEvent> sealable = new ArrayList<>();
        for (ChangeEvent e : buffer) {
            if (!e.clusterTime().isAfter(horizon)) {
                sealable.add(e);
            }
        }
        long now = System.nanoTime();
        boolean due = !sealable.isEmpty() && (force || now - firstBufferedAt >= options.sealInterval().toNanos()
                || sealable.size() >= options.maxSegmentEvents());
        boolean idle = sealable.isEmpty() && (force || now - lastSealAt >= options.idleInterval().toNanos());
        if (!due && !idle) {
            return;
        }
        sealable.sort(Comparator.comparing(ChangeEvent::clusterTime));
        checkLock();
        Segment segment = new Segment(new SegmentName(covered, horizon), probe.mode().name().toLowerCase(),
                streams.positions(), sealable);
        repo.saveSegment(segment);
        // by time, not removeAll: equals on events compares raw BSON deeply, quadratic in a catch-up's buffer
        buffer.removeIf(e -> !e.clusterTime().isAfter(horizon));
        covered = horizon;
        lastSealAt = now;
        firstBufferedAt = now;
        events += sealable.size();
        segments++;
        lastSealWallMillis = System.currentTimeMillis();
        if (!sealable.isEmpty()) {
            lastEventAt = Instant.now().toString();
        }
        writeStatus("running");
        for (Consumer<List<ChangeEvent>> l : sealListeners) {
            l.accept(sealable);
        }
    }

    private void checkLock() {
        try {
            beforeWrite.run();
        } catch (dev.rewind.RewindException e) {
            lastError = Instant.now() + " " + e.getMessage();
            throw e;
        }
    }

    private void historyLost(MongoException e) {
        ClusterTime now = new ClusterClock(client).now();
        if (now == null || !now.isAfter(covered)) {
            now = StreamSet.after(covered);  // the gap holds at least the event the server could not give
        }
        Gap gap = new Gap(covered, now, "the server no longer has the resume point: " + firstLine(e), Instant.now());
        repo.recordGap(gap);
        log.error("CHANGE LOG GAP from {} to {}: {}; taking a new snapshot", covered, now, firstLine(e));
        say.accept("GAP in the change log from " + covered + " to " + now + ": the server no longer has the resume point."
                + " Taking a new snapshot.");
        lastError = Instant.now() + " gap: " + firstLine(e);
        buffer.clear();
        covered = now;
        snapshots.soon();
        lastSealAt = System.nanoTime();
    }

    static boolean isHistoryLost(MongoException e) {
        int code = e instanceof MongoCommandException c ? c.getErrorCode()
                : e instanceof MongoQueryException q ? q.getErrorCode() : e.getCode();
        return HISTORY_LOST.contains(code);
    }

    private void writeStatus(String state) {
        this.state = state;
        try {
            new CaptureStatus(state, ProcessHandle.current().pid(), host(), source,
                    probe == null ? "unknown" : probe.mode().name().toLowerCase(), probe == null ? List.of() : probe.lacks(),
                    started, Instant.now().toString(), covered == null ? null : covered.toString(), events, segments,
                    snapshots.last(), lastError, options.sealInterval().toMillis(),
                    probe == null ? List.of() : probe.imageCollections(), options.idleInterval().toMillis(), lastEventAt)
                    .save(repo.store());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static void sleep(AtomicBoolean stop, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!stop.get() && System.currentTimeMillis() < end) {
            Thread.sleep(Math.min(50, millis));
        }
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

}
