package dev.rewind.detect;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonValue;

/**
 * An incident while it is open (mutable; turned into an {@link Incident} for each change), and its
 * <b>burst</b>: the events that made it. The burst goes on through every second of event time in
 * which the rule's events on its namespaces number at least a tenth of its busiest second (and at
 * least two); an event in a quieter second is held back, and joins if a busy second follows within
 * the burst gap, or if it is in the second right after the last busy one (the end of a loop stops
 * part-way through a second). Once {@code gapSeconds} pass without a busy second the burst is over:
 * the incident's window ({@code firstAt .. lastAt}) is fixed, and later writes are not part of it.
 */
final class OpenIncident {
    /** A busy second holds at least this share of the busiest one. */
    static final int BUSY_SHARE = 10;

    final long id;
    final Rule rule;
    final String key;
    final Instant openedAt;
    final int gapSeconds;
    final Set<String> namespaces = new LinkedHashSet<>();
    private final Map<Operation, Long> counts = new EnumMap<>(Operation.class);
    private final List<BsonValue> samples = new ArrayList<>();
    private final Set<String> clients = new LinkedHashSet<>();
    private final Set<String> causes = new LinkedHashSet<>();
    /** An event after {@link #lastAt} not (yet) part of the burst. */
    private record Held(ClusterTime at, Operation op, BsonValue id) { }

    private final List<Held> held = new ArrayList<>();
    private ClusterTime firstAt;
    private ClusterTime lastAt;
    /** Wall time of the burst's last event, as the detector saw it. */
    private Instant lastSeen;
    private long busiest;
    private long second = -1;
    private long inSecond;
    private boolean burstOver;
    private boolean tailJoined;
    /** The incident as it stood at the event that opened it. */
    Incident atOpen;

    OpenIncident(long id, Rule rule, String key, Instant now, int gapSeconds) {
        this.id = id;
        this.rule = rule;
        this.key = key;
        this.openedAt = now;
        this.lastSeen = now;
        this.gapSeconds = gapSeconds;
    }

    ClusterTime lastAt() {
        return lastAt;
    }

    boolean burstOver() {
        return burstOver;
    }

    /** A namespace whose window tripped the rule joins, with what the window holds: all of it is the burst. */
    void join(String ns, SlidingWindow w, ChangeEvent trigger, Instant now) {
        namespaces.add(ns);
        mergeHeld();
        w.counts().forEach((op, n) -> counts.merge(op, n, Long::sum));
        ClusterTime first = w.first();
        firstAt = firstAt == null || first.isBefore(firstAt) ? first : firstAt;
        for (Object k : w.samples(Incident.MAX_SAMPLES)) {
            if (samples.size() < Incident.MAX_SAMPLES && k instanceof BsonValue v) {
                samples.add(v);
            }
        }
        busiest = Math.max(busiest, w.busiestSecond());
        if (trigger.clusterTime().seconds() != second) {
            second = trigger.clusterTime().seconds();
            inSecond = 0;
        }
        inSecond += w.inSecond(second);
        extendTo(trigger.clusterTime(), now);
        client(trigger);
    }

    /** A later event of one of its namespaces: part of the burst if its second is busy enough (true), else held back. */
    boolean add(ChangeEvent e, Instant now) {
        long s = e.clusterTime().seconds();
        if (s != second) {
            second = s;
            inSecond = 0;
        }
        inSecond++;
        Operation op = e.operation() == Operation.REPLACE ? Operation.UPDATE : e.operation();
        held.add(new Held(e.clusterTime(), op, e.id()));
        if (inSecond >= busyBar()) {
            busiest = Math.max(busiest, inSecond);
            mergeHeld();
            extendTo(e.clusterTime(), now);
            client(e);
            return true;
        }
        return false;
    }

    /** The fewest events that make a second part of the burst. */
    long busyBar() {
        return Math.max(2, (busiest + BUSY_SHARE - 1) / BUSY_SHARE);
    }

    /**
     * Whether the burst is over at event second {@code eventSecond} (null: unknown) and wall time
     * {@code now}: {@code gapSeconds} without a busy second. Once over it stays over.
     */
    boolean checkBurstOver(Long eventSecond, Instant now) {
        if (!burstOver && ((eventSecond != null && eventSecond - lastAt.seconds() > gapSeconds)
                || Duration.between(lastSeen, now).getSeconds() >= gapSeconds)) {
            burstOver = true;
            long tail = lastAt.seconds() + 1;
            held.removeIf(h -> h.at().seconds() > tail);
            if (!held.isEmpty()) {
                ClusterTime last = held.get(held.size() - 1).at();
                mergeHeld();
                tailJoined = true;
                if (last.isAfter(lastAt)) {
                    lastAt = last;
                }
            }
        }
        return burstOver;
    }

    /** Whether the events of the second after the burst joined it when it ended (once; then false). */
    boolean takeTailJoined() {
        boolean t = tailJoined;
        tailJoined = false;
        return t;
    }

    /** Whether the incident has been quiet for {@code quietSeconds} after its burst, in event or wall time. */
    boolean quiet(ClusterTime horizon, Instant now, int quietSeconds) {
        boolean inEventTime = horizon != null && horizon.seconds() - lastAt.seconds() >= quietSeconds;
        return inEventTime || Duration.between(lastSeen, now).getSeconds() >= quietSeconds;
    }

    private void extendTo(ClusterTime t, Instant now) {
        if (lastAt == null || t.isAfter(lastAt)) {
            lastAt = t;
        }
        lastSeen = now;
    }

    private void mergeHeld() {
        for (Held h : held) {
            counts.merge(h.op(), 1L, Long::sum);
            if (samples.size() < Incident.MAX_SAMPLES && h.id() != null) {
                samples.add(h.id());
            }
        }
        held.clear();
    }

    private void client(ChangeEvent e) {
        String cause = cause(e);
        if (cause != null && causes.size() < 5) {
            causes.add(cause);
        }
        if (clients.size() < 5) {
            String c = Detector.client(e);
            if (c != null) {
                clients.add(c);
            }
        }
    }

    /** How a drop came about when no drop was sent: a rename over the collection, or an aggregation's $out (through its temporary collection). */
    static String cause(ChangeEvent e) {
        String over = e.operation() == Operation.DROP && e.extra().get(ChangeEvent.RENAMED_OVER) instanceof org.bson.BsonString s
                ? s.getValue() : null;
        if (over == null) {
            return null;
        }
        Namespace source = Namespace.parse(over);
        String through = " (through " + over + ")";
        if (source.isOutTemporary()) {
            return e.ns() + " replaced by an aggregation's $out" + through;
        }
        if (source.isServerTemporary()) {  // mongod copies across databases into tmp<5>.renameCollection first
            return e.ns() + " replaced by a rename from another database over it" + through;
        }
        return e.ns() + " replaced by a rename of " + over + " over it";
    }

    Incident snapshot(String status, Instant closedAt, String repo, String source) {
        Map<String, Long> byName = new LinkedHashMap<>();
        counts.forEach((op, n) -> byName.put(op.typeName(), n));
        return new Incident(id, rule.name(), rule.severity(), List.copyOf(namespaces), firstAt, lastAt, byName,
                samples, List.copyOf(clients), status, openedAt, closedAt, rule.undoOps(), repo, source, List.copyOf(causes));
    }
}
