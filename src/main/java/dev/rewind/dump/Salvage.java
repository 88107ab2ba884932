package dev.rewind.dump;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.event.ApplyResult;
import dev.rewind.event.DocumentId;
import dev.rewind.event.Operation;
import dev.rewind.mongo.Catalog;
import dev.rewind.undo.DocumentUndo;
import dev.rewind.undo.Outcome;
import dev.rewind.undo.UndoPlanner;
import dev.rewind.undo.UndoRequest;
import dev.rewind.undo.UniqueKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * Plans a salvage: compares every document of a dump with the live collection of the same name, by
 * {@code _id}, in batches ({@code $in}), and decides with undo's planner, the dump's version standing
 * for the state to return to. A document in the dump and absent live is restored with its original
 * {@code _id}, unless another live document holds one of its unique keys (a conflict, naming the
 * holder); one in both and different is reported, and reverted to the dump's version only when
 * {@code updates} is asked; one equal is unchanged. Documents only live (written since the dump) are
 * counted and never touched. Reads the whole dump before returning, so a damaged dump fails before
 * any write.
 */
public final class Salvage {
    static final int BATCH = 1000;

    /** The plan: the documents to write or report (unchanged ones only counted), and counts per namespace. */
    public record Plan(List<DocumentUndo> documents, Map<String, Counts> counts, List<String> skipped) { }

    /** Per namespace: documents in the dump, those equal live, and live documents the dump does not hold. */
    public record Counts(long inDump, long unchanged, long liveOnly) { }

    private final MongoClient live;
    private final boolean updates;
    private final UndoRequest request;
    private final List<DocumentUndo> plan = new ArrayList<>();

    public Salvage(MongoClient live, boolean updates, boolean keepRestored) {
        this.live = live;
        this.updates = updates;
        Set<Operation> ops = updates ? EnumSet.of(Operation.DELETE, Operation.UPDATE) : EnumSet.of(Operation.DELETE);
        this.request = new UndoRequest(List.of(), null, null, ops, null, false, keepRestored);
    }

    public Plan plan(DumpReader dump, List<NamespacePattern> patterns) throws IOException {
        return plan(dump, patterns, false);
    }

    /**
     * As {@link #plan(DumpReader, List)}; with {@code replayOplog}, the dump's documents are taken as
     * its oplog leaves them ({@link OplogReplay}): as at the dump's end, those it deleted left out,
     * those it wrote and the dump does not hold added. An archive is read twice (its oplog comes last).
     */
    public Plan plan(DumpReader dump, List<NamespacePattern> patterns, boolean replayOplog) throws IOException {
        List<CollectionMetadata> chosen = DumpScope.select(dump, patterns);
        Catalog catalog = new Catalog(live);
        List<String> skipped = new ArrayList<>();
        Map<String, List<RawBsonDocument>> batches = new LinkedHashMap<>();
        Map<String, long[]> tallies = new LinkedHashMap<>();
        for (CollectionMetadata c : chosen) {
            if (c.isView() || c.isTimeSeries()) {
                skipped.add(c.ns() + " (" + c.type() + ")");
                continue;
            }
            if (!catalog.exists(c.db(), c.collection())) {
                throw RewindException.notFound("the live database has no collection " + c.ns() + " to salvage into",
                        "salvage puts missing documents back into a collection that exists; to bring back a whole collection,"
                                + " 'rewind import' the dump and 'rewind restore --snapshot ID --ns-from " + c.ns() + " --ns-to NS'");
            }
            batches.put(c.ns(), new ArrayList<>());
            tallies.put(c.ns(), new long[3]);
        }
        if (batches.isEmpty()) {
            throw RewindException.notFound("nothing to salvage: " + String.join(", ", skipped),
                    "salvage works on collections; views and time-series collections are not documents it can put back");
        }
        Map<String, OplogReplay.Patch> patches = new LinkedHashMap<>();
        if (replayOplog) {
            dump.keepOplogWrites(batches.keySet());
            if (dump.oplogComesLast()) {
                dump.read(ns -> false, (c, doc) -> { });   // a first reading, for the oplog alone
            }
            OplogReplay replay = OplogReplay.plan(dump.oplog().inOrder(), batches.keySet());
            batches.keySet().forEach(ns -> patches.put(ns, replay.patch(ns)));
        } else {
            dump.oplog();   // a directory's oplog.bson is read (and checked) before anything is written
        }
        dump.read(batches::containsKey, (c, doc) -> {
            byte[] d = patches.isEmpty() ? doc : patches.get(c.ns()).apply(doc);
            if (d != null) {
                add(c.ns(), d, batches.get(c.ns()), tallies.get(c.ns()));
            }
        });
        for (Map.Entry<String, OplogReplay.Patch> p : patches.entrySet()) {
            for (byte[] d : p.getValue().rest()) {
                add(p.getKey(), d, batches.get(p.getKey()), tallies.get(p.getKey()));
            }
        }
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (Map.Entry<String, List<RawBsonDocument>> e : batches.entrySet()) {
            long[] t = tallies.get(e.getKey());
            compare(e.getKey(), e.getValue(), t);
            long liveCount = collection(e.getKey()).countDocuments();
            counts.put(e.getKey(), new Counts(t[0], t[1], Math.max(0, liveCount - t[2])));
        }
        return new Plan(plan, counts, skipped);
    }

