package dev.rewind.undo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.WriteModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Makes the writes of an undo plan, or of a revert, in batches: each batch is journaled before its
 * writes, which go to the server as one unordered bulk write per collection, and every write is
 * conditional on the live document still being what the plan saw, so a write that races the undo
 * becomes a conflict instead of being clobbered. Rerunning the same undo
 * after a crash finds the finished documents unchanged and writes only the rest.
 */
public final class UndoExecutor {
    static final int BATCH = 500;

    private final MongoClient live;
    private final Journal journal;
    private final Map<Outcome, Long> written = new EnumMap<>(Outcome.class);
    private long raced;

    public UndoExecutor(MongoClient live, Journal journal) {
        this.live = live;
        this.journal = journal;
    }

    /** Applies every writing outcome of the plan; returns the documents that raced (now conflicts). */
    public List<DocumentUndo> apply(List<DocumentUndo> plan) {
        List<DocumentUndo> racedDocs = new ArrayList<>();
        List<DocumentUndo> batch = new ArrayList<>();
        for (DocumentUndo d : plan) {
            if (!d.outcome().writes()) {
                continue;
            }
            batch.add(d);
            if (batch.size() == BATCH) {
                racedDocs.addAll(applyBatch(batch));
                batch.clear();
            }
        }
        racedDocs.addAll(applyBatch(batch));
        return racedDocs;
    }

    private List<DocumentUndo> applyBatch(List<DocumentUndo> batch) {
        List<Journal.Entry> entries = new ArrayList<>();
        for (DocumentUndo d : batch) {
            if (d.holder() != null) {
                BsonDocument holder = collection(d.ns()).find(new BsonDocument("_id", d.holder())).batchSize(1).first();
                entries.add(new Journal.Entry(d.ns(), d.holder(), "removed unique-key holder", holder, null));
            }
            entries.add(new Journal.Entry(d.ns(), d.id(), d.outcome().label(), d.live(), d.target()));
        }
        journal.append(entries);
        for (DocumentUndo d : batch) {
            if (d.holder() != null) {
                collection(d.ns()).deleteOne(new BsonDocument("_id", d.holder()));
            }
        }
        Map<String, List<DocumentUndo>> byNamespace = new LinkedHashMap<>();
        for (DocumentUndo d : batch) {
            byNamespace.computeIfAbsent(d.ns(), k -> new ArrayList<>()).add(d);
        }
        List<DocumentUndo> racedDocs = new ArrayList<>();
        byNamespace.forEach((ns, docs) -> {
            boolean[] done = writeAll(ns, docs.stream().map(d -> new Move(d.id(), d.live(), d.target())).toList());
            for (int i = 0; i < docs.size(); i++) {
                if (done[i]) {
                    written.merge(docs.get(i).outcome(), 1L, Long::sum);
                } else {
                    raced++;
                    racedDocs.add(docs.get(i));
                }
            }
        });
        return racedDocs;
    }

    /** One document to move from {@code expected} to {@code wanted} (null: absent), only if it is still {@code expected}. */
    private record Move(BsonValue id, BsonDocument expected, BsonDocument wanted) { }

