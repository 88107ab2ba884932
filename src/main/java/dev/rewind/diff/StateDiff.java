package dev.rewind.diff;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.event.ApplyResult;
import dev.rewind.event.DocumentId;
import dev.rewind.event.Namespace;
import dev.rewind.event.NetEffect;
import dev.rewind.repo.Documents;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.SegmentName;
import dev.rewind.restore.CatalogAt;
import dev.rewind.restore.CollectionAt;
import dev.rewind.restore.LogPasses;
import dev.rewind.restore.PassSpill;
import dev.rewind.restore.StateAt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * Carries out a {@link DiffPlan}. Only documents the log touched in {@code (at, to]} can differ
 * between the two points, so only they are compared: their state at {@code at} (the snapshot
 * version, read only when the log before {@code at} does not settle it, plus the net effect up to
 * {@code at}) against their state at {@code to} (that state plus the net effect of
 * {@code (at, to]}), or against their live version. Memory holds the touched documents. A drop of
 * the collection in between removes every document; then, and for a live count, the snapshot is
 * streamed once. When a rename (or an aggregation's {@code $out}) put another collection at the
 * name in between, both collections are compared whole ({@link #renamedIn}).
 */
public final class StateDiff {
    /** What a diff found, in how many passes over the log; the counts at {@code at} and live are set only for a live diff. */
    public record Result(DiffReport report, long touched, Long countAt, Long countLive, int passes) { }

    private final Repository repo;
    private final DiffPlan plan;

    public StateDiff(Repository repo, DiffPlan plan) {
        this.repo = repo;
        this.plan = plan;
    }

    /** Compares the state at {@code at} with the state at {@code to}, or with {@code live} when given, in one pass. */
    public Result run(int samples, LiveVersions live) {
        return run(samples, live, Long.MAX_VALUE);
    }

    /**
     * As above, holding at most {@code memoryDocs} documents touched by the log at once: a larger log
     * is read in passes, each taking the documents whose {@code _id} hash falls in its share (as a
     * restore does), and the snapshot is streamed once per pass that needs it.
     */
    public Result run(int samples, LiveVersions live, long memoryDocs) {
        SnapshotManifest s = plan.before().snapshot();
        NamespaceSnapshot inSnapshot = s.namespace(plan.ns().toString());
        List<NamespaceSnapshot> known = List.of(inSnapshot != null ? inSnapshot : new NamespaceSnapshot(plan.ns().db(),
                plan.ns().coll(), "collection", new Document(), List.of(), 0, 0, List.of()));
        List<SegmentName> log = LogPasses.union(plan.before().segments(), plan.between());
        int passes = LogPasses.partitions(LogPasses.surveyIfLarge(repo, log,
                s.startAt(), plan.to(), known, memoryDocs), memoryDocs);
        DiffReport report = new DiffReport(samples);
        long touched = 0;
        long[] countAt = {0};
        boolean known1 = plan.inSomeSnapshot();
        Namespace renamedFrom = null;
        // with several passes the log and the snapshot are read once, each pass then reading its share
        PassSpill spill = PassSpill.create(repo, passes);
        try {
            for (int pass = 0; pass < passes; pass++) {
                Pass p = renamedFrom != null ? renamedIn(spill, pass, passes, renamedFrom, live, report, countAt)
                        : pass(spill, pass, passes, inSnapshot, known, live, report, countAt);
                if (p.renamedFrom() != null) {
                    // found in the first pass, before it compared anything: start again, holding both collections
                    renamedFrom = p.renamedFrom();
                    passes = Math.max(passes, passesHolding(s, renamedFrom, memoryDocs));
                    if (spill != null) {
                        spill.close();
                    }
                    spill = PassSpill.create(repo, passes);
                    pass = -1;
                    continue;
                }
                touched += p.touched();
                known1 |= p.logKnowsIt();
            }
        } finally {
            if (spill != null) {
                spill.close();
            }
        }
        if (!known1) {
            throw unknown();
        }
        return new Result(report, touched, live == null ? null : countAt[0], live == null ? null : live.count(), passes);
    }

    /**
     * What one pass found: documents compared, and whether the log knows the collection; or, with
     * nothing compared, that a rename brought the collection now at the name from {@code renamedFrom}.
     */
    private record Pass(long touched, boolean logKnowsIt, Namespace renamedFrom) {
        Pass(long touched, boolean logKnowsIt) {
            this(touched, logKnowsIt, null);
        }
    }

    /** Passes enough to hold both collections' documents, by the snapshot's counts. */
    private int passesHolding(SnapshotManifest s, Namespace renamedFrom, long memoryDocs) {
        long held = s.namespaces().stream().filter(n -> n.ns().equals(plan.ns().toString()) || n.ns().equals(renamedFrom.toString()))
                .mapToLong(NamespaceSnapshot::documents).sum();
        return (int) Math.min(4096, Math.max(1, (held + memoryDocs - 1) / memoryDocs));
    }

    private Pass pass(PassSpill spill, int pass, int passes, NamespaceSnapshot inSnapshot, List<NamespaceSnapshot> known,
                      LiveVersions live, DiffReport report, long[] countAt) {
        SnapshotManifest s = plan.before().snapshot();
        String db = plan.ns().db();
        String coll = plan.ns().coll();
        List<NamespacePattern> only = List.of(NamespacePattern.parse(plan.ns().toString()));
        StateAt stateAt = StateAt.read(repo, spill, plan.before().segments(), s.startAt(), plan.at(),
                CatalogAt.of(known), only, pass, passes);
        NetEffect untilAt = stateAt.effect(db, coll).scannedUntil(s.endAt());
        // the collections as they are at --at, so that one dropped or renamed before then is not taken for the one there
        StateAt betweenState = StateAt.read(repo, spill, plan.between(), plan.at(), plan.to(), stateAt.catalog(), only, pass, passes);
        CollectionAt nowThere = betweenState.catalog().at(plan.ns());
        CollectionAt thenThere = stateAt.catalog().at(plan.ns());
        if (nowThere != null && !nowThere.formerNames().isEmpty() && (thenThere == null || thenThere.serial() != nowThere.serial())) {
            // a rename brought it here: by its name at --at when the first point knew it, else by its name before the rename
            CollectionAt source = stateAt.catalog().bySerial(nowThere.serial());
            List<Namespace> former = nowThere.formerNames();
            return new Pass(0, true, source != null && source.live() ? source.ns() : former.get(former.size() - 1));
        }
        NetEffect between = betweenState.effect(db, coll);
        boolean logKnowsIt = untilAt.size() > 0 || between.size() > 0 || untilAt.baseDiscarded() || between.baseDiscarded();
        Set<DocumentId> touched = between.documents().keySet();
        Map<DocumentId, BsonDocument> base = new HashMap<>();
        Set<DocumentId> inBase = new HashSet<>();
        boolean needsBase = !untilAt.baseDiscarded() && inSnapshot != null
                && touched.stream().anyMatch(id -> untilAt.state(id).dependsOnBase());
        boolean scanAll = between.baseDiscarded() || live != null;
        long removedBefore = report.removed().count();
        if (inSnapshot != null && !untilAt.baseDiscarded() && (needsBase || scanAll)) {
            SnapshotDocuments.forEach(repo, spill, pass, inSnapshot, doc -> {
                DocumentId id = DocumentId.of(doc.get("_id"));
                if (!stateAt.holds(id)) {
                    return;  // another pass's
                }
                if (touched.contains(id)) {
                    base.put(id, Documents.copy(doc));
                }
                if (scanAll) {
                    if (untilAt.documents().containsKey(id)) {
                        inBase.add(id);
                    }
                    ApplyResult at = untilAt.documents().containsKey(id) ? untilAt.resolve(id, doc) : ApplyResult.exact(doc);
                    present(at, id, touched, between, report, countAt);
                }
            });
        }
        if (scanAll) {
            for (DocumentId id : untilAt.documents().keySet()) {
                if (!inBase.contains(id)) {
                    present(untilAt.resolve(id, null), id, touched, between, report, countAt);
                }
            }
        }
        long removedByDrop = report.removed().count() - removedBefore;  // a drop touched them all
        List<BsonValue> ids = new ArrayList<>();
        touched.forEach(id -> ids.add(id.value()));
        Map<DocumentId, BsonDocument> liveDocs = live == null ? Map.of() : live.read(ids);
        for (DocumentId id : touched) {
            ApplyResult at = untilAt.resolve(id, base.get(id));
            ApplyResult after = live != null ? ApplyResult.exact(liveDocs.get(id)) : after(between, id, at);
            report.compare(id.value(), at, after);
        }
        return new Pass(touched.size() + removedByDrop, logKnowsIt);
    }

    /**
     * A pass where, in {@code (at, to]}, a rename brought another collection ({@code sourceName} at
     * {@code at}) to the name ({@code renameCollection} onto it, or an aggregation's {@code $out} through
     * its temporary collection): every document of the collection that was at the name is compared
     * with the document under its {@code _id} in the collection there at {@code to} (or live), so
     * what the rename kept shows as unchanged and what it took as removed. Both collections are
     * followed by their names at {@code at}.
     */
    private Pass renamedIn(PassSpill spill, int pass, int passes, Namespace sourceName, LiveVersions live,
                           DiffReport report, long[] countAt) {
        SnapshotManifest s = plan.before().snapshot();
        List<NamespacePattern> both = List.of(NamespacePattern.parse(plan.ns().toString()), NamespacePattern.parse(sourceName.toString()));
        List<NamespaceSnapshot> known = s.namespaces().stream()
                .filter(n -> n.ns().equals(plan.ns().toString()) || n.ns().equals(sourceName.toString())).toList();
        StateAt stateAt = StateAt.read(repo, spill, plan.before().segments(), s.startAt(), plan.at(), CatalogAt.of(known), both,
                pass, passes);
        StateAt after = StateAt.read(repo, spill, plan.between(), plan.at(), plan.to(), stateAt.catalog(), both, pass, passes);
        CollectionAt old = stateAt.catalog().at(plan.ns());
        CollectionAt moved = stateAt.catalog().at(sourceName);  // null when it was created after --at
        Map<DocumentId, ApplyResult> before = old == null ? Map.of()
                : stateAt.held(old, sink -> SnapshotDocuments.forEach(repo, spill, pass, old.base(), sink));
        Map<DocumentId, ApplyResult> sourceAtAt = moved == null ? Map.of()
                : stateAt.held(moved, sink -> SnapshotDocuments.forEach(repo, spill, pass, moved.base(), sink));
        NetEffect movedSince = after.effect(after.catalog().at(plan.ns()));
        Set<DocumentId> ids = new java.util.LinkedHashSet<>(before.keySet());
        ids.addAll(sourceAtAt.keySet());
        movedSince.documents().keySet().stream().filter(stateAt::holds).forEach(ids::add);
        List<BsonValue> values = new ArrayList<>();
        ids.forEach(id -> values.add(id.value()));
        Map<DocumentId, BsonDocument> liveDocs = live == null ? Map.of() : live.read(values);
        for (DocumentId id : ids) {
            ApplyResult a = before.getOrDefault(id, ApplyResult.absent());
            if (a.isPresent()) {
                countAt[0]++;
            }
            ApplyResult b = live != null ? ApplyResult.exact(liveDocs.get(id))
                    : after(movedSince, id, sourceAtAt.getOrDefault(id, ApplyResult.absent()));
            report.compare(id.value(), a, b);
        }
        return new Pass(ids.size(), true);
    }

    /** Counts a document present at {@code at}; when the collection was dropped in between and it was not written again, it is removed. */
    private static void present(ApplyResult at, DocumentId id, Set<DocumentId> touched, NetEffect between,
                                DiffReport report, long[] countAt) {
        if (!at.isPresent()) {
            return;
        }
        countAt[0]++;
        if (between.baseDiscarded() && !touched.contains(id)) {
            report.removed(at.state());
        }
    }

    /** The state at {@code to}: the net effect of {@code (at, to]} over the state at {@code at}. */
    static ApplyResult after(NetEffect between, DocumentId id, ApplyResult at) {
        if (!between.state(id).dependsOnBase() || between.baseDiscarded()) {
            return between.resolve(id, null);
        }
        if (at.isUnknown()) {
            return ApplyResult.unknown("its state at the first point is unknown: " + at.reason());
        }
        ApplyResult r = between.resolve(id, at.state());
        return at.isExact() || r.isUnknown() ? r : ApplyResult.inexact(r.state(), at.reason());
    }

    private RewindException unknown() {
        return RewindException.notFound("the repository knows no collection " + plan.ns(),
                "collections in snapshot " + plan.before().snapshot().id() + ": " + String.join(", ",
                        plan.before().snapshot().namespaces().stream().map(NamespaceSnapshot::ns).toList()));
    }
}
