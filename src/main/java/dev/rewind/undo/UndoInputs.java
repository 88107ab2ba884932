package dev.rewind.undo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.rewind.ExitCode;
import dev.rewind.NamespacePattern;
import dev.rewind.PointInTime;
import dev.rewind.RewindException;
import dev.rewind.event.ApplyResult;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.DocumentId;
import dev.rewind.event.Namespace;
import dev.rewind.event.NetEffect;
import dev.rewind.event.Operation;
import dev.rewind.repo.LogCoverage;
import dev.rewind.restore.LogPasses;
import dev.rewind.restore.PassSpill;
import dev.rewind.repo.Documents;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.restore.CatalogAt;
import dev.rewind.restore.CollectionAt;
import dev.rewind.restore.PointInTimePlan;
import dev.rewind.restore.StateAt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * Gathers what the undo planner needs, reading as little as it can: the log after T1 to find the
 * documents the window touched and those changed later; their state at T1 (the snapshot's objects
 * are read only for documents the log alone cannot rebuild); their live versions by {@code _id}; and
 * who holds their unique keys now.
 */
public final class UndoInputs implements AutoCloseable {
    private static final int BATCH = 1000;

    private final Repository repo;
    private final MongoClient live;
    private final Set<Namespace> seenNamespaces = new HashSet<>();
    private final Map<Namespace, DroppedCollection> droppedCollections = new LinkedHashMap<>();
    private final Map<Namespace, String> dropsNotSelected = new LinkedHashMap<>();
    private final Map<Namespace, Namespace> renamedAway = new LinkedHashMap<>();
    private long bytesRead;
    /** With several passes: the log and snapshot objects, read once and split by pass. */
    private PassSpill spill;

    public UndoInputs(Repository repo, MongoClient live) {
        this.repo = repo;
        this.live = live;
    }

    /** Bytes the passes wrote to their temporary files (compressed); 0 in one pass. */
    public long spilledBytes() {
        return spill == null ? 0 : spill.spilledBytes();
    }

    /** Bytes of snapshot objects read to rebuild states at T1 (each object once, whatever the passes). */
    public long bytesRead() {
        return bytesRead + (spill == null ? 0 : spill.storedBytesRead());
    }

    /** Deletes the temporary files of the passes. */
    @Override
    public void close() {
        if (spill != null) {
            spill.close();
        }
    }

    /** Where the window's documents start from: the snapshot and log before T1, and the log chain up to T2. */
    private record Window(PointInTimePlan atFrom, LogCoverage.Chain chain) { }

    private Window window(UndoRequest request) {
        List<SegmentName> segments = repo.segmentNames();
        List<SnapshotManifest> snapshots = repo.snapshots();
        if (!request.to().isAfter(request.from())) {
            throw RewindException.usage("the window ends (" + request.to() + ") before it starts (" + request.from() + ")",
                    "give --from before --to");
        }
        PointInTimePlan atFrom = PointInTimePlan.of(snapshots, segments, request.from());
        LogCoverage.Chain chain = LogCoverage.chainFor(atFrom.snapshot(), request.to(), segments);
        if (chain == null) {
            throw new RewindException(ExitCode.NOT_FOUND, "the change log does not cover the window up to "
                    + PointInTime.describe(request.to()), PointInTimePlan.outside(snapshots, segments, request.to()).hint());
        }
        return new Window(atFrom, chain);
    }

    /**
     * How many passes the undo takes so that each holds at most {@code memoryDocs} documents touched
     * by the log (from the snapshot to its end): a pass takes the documents whose {@code _id} hash
     * falls in its partition, and reads the log again.
     */
    public int passes(UndoRequest request, long memoryDocs) {
        Window w = window(request);
        ClusterTime end = ClusterTime.of(0xFFFF_FFFFL, 0xFFFF_FFFFL);
        List<SegmentName> all = LogPasses.union(w.atFrom().segments(), w.chain().segments());
        StateAt.Survey survey = LogPasses.surveyIfLarge(repo, all, w.atFrom().snapshot().startAt(), end,
                w.atFrom().snapshot().namespaces(), memoryDocs);
        int passes = LogPasses.partitions(survey, memoryDocs);
        long dropped = request.selects(Operation.DROP) ? droppedDocuments(request, w) : 0;
        if (dropped == 0) {
            return passes;
        }
        long touched = (survey == null ? 0 : survey.documentEvents()) + dropped;
        return (int) Math.max(passes, Math.min(4096, (touched + memoryDocs - 1) / memoryDocs));
    }

