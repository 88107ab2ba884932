package dev.rewind.detect;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.rewind.undo.OwnWrites;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Detection as capture runs: fed with each sealed segment's events (after they are durable), it
 * keeps the collection sizes in step with the newest snapshot, runs the {@link Detector}, stores
 * every incident change and hands opened and closed incidents to the {@link Alerts}; with
 * {@link #startTicking()} it also checks every second for incidents gone quiet. A failure here is
 * logged and never stops capture.
 */
public final class IncidentWatch implements Consumer<List<ChangeEvent>>, AutoCloseable {
    private final Repository repo;
    private final IncidentStore store;
    private final Detector detector;
    private final Alerts alerts;
    private final Supplier<ClusterTime> horizon;
    private final Consumer<String> log;
    private final OwnWrites own;
    private String knownSnapshot;
    private java.util.concurrent.ScheduledExecutorService ticker;

    /**
     * @param horizon what capture has covered once a segment is sealed (the loop's position)
     * @param source the captured server, password redacted, for the undo command
     */
    public IncidentWatch(Repository repo, Rules rules, Alerts alerts, Supplier<ClusterTime> horizon, String source,
                         Consumer<String> log) {
        this.repo = repo;
        this.store = new IncidentStore(repo.store());
        this.alerts = alerts;
        this.horizon = horizon;
        this.log = log;
        this.own = new OwnWrites(repo.store());
        this.detector = new Detector(rules, new CollectionSizes(), store::allocate, Clock.systemUTC(), repo.location(), source);
        closeLeftOpen();
        refreshSizes();
    }

    /**
     * Also looks once a second, between seals: a server whose cluster time stands still while idle
     * (no idle seal then) must still see its incidents close after the quiet period.
     */
    public IncidentWatch startTicking() {
        ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "incident-watch");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(() -> accept(List.of()), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return this;
    }

    /** How many incidents are open now. */
    public synchronized int openIncidents() {
        return detector.openIncidents().size();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    @Override
    public synchronized void accept(List<ChangeEvent> events) {
        try {
            refreshSizes();
            Map<String, Long> ownWrites = new TreeMap<>();
            if (!events.isEmpty()) {
                own.refresh();
            }
            for (IncidentChange change : detector.accept(events, horizon.get(), e -> {
                String whose = own.whose(e);
                if (whose != null) {
                    ownWrites.merge(whose + " in " + e.ns(), 1L, Long::sum);
                }
                return whose != null;
            })) {
                store.save(change.incident());
                alerts.publish(change);
            }
            ownWrites.forEach((what, n) -> log.accept(String.format("Rewind's own writes, not an incident: %,d %s of %s",
                    n, n == 1 ? "change" : "changes", what)));
        } catch (RuntimeException e) {
            log.accept("detection failed on a segment of " + events.size() + " events (capture goes on): " + e);
        }
    }

    /** An incident still open from an earlier run can no longer be followed: close it as it stands. */
    private void closeLeftOpen() {
        List<Incident> all;
        try {
            all = store.all();
        } catch (dev.rewind.RewindException damaged) {
            // an old damaged file never stops capture: verify names it
            log.accept("warning: incidents left open by an earlier capture cannot be read (" + damaged.getMessage()
                    + "); run 'rewind verify --read-data'");
            return;
        }
        for (Incident i : all) {
            if (i.isOpen()) {
                store.save(i.closed(Instant.now()));
                log.accept("incident " + i.id() + " was left open by an earlier capture; closed as it stood");
            }
        }
    }

    /** Rebases the collection sizes on the newest snapshot when there is a new one (a listing; cheap). */
    private void refreshSizes() {
        try {
            List<String> names = repo.store().list("snapshots/");
            if (names.isEmpty() || names.get(names.size() - 1).equals(knownSnapshot)) {
                return;
            }
            String newest = names.get(names.size() - 1);
            SnapshotManifest m = SnapshotManifest.parse(newest, repo.store().get(newest));
            for (int i = names.size() - 2; m.endAt() == null && i >= 0; i--) {
                // an imported dump has no log position to count from: the newest snapshot that has one
                m = SnapshotManifest.parse(names.get(i), repo.store().get(names.get(i)));
            }
            Map<String, Long> counts = new HashMap<>();
            for (NamespaceSnapshot n : m.namespaces()) {
                counts.put(n.ns(), n.documents());
            }
            detector.sizes().rebase(counts, m.endAt());
            knownSnapshot = newest;
        } catch (IOException e) {
            log.accept("cannot read the newest snapshot for collection sizes: " + e);
        } catch (dev.rewind.RewindException | IllegalArgumentException damaged) {
            // an unreadable manifest never stops capture: detection keeps the sizes it has, verify names the file
            List<String> names = List.of();
            try {
                names = repo.store().list("snapshots/");
            } catch (IOException ignored) {
                // reported above on the next round
            }
            knownSnapshot = names.isEmpty() ? knownSnapshot : names.get(names.size() - 1);
            log.accept("cannot read the newest snapshot for collection sizes (capture goes on): " + damaged.getMessage());
        }
    }
}