    private void add(String ns, byte[] doc, List<RawBsonDocument> batch, long[] tally) {
        batch.add(new RawBsonDocument(doc));
        if (batch.size() == BATCH) {
            compare(ns, batch, tally);
            batch.clear();
        }
    }

    /** Decides a batch of dump documents; tally: in the dump, unchanged, present live. */
    private void compare(String ns, List<RawBsonDocument> batch, long[] tally) {
        if (batch.isEmpty()) {
            return;
        }
        MongoCollection<BsonDocument> coll = collection(ns);
        BsonArray ids = new BsonArray();
        for (RawBsonDocument d : batch) {
            BsonValue id = d.get("_id");
            if (id == null) {
                throw RewindException.corrupt("a document of " + ns + " in the dump has no _id",
                        "salvage matches documents by _id; the dump cannot be used as it is");
            }
            ids.add(id);
        }
        Map<DocumentId, BsonDocument> liveDocs = new HashMap<>();
        for (BsonDocument d : coll.find(new BsonDocument("_id", new BsonDocument("$in", ids))).batchSize(BATCH)) {
            liveDocs.put(DocumentId.of(d.get("_id")), d);
        }
        Map<DocumentId, ApplyResult> candidates = new LinkedHashMap<>();
        for (RawBsonDocument d : batch) {
            DocumentId id = DocumentId.of(d.get("_id"));
            BsonDocument now = liveDocs.get(id);
            if (now == null || (updates && !UndoPlanner.sameDocument(now, d))) {
                candidates.put(id, ApplyResult.exact(d));
            }
        }
        Map<DocumentId, UniqueKeys.Holder> holders = new UniqueKeys(coll).holders(candidates);
        for (RawBsonDocument d : batch) {
            DocumentId id = DocumentId.of(d.get("_id"));
            BsonDocument now = liveDocs.get(id);
            tally[0]++;
            if (now != null) {
                tally[2]++;
            }
            UniqueKeys.Holder h = holders.get(id);
            DocumentUndo decided = UndoPlanner.decide(new UndoPlanner.Facts(ns, id.value(), true, d, now,
                    now != null && !updates, h == null ? null : h.key(), h == null ? null : h.holder()), request);
            if (decided.outcome() == Outcome.UNCHANGED) {
                tally[1]++;
            } else if (decided.outcome() == Outcome.CONFLICT_CHANGED_LATER) {
                plan.add(new DocumentUndo(ns, decided.id(), decided.outcome(), d, now,
                        "differs from the dump; --ops update replaces it with the dump's version", null));
            } else {
                plan.add(decided);
            }
        }
    }

    private MongoCollection<BsonDocument> collection(String ns) {
        int dot = ns.indexOf('.');
        return live.getDatabase(ns.substring(0, dot)).getCollection(ns.substring(dot + 1), BsonDocument.class);
    }
}