    /**
     * About how many documents the collections dropped in the window held: their snapshot's counts, for
     * planning the passes (each of those documents is touched).
     */
    private long droppedDocuments(UndoRequest request, Window w) {
        Set<String> dropped = new HashSet<>();
        for (SegmentName s : w.chain().segments()) {
            if (!s.to().isAfter(request.from())) {
                continue;
            }
            for (ChangeEvent e : repo.readSegment(s).events()) {
                if (e.ns() == null || !e.clusterTime().isAfter(request.from()) || e.clusterTime().isAfter(request.to())) {
                    continue;
                }
                for (NamespaceSnapshot n : w.atFrom().snapshot().namespaces()) {
                    boolean hit = switch (e.operation()) {
                        case DROP -> n.ns().equals(e.ns().toString());
                        case DROP_DATABASE -> n.db().equals(e.ns().db());
                        case RENAME -> e.to() != null && n.ns().equals(e.to().toString());  // replaced by the rename
                        default -> false;
                    };
                    if (hit && NamespacePattern.anyMatches(request.patterns(), n.ns())) {
                        dropped.add(n.ns());
                    }
                }
            }
        }
        return w.atFrom().snapshot().namespaces().stream().filter(n -> dropped.contains(n.ns()))
                .mapToLong(NamespaceSnapshot::documents).sum();
    }

