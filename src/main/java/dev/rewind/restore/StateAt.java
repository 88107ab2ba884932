package dev.rewind.restore;

import dev.rewind.NamespacePattern;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.DocumentId;
import dev.rewind.event.Namespace;
import dev.rewind.event.NetEffect;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repository;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
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
    private ClusterTime scanEnd;
    private final ClusterTime from;
    private final ClusterTime to;
    private final int partition;
    private final int partitions;
    private long events;

    private StateAt(ClusterTime from, ClusterTime to, int partition, int partitions) {
        this.from = from;
        this.to = to;
        this.partition = partition;
        this.partitions = partitions;
    }

    /** What a window of the log holds, counted without keeping documents: for planning passes. */
    public record Survey(long events, long documentEvents, Set<Namespace> namespaces) { }

    public static Survey survey(Repository repo, List<SegmentName> segments, ClusterTime from, ClusterTime to) {
        long events = 0;
        long documentEvents = 0;
        Set<Namespace> namespaces = new java.util.LinkedHashSet<>();
        for (SegmentName name : segments) {
            for (ChangeEvent e : repo.readSegment(name).events()) {
                if (!e.clusterTime().isAfter(from) || e.clusterTime().isAfter(to)) {
                    continue;
                }
                events++;
                if (e.operation().isDocumentLevel() && e.ns() != null && !e.ns().isDatabase()) {
                    documentEvents++;
                    namespaces.add(e.ns());
                }
            }
        }
        return new Survey(events, documentEvents, namespaces);
    }

    /** Whether a document belongs to this pass (always, when the log is read in one pass). */
    public boolean holds(DocumentId id) {
        return partitions == 1 || Math.floorMod(id.hashCode(), partitions) == partition;
    }

    /** Reads the events of {@code (from, to]} from the segments, for namespaces matching {@code patterns} (all if empty). */
    public static StateAt read(Repository repo, List<SegmentName> segments, ClusterTime from, ClusterTime to,
                               List<NamespaceSnapshot> known, List<NamespacePattern> patterns) {
        return read(repo, segments, from, to, known, patterns, 0, 1);
    }

    /** As above, keeping only the documents of partition {@code partition} of {@code partitions} (by _id hash). */
    public static StateAt read(Repository repo, List<SegmentName> segments, ClusterTime from, ClusterTime to,
                               List<NamespaceSnapshot> known, List<NamespacePattern> patterns, int partition, int partitions) {
        return read(repo, segments, from, null, to, known, patterns, partition, partitions);
    }

    /**
     * The events of {@code (snapshot.startAt, to]} over the snapshot: the updates of its scan's
     * window {@code (startAt, endAt]} are replayed over documents the scan read at some moment of it
     * (see {@link NetEffect#scannedUntil}).
     */
    public static StateAt overSnapshot(Repository repo, List<SegmentName> segments, SnapshotManifest snapshot, ClusterTime to,
                                       List<NamespacePattern> patterns, int partition, int partitions) {
        return read(repo, segments, snapshot.startAt(), snapshot.endAt(), to, snapshot.namespaces(), patterns,
                partition, partitions);
    }

    private static StateAt read(Repository repo, List<SegmentName> segments, ClusterTime from, ClusterTime scanEnd,
                                ClusterTime to, List<NamespaceSnapshot> known, List<NamespacePattern> patterns,
                                int partition, int partitions) {
        StateAt s = new StateAt(from, to, partition, partitions);
        s.scanEnd = scanEnd;
        for (NamespaceSnapshot n : known) {
            s.effect(Namespace.of(n.db(), n.collection()));
        }
        TransactionUnits units = new TransactionUnits(unit -> {
            // a transaction is one unit, at the time of its last event: in the window whole, or not at all
            ClusterTime last = unit.get(unit.size() - 1).clusterTime();
            if (last.isAfter(from) && !last.isAfter(to)) {
                unit.forEach(e -> s.accept(e, patterns));
            }
        });
        for (SegmentName name : segments) {
            Segment seg = repo.readSegment(name);
            for (ChangeEvent e : seg.events()) {
                units.accept(e);
            }
        }
        units.finish();
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
        if (e.operation().isDocumentLevel()) {
            if (e.id() != null && !holds(DocumentId.of(e.id()))) {
                return;
            }
            if (NamespacePattern.anyMatches(patterns, e.ns().toString())) {
                effect(e.ns());
            }
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

    private NetEffect effect(Namespace ns) {
        return effects.computeIfAbsent(ns, n -> new NetEffect(n).scannedUntil(scanEnd));
    }

    /** The net effect on one collection; an empty one when the log never touched it. */
    public NetEffect effect(String db, String collection) {
        return effects.getOrDefault(Namespace.of(db, collection), new NetEffect(Namespace.of(db, collection)).scannedUntil(scanEnd));
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
