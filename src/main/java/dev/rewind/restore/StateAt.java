package dev.rewind.restore;

import dev.rewind.NamespacePattern;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.NetEffect;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repository;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

/**
 * The net effect of the change log between a snapshot's {@code startAt} and a target, per
 * collection: what restore, undo and diff merge into the snapshot stream. Memory holds only the
 * documents the log touched. Replaying from {@code startAt} over a snapshot whose scan ran until
 * {@code endAt} is idempotent: events carry whole documents or absolute field values.
 */
public final class StateAt {
    private final Map<Namespace, NetEffect> effects = new LinkedHashMap<>();
    private final ClusterTime from;
    private final ClusterTime to;
    private long events;

    private StateAt(ClusterTime from, ClusterTime to) {
        this.from = from;
        this.to = to;
    }

    /** Reads the events of {@code (from, to]} from the segments, for namespaces matching {@code patterns} (all if empty). */
    public static StateAt read(Repository repo, List<SegmentName> segments, ClusterTime from, ClusterTime to,
                               List<NamespaceSnapshot> known, List<NamespacePattern> patterns) {
        StateAt s = new StateAt(from, to);
        for (NamespaceSnapshot n : known) {
            s.effects.put(Namespace.of(n.db(), n.collection()), new NetEffect(Namespace.of(n.db(), n.collection())));
        }
        for (SegmentName name : segments) {
            Segment seg = repo.readSegment(name);
            for (ChangeEvent e : seg.events()) {
                if (!e.clusterTime().isAfter(from) || e.clusterTime().isAfter(to)) {
                    continue;
                }
                s.accept(e, patterns);
            }
        }
        return s;
    }

    private void accept(ChangeEvent e, List<NamespacePattern> patterns) {
        events++;
        if (e.ns() == null) {
            return;
        }
        if (e.ns().isDatabase()) {
            effects.values().stream().filter(n -> n.ns().db().equals(e.ns().db())).forEach(n -> n.accept(e));
            return;
        }
        if (e.operation().isDocumentLevel() && NamespacePattern.anyMatches(patterns, e.ns().toString())) {
            effects.computeIfAbsent(e.ns(), NetEffect::new);
        }
        Set<Namespace> touched = new HashSet<>();
        touched.add(e.ns());
        if (e.to() != null) {
            touched.add(e.to());
        }
        for (Namespace ns : touched) {
            NetEffect n = effects.get(ns);
            if (n != null) {
                n.accept(e);
            }
        }
    }

    /** The net effect on one collection; an empty one when the log never touched it. */
    public NetEffect effect(String db, String collection) {
        return effects.getOrDefault(Namespace.of(db, collection), new NetEffect(Namespace.of(db, collection)));
    }

    /** Collections the log holds documents for. */
    public Set<Namespace> namespaces() {
        return effects.keySet();
    }

    public long events() {
        return events;
    }

    public ClusterTime from() {
        return from;
    }

    public ClusterTime to() {
        return to;
    }
}
