package dev.rewind.detect;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Operation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Watches the change events as capture seals them and flags bursts (pure: no I/O; ids come from
 * {@code ids}, wall time from {@code clock}). For each rule and namespace a {@link SlidingWindow}
 * counts the distinct documents touched in the rule's window of event time; when that reaches the
 * rule's threshold an incident opens for the rule and the namespace (a rule of drops only: for the
 * database, so that a {@code dropDatabase} is one incident), with its own alert. The incident's window
 * is its burst ({@link OpenIncident}): once the burst is over, later events of the namespace are not
 * part of it, and count towards a new incident. It closes {@code quietSeconds} after its burst: of
 * event time (the horizon capture has covered) or of wall time (a server whose cluster time stands
 * still when idle). Rewind's own writes (those an undo or revert journaled) count for the collection
 * sizes and for no rule.
 */
public final class Detector {
    /** Seconds of event time without a busy second after which a burst is over (at most the quiet period). */
    public static final int BURST_GAP_SECONDS = 5;

    private final Rules rules;
    private final CollectionSizes sizes;
    private final LongSupplier ids;
    private final Clock clock;
    private final String repo;
    private final String source;
    private final Map<String, SlidingWindow> windows = new HashMap<>();
    /** Incidents whose burst goes on, by rule and namespace (or database). */
    private final Map<String, OpenIncident> bursting = new HashMap<>();
    /** Every open incident, oldest first. */
    private final List<OpenIncident> open = new ArrayList<>();

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
        return open.stream().map(o -> o.snapshot(Incident.OPEN, null, repo, source)).toList();
    }

    public List<IncidentChange> accept(List<ChangeEvent> events, ClusterTime horizon) {
        return accept(events, horizon, e -> false);
    }

    /**
     * Takes the events of one sealed segment (in cluster-time order) and the horizon capture has
     * covered (no event at or before it is still to come), and returns what changed, in order: the
     * incidents that opened (each as it stood at the event that tripped its rule), then for each open
     * incident at most one UPDATED (its state after these events) or CLOSED. Events {@code own}
     * accepts are Rewind's own writes: they change the collection sizes and nothing else.
     */
    public List<IncidentChange> accept(List<ChangeEvent> events, ClusterTime horizon, Predicate<ChangeEvent> own) {
        Instant now = clock.instant();
        int gap = Math.min(BURST_GAP_SECONDS, rules.quietSeconds());
        List<IncidentChange> out = new ArrayList<>();
        Set<OpenIncident> opened = new LinkedHashSet<>();
        Set<OpenIncident> touched = new LinkedHashSet<>();
        for (ChangeEvent event : events) {
            sizes.apply(event);
            if (own.test(event)) {
                continue;
            }
            for (ChangeEvent e : asRulesSeeIt(event)) {
                for (Rule rule : rules.rules()) {
                    if (!rule.watches(e)) {
                        continue;
                    }
                    String ns = e.ns().toString();
                    String key = key(rule, e);
                    OpenIncident incident = bursting.get(key);
                    if (incident != null && incident.checkBurstOver(e.clusterTime().seconds(), now)) {
                        bursting.remove(key);
                        if (incident.takeTailJoined()) {
                            touched.add(incident);
                        }
                        incident = null;
                    }
                    if (incident != null && incident.namespaces.contains(ns)) {
                        if (incident.add(e, now)) {
                            touched.add(incident);
                        }
                        continue;
                    }
                    SlidingWindow w = windows.computeIfAbsent(rule.name() + "\u0000" + ns, k -> new SlidingWindow(rule.windowSeconds()));
                    w.add(e.id(), e.clusterTime(), e.operation());
                    long size = sizes.size(e.ns()) + (rule.removesDocuments() ? w.size() : 0);
                    if (w.size() >= rule.threshold(size)) {
                        boolean fresh = incident == null;
                        if (fresh) {
                            incident = new OpenIncident(ids.getAsLong(), rule, key, now, gap);
                            bursting.put(key, incident);
                            open.add(incident);
                            opened.add(incident);
                        }
                        incident.join(ns, w, e, now);
                        w.clear();
                        if (fresh) {
                            incident.atOpen = incident.snapshot(Incident.OPEN, null, repo, source);
                        } else {
                            touched.add(incident);
                        }
                    }
                }
            }
        }
        for (OpenIncident o : opened) {
            out.add(new IncidentChange(IncidentChange.Kind.OPENED, o.atOpen));
        }
        Long horizonSecond = horizon == null ? null : horizon.seconds();
        for (var it = open.iterator(); it.hasNext(); ) {
            OpenIncident o = it.next();
            if (bursting.get(o.key) == o && o.checkBurstOver(horizonSecond, now)) {
                bursting.remove(o.key, o);
                if (o.takeTailJoined()) {
                    touched.add(o);
                }
            }
            if (o.quiet(horizon, now, rules.quietSeconds())) {
                it.remove();
                bursting.remove(o.key, o);
                out.add(new IncidentChange(IncidentChange.Kind.CLOSED, o.snapshot(Incident.CLOSED, now, repo, source)));
            } else if (touched.contains(o)) {
                out.add(new IncidentChange(IncidentChange.Kind.UPDATED, o.snapshot(Incident.OPEN, null, repo, source)));
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

    /**
     * The events the rules count for one event: itself, and for a rename that replaced its target
     * ({@code dropTarget}) also a drop of the target, which MongoDB does not send (SERVER-53478) though
     * the target's documents are gone as by a drop.
     */
    static List<ChangeEvent> asRulesSeeIt(ChangeEvent e) {
        return e.impliedDrop().map(drop -> List.of(drop, e)).orElse(List.of(e));
    }

    /** Incidents are per rule and namespace; a rule that watches drops only groups a database (a dropDatabase is one accident). */
    private static String key(Rule rule, ChangeEvent e) {
        boolean documents = rule.ops().stream().anyMatch(Operation::isDocumentLevel);
        return rule.name() + "\u0000" + (documents ? e.ns().toString() : e.ns().db());
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