    /**
     * One unordered bulk write of conditional writes for one collection: an insert where the plan
     * saw no document (a duplicate key means one appeared: raced), a delete or a replacement that
     * matches only the document the plan saw. Which of them found their document is read back when
     * the counts fall short: a document that is now what was wanted counts as written, any other
     * state as raced. Returns, per move, whether it is written.
     */
    private boolean[] writeAll(String ns, List<Move> moves) {
        boolean[] done = new boolean[moves.size()];
        if (moves.isEmpty()) {
            return done;
        }
        List<WriteModel<BsonDocument>> models = new ArrayList<>(moves.size());
        int conditional = 0;
        for (Move m : moves) {
            if (m.expected() == null) {
                models.add(new InsertOneModel<>(m.wanted()));
            } else if (m.wanted() == null) {
                models.add(new DeleteOneModel<>(asFilter(m.expected())));
                conditional++;
            } else {
                models.add(new ReplaceOneModel<>(asFilter(m.expected()), m.wanted()));
                conditional++;
            }
        }
        java.util.Arrays.fill(done, true);
        BulkWriteResult result;
        try {
            result = collection(ns).bulkWrite(models, new BulkWriteOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (error.getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                done[error.getIndex()] = false;
            }
            if (e.getWriteConcernError() != null) {
                throw e;
            }
            result = e.getWriteResult();
        }
        boolean failedConditional = false;
        for (int i = 0; i < moves.size(); i++) {
            failedConditional |= !done[i] && moves.get(i).expected() != null;
        }
        if (result.getDeletedCount() + result.getMatchedCount() < conditional || failedConditional) {
            Map<BsonValue, BsonDocument> now = states(ns, moves.stream().filter(m -> m.expected() != null).map(Move::id).toList());
            for (int i = 0; i < moves.size(); i++) {
                Move m = moves.get(i);
                if (m.expected() != null) {
                    done[i] = UndoPlanner.sameDocument(now.get(m.id()), m.wanted());
                }
            }
        }
        return done;
    }

    /** The live documents of {@code ids}, by {@code _id}, in one query (absent ones are missing). */
    private Map<BsonValue, BsonDocument> states(String ns, List<BsonValue> ids) {
        Map<BsonValue, BsonDocument> now = new HashMap<>();
        if (ids.isEmpty()) {
            return now;
        }
        for (BsonDocument doc : collection(ns).find(new BsonDocument("_id", new BsonDocument("$in", new BsonArray(ids))))) {
            now.put(doc.get("_id"), doc);
        }
        return now;
    }

    /** Matches the document only while every top-level field still has the value it had. */
    static BsonDocument asFilter(BsonDocument doc) {
        BsonDocument filter = new BsonDocument("_id", doc.get("_id"));
        doc.forEach((k, v) -> {
            if (!k.equals("_id")) {
                filter.append(k, v);
            }
        });
        return filter;
    }

    private MongoCollection<BsonDocument> collection(String ns) {
        int dot = ns.indexOf('.');
        return live.getDatabase(ns.substring(0, dot)).getCollection(ns.substring(dot + 1), BsonDocument.class);
    }

    public Map<Outcome, Long> written() {
        return written;
    }

    public long raced() {
        return raced;
    }

    public Journal journal() {
        return journal;
    }

    /**
     * Puts back the "before" states of a journal, each only where the live document is still the
     * "after" state; journaled like an undo, in batches, each read in one query and written in one
     * bulk write per collection. A document already back is left alone; one in any other state is a
     * conflict.
     */
    public long revert(List<Journal.Entry> entries, List<Journal.Entry> conflicts) {
        long reverted = 0;
        List<Journal.Entry> reversed = new ArrayList<>(entries);
        java.util.Collections.reverse(reversed);
        List<Journal.Entry> batch = new ArrayList<>();
        for (Journal.Entry e : reversed) {
            batch.add(new Journal.Entry(e.ns(), e.id(), "revert " + e.action(), e.after(), e.before()));
        }
        for (int i = 0; i < batch.size(); i += BATCH) {
            List<Journal.Entry> part = batch.subList(i, Math.min(batch.size(), i + BATCH));
            journal.append(part);
            int from = 0;
            while (from < part.size()) {
                // a run that names no document twice, so that the states read before it hold for its writes
                Set<List<Object>> seen = new HashSet<>();
                int to = from;
                while (to < part.size() && seen.add(List.of(part.get(to).ns(), part.get(to).id()))) {
                    to++;
                }
                reverted += revertRun(part.subList(from, to), conflicts);
                from = to;
            }
        }
        return reverted;
    }

    private long revertRun(List<Journal.Entry> run, List<Journal.Entry> conflicts) {
        long reverted = 0;
        Map<String, List<Journal.Entry>> byNamespace = new LinkedHashMap<>();
        for (Journal.Entry e : run) {
            byNamespace.computeIfAbsent(e.ns(), k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<String, List<Journal.Entry>> group : byNamespace.entrySet()) {
            Map<BsonValue, BsonDocument> now = states(group.getKey(), group.getValue().stream().map(Journal.Entry::id).toList());
            List<Journal.Entry> writing = new ArrayList<>();
            List<Move> moves = new ArrayList<>();
            for (Journal.Entry e : group.getValue()) {
                BsonDocument live = now.get(e.id());
                if (UndoPlanner.sameDocument(live, e.after())) {
                    continue;
                }
                if (UndoPlanner.sameDocument(live, e.before())) {
                    writing.add(e);
                    moves.add(new Move(e.id(), e.before(), e.after()));
                } else {
                    conflicts.add(e);
                }
            }
            boolean[] done = writeAll(group.getKey(), moves);
            for (int i = 0; i < done.length; i++) {
                if (done[i]) {
                    reverted++;
                } else {
                    conflicts.add(writing.get(i));
                }
            }
        }
        return reverted;
    }
}
