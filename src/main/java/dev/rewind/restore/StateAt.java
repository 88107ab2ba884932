package dev.rewind.restore;

import dev.rewind.NamespacePattern;
import dev.rewind.event.ApplyResult;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.DocumentId;
import dev.rewind.event.Namespace;
import dev.rewind.event.NetEffect;
import dev.rewind.repo.Documents;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bson.RawBsonDocument;

/**
 * The net effect of the change log between a snapshot's {@code startAt} and a target, per
 * collection: what restore, undo and diff merge into the snapshot stream. Memory holds only the
 * documents the log touched. Replaying from {@code startAt} over a snapshot whose scan ran until
 * {@code endAt} is idempotent: events carry whole documents or absolute field values.
 *
 * <p>A collection is followed as its {@link CatalogAt} follows it, by UUID or name across renames:
 * its net effect gathers the events of every name it had, and a drop or a re-creation sets the
 * snapshot's documents aside.
 */
public final class StateAt {
    private final Map<Integer, NetEffect> effects = new LinkedHashMap<>();
    private ClusterTime scanEnd;
    private CatalogAt catalog = CatalogAt.of(List.of());
    private final Set<Integer> atStart = new java.util.HashSet<>();
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
    public record Survey(long events, long documentEvents, Set<Namespace> namespaces, CatalogAt catalog) { }

    /** Surveys a window of the log, following the catalog from the snapshot's namespaces {@code known}. */
    public static Survey survey(Repository repo, List<SegmentName> segments, ClusterTime from, ClusterTime to,
                                List<NamespaceSnapshot> known) {
        long events = 0;
        long documentEvents = 0;
        Set<Namespace> namespaces = new java.util.LinkedHashSet<>();
        CatalogAt catalog = CatalogAt.of(known);
        for (SegmentName name : segments) {
            for (ChangeEvent e : repo.readSegment(name).events()) {
                if (!e.clusterTime().isAfter(from) || e.clusterTime().isAfter(to)) {
                    continue;
                }
                events++;
                if (e.operation().isDocumentLevel() && e.ns() != null && !e.ns().isDatabase()) {
                    documentEvents++;
                    namespaces.add(e.ns());
                    catalog.route(e);
                } else {
                    catalog.apply(e);
                }
            }
        }
        return new Survey(events, documentEvents, namespaces, catalog);
    }

    /** Whether a document belongs to this pass (always, when the log is read in one pass). */
    public boolean holds(DocumentId id) {
        return partitions == 1 || PassSpill.partitionOf(id, partitions) == partition;
    }

    /** Reads the events of {@code (from, to]} from the segments, for namespaces matching {@code patterns} (all if empty). */
    public static StateAt read(Repository repo, List<SegmentName> segments, ClusterTime from, ClusterTime to,
                               List<NamespaceSnapshot> known, List<NamespacePattern> patterns) {
        return read(repo, segments, from, to, known, patterns, 0, 1);
    }

    /** As above, keeping only the documents of partition {@code partition} of {@code partitions} (by _id hash). */
    public static StateAt read(Repository repo, List<SegmentName> segments, ClusterTime from, ClusterTime to,
                               List<NamespaceSnapshot> known, List<NamespacePattern> patterns, int partition, int partitions) {
        return read(repo, segments, from, to, CatalogAt.of(known), patterns, partition, partitions);
    }

    /** As above, from the catalog {@code start} gives at {@code from} (left unchanged), e.g. another state's at its target. */
    public static StateAt read(Repository repo, List<SegmentName> segments, ClusterTime from, ClusterTime to,
                               CatalogAt start, List<NamespacePattern> patterns, int partition, int partitions) {
        return read(repo, null, segments, from, to, start, patterns, partition, partitions);
    }

    /** As above, reading the log through {@code spill} (when not null), which a later pass reads its share of. */
    public static StateAt read(Repository repo, PassSpill spill, List<SegmentName> segments, ClusterTime from, ClusterTime to,
                               CatalogAt start, List<NamespacePattern> patterns, int partition, int partitions) {
        return readLog(logOf(repo, spill, partition), segments, from, null, to, start, patterns, partition, partitions);
    }

    private static Function<SegmentName, List<ChangeEvent>> logOf(Repository repo, PassSpill spill, int partition) {
        return spill == null ? name -> repo.readSegment(name).events() : name -> spill.events(name, partition);
    }

    /**
     * The events of {@code (snapshot.startAt, to]} over the snapshot: the updates of its scan's
     * window {@code (startAt, endAt]} are replayed over documents the scan read at some moment of it
     * (see {@link NetEffect#scannedUntil}).
     */
    public static StateAt overSnapshot(Repository repo, List<SegmentName> segments, SnapshotManifest snapshot, ClusterTime to,
                                       List<NamespacePattern> patterns, int partition, int partitions) {
        return overSnapshot(repo, null, segments, snapshot, to, patterns, partition, partitions);
    }

