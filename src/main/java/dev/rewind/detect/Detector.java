package dev.rewind.detect;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Watches the change events as capture seals them and flags bursts (pure: no I/O; ids come from
 * {@code ids}, wall time from {@code clock}). For each rule and namespace a {@link SlidingWindow}
 * counts the distinct documents touched in the rule's window of event time; when that reaches the
 * rule's threshold an incident opens for the rule and the namespace's database, and from then on
 * every matching event of its namespaces updates it. It closes once no matching event came for
 * {@code quietSeconds}: of event time (the horizon capture has covered) or of wall time (a server
 * whose cluster time stands still when idle). Its namespaces' windows then start empty, so the
 * next burst opens a new incident.
 */
public final class Detector {
    private final Rules rules;
    private final CollectionSizes sizes;
    private final LongSupplier ids;
    private final Clock clock;
    private final String repo;
    private final String source;
    private final Map<String, SlidingWindow> windows = new HashMap<>();
    private final Map<String, Open> open = new LinkedHashMap<>();

    public Detector(Rules rules, CollectionSizes sizes, LongSupplier ids, Clock clock, String repo, String source) {
        this.rules = rules;
        this.sizes = sizes;
        this.ids = ids;
        this.clock = clock;
        this.repo = repo;
        this.source = source;
    }

    public CollectionSizes sizes() {
        return sizes;
    }

    /** The incidents open now. */
    public List<Incident> openIncidents() {
        return open.values().stream().map(o -> o.snapshot(Incident.OPEN, null)).toList();
    }

    /**
     * Takes the events of one sealed segment (in cluster-time order) and the horizon capture has
     * covered (no event at or before it is still to come), and returns what changed, in order: an
     * incident that opened (as it stood at the event that tripped the rule), then for each open
     * incident at most one UPDATED (its state after these events) or CLOSED.
     */
    public List<IncidentChange> accept(List<ChangeEvent> events, ClusterTime horizon) {
        Instant now = clock.instant();
        List<IncidentChange> out = new ArrayList<>();
        Set<Open> opened = new LinkedHashSet<>();
        Set<Open> touched = new LinkedHashSet<>();
        for (ChangeEvent e : events) {
            sizes.apply(e);
            for (Rule rule : rules.rules()) {
                if (!rule.watches(e)) {
                    continue;
                }
                Open incident = open.get(key(rule, e.ns().db()));
                String ns = e.ns().toString();
                if (incident != null && incident.namespaces.contains(ns)) {
                    incident.add(e, now);
                    touched.add(incident);
                    continue;
                }
                SlidingWindow w = windows.computeIfAbsent(rule.name() + "\u0000" + ns, k -> new SlidingWindow(rule.windowSeconds()));
                w.add(e.id(), e.clusterTime(), e.operation());
                long size = sizes.size(e.ns()) + (rule.removesDocuments() ? w.size() : 0);
                if (w.size() >= rule.threshold(size)) {
                    boolean fresh = incident == null;
                    if (fresh) {
                        incident = new Open(ids.getAsLong(), rule, e.ns().db(), now);
                        open.put(key(rule, e.ns().db()), incident);
                        opened.add(incident);
                    }
                    incident.join(ns, w, e, now);
                    w.clear();
                    if (fresh) {
                        incident.atOpen = incident.snapshot(Incident.OPEN, null);
                    } else {
                        touched.add(incident);
                    }
                }
            }
        }
        for (Open o : opened) {
            out.add(new IncidentChange(IncidentChange.Kind.OPENED, o.atOpen));
        }
        for (var it = open.values().iterator(); it.hasNext(); ) {
            Open o = it.next();
            boolean quietInEventTime = horizon != null && horizon.seconds() - o.lastAt.seconds() >= rules.quietSeconds();
            boolean quietInWallTime = Duration.between(o.lastSeen, now).getSeconds() >= rules.quietSeconds();
            if (quietInEventTime || quietInWallTime) {
                it.remove();
                for (String ns : o.namespaces) {
                    SlidingWindow w = windows.get(o.rule.name() + "\u0000" + ns);
                    if (w != null) {
                        w.clear();
                    }
                }
                out.add(new IncidentChange(IncidentChange.Kind.CLOSED, o.snapshot(Incident.CLOSED, now)));
            } else if (touched.contains(o)) {
                out.add(new IncidentChange(IncidentChange.Kind.UPDATED, o.snapshot(Incident.OPEN, null)));
            }
        }
        if (horizon != null) {
            for (var it = windows.values().iterator(); it.hasNext(); ) {
                SlidingWindow w = it.next();
                w.evict(horizon.seconds());
                if (w.isEmpty()) {
                    it.remove();
                }
            }
        }
        return out;
    }