    /**
     * What the planner needs for the touched documents of pass {@code partition} of {@code partitions}
     * (by {@code _id} hash, as {@link StateAt#holds}); every pass together is every document once.
     */
    public List<UndoPlanner.Facts> gather(UndoRequest request, int partition, int partitions) {
        Window w = window(request);
        PointInTimePlan atFrom = w.atFrom();
        LogCoverage.Chain chain = w.chain();
        if (partitions > 1 && spill == null) {
            spill = PassSpill.create(repo, partitions);
        }
        // 1. states at T1, and the catalog then, which follows each collection on to where it is now
        SnapshotManifest base = atFrom.snapshot();
        StateAt at = StateAt.overSnapshot(repo, spill, atFrom.segments(), base, request.from(), request.patterns(), partition,
                partitions);
        CatalogAt catalog = at.catalog().copy();
        // 2. the window and what came after it, per collection (a rename keeps the collection)
        Map<Integer, Set<DocumentId>> touched = new LinkedHashMap<>();
        Set<Integer> dropped = new java.util.LinkedHashSet<>();
        Map<Integer, Namespace> renamedOver = new HashMap<>();
        Set<String> later = new HashSet<>();
        Set<String> laterByOthers = new HashSet<>();
        Map<String, Set<String>> laterJournals = new HashMap<>();
        OwnWrites own = new OwnWrites(repo.store(), at::holds).refresh();
        for (SegmentName s : chain.segments()) {
            if (!s.to().isAfter(request.from())) {
                continue;
            }
            for (ChangeEvent e : spill == null ? repo.readSegment(s).events() : spill.events(s, partition)) {
                if (!e.clusterTime().isAfter(request.from()) || e.ns() == null) {
                    continue;
                }
                if (!e.operation().isDocumentLevel()) {
                    if (e.operation() == Operation.RENAME && e.to() != null && !e.clusterTime().isAfter(request.to())
                            && NamespacePattern.anyMatches(request.patterns(), e.ns().toString())
                            && !dev.rewind.restore.RestoreStaging.isStaging(e.ns()) && !e.ns().isServerTemporary()) {
                        renamedAway.putIfAbsent(e.ns(), e.to());
                    }
                    List<CollectionAt> candidates = dropCandidates(request, e, catalog);
                    catalog.apply(e);
                    for (CollectionAt c : candidates) {
                        if (c.live()) {
                            continue;
                        }
                        Namespace over = e.operation() == Operation.RENAME ? e.ns() : null;
                        if (request.selects(Operation.DROP)) {
                            dropped.add(c.serial());
                            if (over != null) {
                                renamedOver.put(c.serial(), over);
                            }
                            seenNamespaces.add(c.ns());
                        } else {
                            dropsNotSelected.putIfAbsent(c.ns(), new DroppedCollection(c, over).how());
                        }
                    }
                    continue;
                }
                CollectionAt c = catalog.route(e);
                if (e.id() == null) {
                    continue;
                }
                DocumentId id = DocumentId.of(e.id());
                if (!at.holds(id)) {
                    continue;
                }
                if (e.clusterTime().isAfter(request.to())) {
                    String k = key(c.serial(), id);
                    later.add(k);
                    String journal = own.journalOf(e);
                    if (journal == null) {
                        laterByOthers.add(k);
                    } else {
                        laterJournals.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(journal);
                    }
                    continue;
                }
                if (!NamespacePattern.anyMatches(request.patterns(), e.ns().toString())) {
                    continue;
                }
                seenNamespaces.add(e.ns());
                if (request.selects(e.operation())) {
                    touched.computeIfAbsent(c.serial(), n -> new HashSet<>()).add(id);
                }
            }
        }
        // 2b. a collection dropped in the window: every document it held at T1 (of this pass) is touched
        Map<Integer, Map<DocumentId, ApplyResult>> heldAtFrom = new HashMap<>();
        for (int serial : dropped) {
            CollectionAt then = at.catalog().bySerial(serial);
            if (then == null || !then.live()) {
                continue;  // created in the window: nothing of it to return to
            }
            droppedCollections.putIfAbsent(catalog.bySerial(serial).ns(), new DroppedCollection(then, renamedOver.get(serial)));
            if (!"collection".equals(then.type())) {
                continue;  // a view holds no documents; a time-series collection's measurements are not in the log
            }
            Map<DocumentId, ApplyResult> held = heldAt(then, at, partition);
            heldAtFrom.put(serial, held);
            touched.computeIfAbsent(serial, n -> new HashSet<>()).addAll(held.keySet());
        }
        // 3. per document: its state at T1, its live version in the collection where it is now
        List<UndoPlanner.Facts> facts = new ArrayList<>();
        for (Map.Entry<Integer, Set<DocumentId>> e : touched.entrySet()) {
            CollectionAt then = at.catalog().bySerial(e.getKey());
            Namespace ns = catalog.bySerial(e.getKey()).ns();
            NetEffect effect = then != null ? at.effect(then) : absent(ns);
            Map<DocumentId, ApplyResult> held = heldAtFrom.getOrDefault(e.getKey(), Map.of());
            Set<DocumentId> rest = held.isEmpty() ? e.getValue() : new HashSet<>(e.getValue());
            rest.removeAll(held.keySet());
            Map<DocumentId, ApplyResult> targets = targets(then == null ? null : then.base(), effect, rest, partition);
            targets.putAll(held);
            Map<DocumentId, BsonDocument> liveDocs = liveDocuments(ns, e.getValue());
            boolean wasDropped = dropped.contains(e.getKey());
            MongoCollection<BsonDocument> liveColl = live.getDatabase(ns.db()).getCollection(ns.coll(), BsonDocument.class);
            UniqueKeys unique = wasDropped && then != null ? new UniqueKeys(liveColl, then.indexes()) : new UniqueKeys(liveColl);
            Map<DocumentId, UniqueKeys.Holder> holders = unique.holders(targets);
            for (DocumentId id : e.getValue()) {
                ApplyResult t = targets.get(id);
                boolean known = t != null && !t.isUnknown();
                BsonDocument target = known && t.isPresent() ? t.state() : null;
                if (request.filter() != null && !FilterCheck.matches(request.filter(), target != null ? target : liveDocs.get(id))) {
                    continue;
                }
                UniqueKeys.Holder h = holders.get(id);
                String k = key(e.getKey(), id);
                List<String> byRewind = laterByOthers.contains(k) ? List.of() : List.copyOf(laterJournals.getOrDefault(k, Set.of()));
                // after a drop, a live document with its _id was written since (the drop took every one)
                boolean changedLater = later.contains(k) || (wasDropped && liveDocs.containsKey(id));
                facts.add(new UndoPlanner.Facts(ns.toString(), id.value(), known, target, liveDocs.get(id),
                        changedLater, h == null ? null : h.key(), h == null ? null : h.holder(),
                        wasDropped && liveDocs.containsKey(id) ? List.of() : byRewind));
            }
        }
        return facts;
    }

    /**
     * Refuses a request whose namespace patterns match nothing the repository ever held: called when
     * every pass found nothing to undo, so that a typo is told from a quiet window.
     */
    public void checkNamespaces(UndoRequest request) {
        if (request.patterns().isEmpty() || !seenNamespaces.isEmpty()) {
            return;
        }
        List<SnapshotManifest> snapshots = repo.snapshots();
        boolean known = snapshots.stream().flatMap(m -> m.namespaces().stream())
                .anyMatch(n -> NamespacePattern.anyMatches(request.patterns(), n.ns()));
        if (!known) {
            throw RewindException.notFound("no namespace in the repository matches " + request.patterns(),
                    "the newest snapshot holds: " + String.join(", ", snapshots.get(snapshots.size() - 1)
                            .namespaces().stream().map(NamespaceSnapshot::ns).toList()));
        }
    }

    /**
     * The collections a drop in the window took (where they were dropped, and as they were at T1), met
     * so far by {@link #gather}: an undo brings each one back before writing its documents.
     */
    public Map<Namespace, DroppedCollection> droppedCollections() {
        return java.util.Collections.unmodifiableMap(droppedCollections);
    }