    /** As above, reading the log through {@code spill} (when not null), which a later pass reads its share of. */
    public static StateAt overSnapshot(Repository repo, PassSpill spill, List<SegmentName> segments, SnapshotManifest snapshot,
                                       ClusterTime to, List<NamespacePattern> patterns, int partition, int partitions) {
        return readLog(logOf(repo, spill, partition), segments, snapshot.startAt(), snapshot.endAt(), to,
                CatalogAt.of(snapshot.namespaces()), patterns, partition, partitions);
    }

    private static StateAt readLog(Function<SegmentName, List<ChangeEvent>> log, List<SegmentName> segments, ClusterTime from,
                                   ClusterTime scanEnd, ClusterTime to, CatalogAt start, List<NamespacePattern> patterns,
                                   int partition, int partitions) {
        StateAt s = new StateAt(from, to, partition, partitions);
        s.scanEnd = scanEnd;
        s.catalog = start.copy();
        // what the snapshot holds is followed whatever the patterns; the rest where they match
        for (CollectionAt c : s.catalog.live()) {
            s.atStart.add(c.serial());
            if (!c.createdInLog() || NamespacePattern.anyMatches(patterns, c.ns().toString())) {
                s.effects.put(c.serial(), new NetEffect(c.ns()).scannedUntil(scanEnd));
            }
        }
        TransactionUnits units = new TransactionUnits(unit -> {
            // a transaction is one unit, at the time of its last event: in the window whole, or not at all
            ClusterTime last = unit.get(unit.size() - 1).clusterTime();
            if (last.isAfter(from) && !last.isAfter(to)) {
                unit.forEach(e -> s.accept(e, patterns));
            }
        });
        for (SegmentName name : segments) {
            for (ChangeEvent e : log.apply(name)) {
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
        if (!e.operation().isDocumentLevel()) {
            CollectionAt created = catalog.apply(e);
            NetEffect n = created == null ? null : effects.get(created.serial());
            if (n != null) {
                n.discardBase();
            }
            return;
        }
        CollectionAt c = catalog.route(e);
        if (e.id() != null && !holds(DocumentId.of(e.id()))) {
            return;
        }
        NetEffect n = effects.get(c.serial());
        if (n == null && NamespacePattern.anyMatches(patterns, e.ns().toString())) {
            n = fresh(c);
            effects.put(c.serial(), n);
        }
        if (n != null) {
            n.record(e);
        }
    }

    /** A net effect for a collection seen first now: one created after {@code from} has no state at {@code from} to build on. */
    private NetEffect fresh(CollectionAt c) {
        NetEffect n = new NetEffect(c.ns()).scannedUntil(scanEnd);
        if (!atStart.contains(c.serial())) {
            n.discardBase();
        }
        return n;
    }

    /**
     * The net effect on the collection at {@code db.collection} at the target; an empty one when the
     * log never touched it, and one that discards the snapshot's documents when the collection that was
     * there was dropped or renamed away.
     */
    public NetEffect effect(String db, String collection) {
        Namespace ns = Namespace.of(db, collection);
        CollectionAt c = catalog.at(ns);
        if (c != null) {
            return effect(c);
        }
        NetEffect n = new NetEffect(ns).scannedUntil(scanEnd);
        if (catalog.vacated(ns)) {
            n.discardBase();
        }
        return n;
    }

    /** The net effect on one collection of the catalog (or of a copy of it), under whatever names it had. */
    public NetEffect effect(CollectionAt c) {
        NetEffect n = effects.get(c.serial());
        return n != null ? n : fresh(c);
    }

    /**
     * Every document of collection {@code c} present at this point, in this state's share of the
     * {@code _id}s: each document {@code base} streams (the collection's snapshot documents, read as
     * the caller reads them) with the log's effect on it, then those the log alone holds. {@code base}
     * is not called when the log discarded the snapshot's documents or there are none.
     */
    public Map<DocumentId, ApplyResult> held(CollectionAt c, Consumer<Consumer<RawBsonDocument>> base) {
        NetEffect effect = effect(c);
        Map<DocumentId, ApplyResult> out = new java.util.HashMap<>();
        if (!effect.baseDiscarded() && c.base() != null) {
            base.accept(doc -> {
                DocumentId id = DocumentId.of(doc.get("_id"));
                if (holds(id)) {
                    ApplyResult r = effect.resolve(id, Documents.copy(doc));
                    if (!r.isAbsent()) {
                        out.put(id, r);
                    }
                }
            });
        }
        for (DocumentId id : effect.documents().keySet()) {
            if (!out.containsKey(id) && holds(id)) {
                ApplyResult r = effect.resolve(id, null);  // not in the snapshot: the log holds it, or it cannot be rebuilt
                if (!r.isAbsent()) {
                    out.put(id, r);
                }
            }
        }
        return out;
    }

    /** The catalog at the target: what exists, with its options and indexes, and where its documents came from. */
    public CatalogAt catalog() {
        return catalog;
    }

    /** Collections (by their names at the target) the log holds documents for. */
    public Set<Namespace> namespaces() {
        Set<Namespace> out = new java.util.LinkedHashSet<>();
        catalog.live().stream().filter(c -> effects.containsKey(c.serial())).forEach(c -> out.add(c.ns()));
        return out;
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
