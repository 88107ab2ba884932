package dev.rewind.diff;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.event.ApplyResult;
import dev.rewind.event.DocumentId;
import dev.rewind.event.NetEffect;
import dev.rewind.repo.Documents;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.SegmentName;
import dev.rewind.restore.CatalogAt;
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
 * streamed once.
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
        // with several passes the log and the snapshot are read once, each pass then reading its share
        try (PassSpill spill = PassSpill.create(repo, passes)) {
            for (int pass = 0; pass < passes; pass++) {
                Pass p = pass(spill, pass, passes, inSnapshot, known, live, report, countAt);
                touched += p.touched();
                known1 |= p.logKnowsIt();
            }
        }
        if (!known1) {
            throw unknown();
        }
        return new Result(report, touched, live == null ? null : countAt[0], live == null ? null : live.count(), passes);
    }

    /** What one pass found: documents compared, and whether the log knows the collection. */
    private record Pass(long touched, boolean logKnowsIt) { }

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
        NetEffect between = StateAt.read(repo, spill, plan.between(), plan.at(), plan.to(), stateAt.catalog(), only, pass, passes)
                .effect(db, coll);
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