    /** Collections of the request renamed in the window, to where: their documents went with them, and the user is told. */
    public Map<Namespace, Namespace> renamedAway() {
        return java.util.Collections.unmodifiableMap(renamedAway);
    }

    /** Collections of the request dropped in the window while {@code --ops} has no drop, and how: the user is told. */
    public Map<Namespace, String> dropsNotSelected() {
        return java.util.Collections.unmodifiableMap(dropsNotSelected);
    }

    /**
     * Live collections a drop, dropDatabase or rename in the window may take, matched by the request
     * (before the catalog applies it): a rename takes the collection at its target, if any ({@code dropTarget}).
     */
    private static List<CollectionAt> dropCandidates(UndoRequest request, ChangeEvent e, CatalogAt catalog) {
        boolean takes = e.operation() == Operation.DROP || e.operation() == Operation.DROP_DATABASE || e.operation() == Operation.RENAME;
        if (!takes || e.clusterTime().isAfter(request.to())) {
            return List.of();
        }
        return catalog.live().stream().filter(c -> NamespacePattern.anyMatches(request.patterns(), c.ns().toString())).toList();
    }

    /**
     * Every document of collection {@code then} present at T1 in this pass, with its state then: the
     * snapshot's documents with the log's effect on them, and those the log alone holds.
     */
    private Map<DocumentId, ApplyResult> heldAt(CollectionAt then, StateAt at, int partition) {
        return at.held(then, sink -> {
            for (ObjectRef ref : then.base().objects()) {
                Documents.forEach(repo, ref.hash(), documents(ref, partition), sink);
            }
        });
    }

    /** The net effect of a collection that did not exist at T1: every document absent. */
    private static NetEffect absent(Namespace ns) {
        NetEffect n = new NetEffect(ns);
        n.discardBase();
        return n;
    }

    /** States at T1: from the log where it settles them, else from the snapshot's version. */
    private Map<DocumentId, ApplyResult> targets(NamespaceSnapshot snap, NetEffect effect, Set<DocumentId> ids, int partition) {
        Map<DocumentId, ApplyResult> out = new HashMap<>();
        Set<DocumentId> needBase = new HashSet<>();
        for (DocumentId id : ids) {
            if (effect.baseDiscarded() || (effect.documents().containsKey(id) && !effect.state(id).dependsOnBase())) {
                out.put(id, effect.resolve(id, null));
            } else {
                needBase.add(id);
            }
        }
        if (!needBase.isEmpty() && snap != null) {
            for (ObjectRef ref : snap.objects()) {
                Documents.forEach(repo, ref.hash(), documents(ref, partition), doc -> {
                    DocumentId id = DocumentId.of(doc.get("_id"));
                    if (needBase.remove(id)) {
                        // a copy of its bytes, so that the whole object is not kept for one document
                        out.put(id, effect.resolve(id, Documents.copy(doc)));
                    }
                });
                if (needBase.isEmpty()) {
                    break;
                }
            }
        }
        for (DocumentId id : needBase) {
            out.put(id, effect.resolve(id, null));
        }
        return out;
    }

    /** The documents of snapshot object {@code ref} this pass reads: the whole object in one pass (counted as read), else its share. */
    private byte[] documents(ObjectRef ref, int partition) {
        if (spill != null) {
            return spill.documents(ref, partition);
        }
        bytesRead += ref.storedBytes();
        return repo.getObject(ref.hash());
    }

    /** The live documents, kept as their raw bytes (a fraction of a decoded document's memory). */
    private Map<DocumentId, BsonDocument> liveDocuments(Namespace ns, Set<DocumentId> ids) {
        MongoCollection<RawBsonDocument> coll = live.getDatabase(ns.db()).getCollection(ns.coll(), RawBsonDocument.class);
        Map<DocumentId, BsonDocument> out = new HashMap<>();
        List<BsonValue> batch = new ArrayList<>();
        for (DocumentId id : ids) {
            batch.add(id.value());
            if (batch.size() == BATCH) {
                fetch(coll, batch, out);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            fetch(coll, batch, out);
        }
        return out;
    }

    private static void fetch(MongoCollection<RawBsonDocument> coll, List<BsonValue> ids, Map<DocumentId, BsonDocument> out) {
        BsonDocument filter = new BsonDocument("_id", new BsonDocument("$in", new BsonArray(ids)));
        for (RawBsonDocument d : coll.find(filter).batchSize(BATCH)) {
            out.put(DocumentId.of(d.get("_id")), d);
        }
    }

    static String key(int collection, DocumentId id) {
        return collection + "\u0000" + id;
    }
}