    private static String key(Rule rule, String db) {
        return rule.name() + "\u0000" + db;
    }

    /** An incident while it is open: mutable, turned into an {@link Incident} for each change. */
    private final class Open {
        final long id;
        final Rule rule;
        final Instant openedAt;
        final Set<String> namespaces = new LinkedHashSet<>();
        final Map<Operation, Long> counts = new EnumMap<>(Operation.class);
        final List<BsonValue> samples = new ArrayList<>();
        final Set<String> clients = new LinkedHashSet<>();
        ClusterTime firstAt;
        ClusterTime lastAt;
        Instant lastSeen;
        /** The incident as it stood at the event that opened it. */
        Incident atOpen;

        Open(long id, Rule rule, String db, Instant now) {
            this.id = id;
            this.rule = rule;
            this.openedAt = now;
            this.lastSeen = now;
        }

        /** A namespace whose window tripped the rule joins, with what the window holds. */
        void join(String ns, SlidingWindow w, ChangeEvent trigger, Instant now) {
            namespaces.add(ns);
            w.counts().forEach((op, n) -> counts.merge(op, n, Long::sum));
            ClusterTime first = w.first();
            firstAt = firstAt == null || first.isBefore(firstAt) ? first : firstAt;
            for (Object k : w.samples(Incident.MAX_SAMPLES)) {
                if (samples.size() < Incident.MAX_SAMPLES && k instanceof BsonValue v) {
                    samples.add(v);
                }
            }
            lastAt = lastAt == null || trigger.clusterTime().isAfter(lastAt) ? trigger.clusterTime() : lastAt;
            String client = client(trigger);
            if (client != null) {
                clients.add(client);
            }
            lastSeen = now;
        }

        void add(ChangeEvent e, Instant now) {
            Operation op = e.operation() == Operation.REPLACE ? Operation.UPDATE : e.operation();
            counts.merge(op, 1L, Long::sum);
            if (e.clusterTime().isAfter(lastAt)) {
                lastAt = e.clusterTime();
            }
            if (samples.size() < Incident.MAX_SAMPLES && e.id() != null) {
                samples.add(e.id());
            }
            if (clients.size() < 5) {
                String client = client(e);
                if (client != null) {
                    clients.add(client);
                }
            }
            lastSeen = now;
        }

        Incident snapshot(String status, Instant closedAt) {
            Map<String, Long> byName = new LinkedHashMap<>();
            counts.forEach((op, n) -> byName.put(op.typeName(), n));
            return new Incident(id, rule.name(), rule.severity(), List.copyOf(namespaces), firstAt, lastAt, byName,
                    samples, List.copyOf(clients), status, openedAt, closedAt, rule.undoOps(), repo, source);
        }
    }

    /** What an event tells of its client: the logical session (transactions, retryable writes). */
    static String client(ChangeEvent e) {
        BsonDocument lsid = e.txn() != null ? e.txn().lsid()
                : e.extra().isDocument("lsid") ? e.extra().getDocument("lsid") : null;
        if (lsid == null) {
            return null;
        }
        BsonValue id = lsid.get("id");
        String text = id != null && id.isBinary() ? uuid(id.asBinary().getData()) : lsid.toJson();
        BsonValue uid = lsid.get("uid");
        return "lsid " + text + (uid != null && uid.isBinary() ? " uid " + hex(uid.asBinary().getData(), 8) : "");
    }

    private static String uuid(byte[] b) {
        if (b.length != 16) {
            return hex(b, b.length);
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        return new java.util.UUID(buf.getLong(), buf.getLong()).toString();
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.toString();
    }
}
