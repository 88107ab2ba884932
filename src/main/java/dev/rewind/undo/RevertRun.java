package dev.rewind.undo;

import com.mongodb.client.MongoClient;
import dev.rewind.diff.LiveVersions;
import dev.rewind.event.DocumentId;
import dev.rewind.event.Namespace;
import dev.rewind.repo.Repository;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * Takes back a journal ({@code undo --revert}) from its last batch to its first, as many batches at
 * a time as {@code memoryDocs} allows: each part is planned against the live documents
 * ({@link RevertPlan}) and, with {@code apply}, journaled and written before the part before it is
 * read, so a journal of any size reverts in bounded memory. The journal is checked whole first
 * (every batch read), so a damaged one reverts nothing.
 */
public final class RevertRun {
    /** What the revert did or would do, in how many parts; {@code journal} is null without --apply. */
    public record Result(PlanTally tally, int parts, String journal) { }

    private final Repository repo;
    private final MongoClient live;

    public RevertRun(Repository repo, MongoClient live) {
        this.repo = repo;
        this.live = live;
    }

    /** {@code journalHeader} (with --apply) says what the revert's own journal is for. */
    public Result run(String reverted, long memoryDocs, int samples, boolean apply, Document journalHeader) {
        List<String> batches = Journal.batches(repo.store(), reverted, entries -> { });
        PlanTally tally = new PlanTally(samples);
        Journal journal = apply ? Journal.start(repo.store(), journalHeader) : null;
        UndoExecutor executor = apply ? new UndoExecutor(live, journal) : null;
        long written = 0;
        long conflicts = 0;
        int parts = 0;
        for (int last = batches.size() - 1; last >= 0; ) {
            Deque<List<Journal.Entry>> part = new ArrayDeque<>();
            long size = 0;
            for (; last >= 0 && (size == 0 || size < memoryDocs); last--) {
                List<Journal.Entry> batch = Journal.readBatch(repo.store(), batches.get(last));
                part.addFirst(batch);
                size += batch.size();
            }
            List<Journal.Entry> entries = new ArrayList<>();
            part.forEach(entries::addAll);
            List<DocumentUndo> plan = RevertPlan.plan(entries, liveVersions(entries));
            tally.add(plan);
            parts++;
            if (executor != null) {
                List<Journal.Entry> lostEntries = new ArrayList<>();
                written += executor.revert(entries, lostEntries);
                conflicts += lostEntries.size();
                Set<String> lost = new HashSet<>();
                lostEntries.forEach(e -> lost.add(e.ns() + "\u0000" + DocumentId.of(e.id())));
                tally.raced(plan.stream().filter(d -> d.outcome().writes()
                        && lost.contains(d.ns() + "\u0000" + DocumentId.of(d.id()))).toList());
            }
        }
        if (journal != null) {
            Document byOutcome = new Document();
            tally.totals().forEach((o, k) -> {
                if (o.writes()) {
                    byOutcome.append(o.label(), k);
                }
            });
            journal.finish(new Document("reverted", written).append("conflicts", conflicts).append("written", byOutcome));
        }
        return new Result(tally, Math.max(1, parts), journal == null ? null : journal.id());
    }

    /** The live version of each document of a part, read in batches per collection. */
    private Function<Journal.Entry, BsonDocument> liveVersions(List<Journal.Entry> entries) {
        Map<String, List<BsonValue>> byNs = new TreeMap<>();
        entries.forEach(e -> byNs.computeIfAbsent(e.ns(), k -> new ArrayList<>()).add(e.id()));
        Map<String, Map<DocumentId, BsonDocument>> found = new HashMap<>();
        byNs.forEach((ns, ids) -> {
            Namespace n = Namespace.parse(ns);
            found.put(ns, new LiveVersions(live.getDatabase(n.db()).getCollection(n.coll(), BsonDocument.class)).read(ids));
        });
        return e -> found.get(e.ns()).get(DocumentId.of(e.id()));
    }
}
