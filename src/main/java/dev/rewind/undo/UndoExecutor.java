package dev.rewind.undo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            boolean[] done = writeAll(ns, docs);
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

    /**
     * One unordered bulk write of conditional writes for one collection: an insert where the plan
     * saw no document (a duplicate key means one appeared: raced), a delete or a replacement that
     * matches only the document the plan saw. Which of them found their document is read back when
     * the counts fall short: a document that is now what the undo wanted counts as written, any
     * other state as raced. Returns, per document, whether it is written.
     */
    private boolean[] writeAll(String ns, List<DocumentUndo> docs) {
        boolean[] done = new boolean[docs.size()];
        List<WriteModel<BsonDocument>> models = new ArrayList<>(docs.size());
        int conditional = 0;
        for (DocumentUndo d : docs) {
            if (d.live() == null) {
                models.add(new InsertOneModel<>(d.target()));
            } else if (d.target() == null) {
                models.add(new DeleteOneModel<>(asFilter(d.live())));
                conditional++;
            } else {
                models.add(new ReplaceOneModel<>(asFilter(d.live()), d.target()));
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
        int matched = result.getDeletedCount() + result.getMatchedCount();
        boolean failedConditional = false;
        for (int i = 0; i < docs.size(); i++) {
            failedConditional |= !done[i] && docs.get(i).live() != null;
        }
        if (matched < conditional || failedConditional) {
            readBack(ns, docs, done);
        }
        return done;
    }

    /** Marks each delete or replacement written only if its document is now what the undo wanted. */
    private void readBack(String ns, List<DocumentUndo> docs, boolean[] done) {
        BsonArray ids = new BsonArray();
        for (DocumentUndo d : docs) {
            if (d.live() != null) {
                ids.add(d.id());
            }
        }
        Map<BsonValue, BsonDocument> now = new HashMap<>();
        for (BsonDocument doc : collection(ns).find(new BsonDocument("_id", new BsonDocument("$in", ids)))) {
            now.put(doc.get("_id"), doc);
        }
        for (int i = 0; i < docs.size(); i++) {
            DocumentUndo d = docs.get(i);
            if (d.live() != null) {
                done[i] = UndoPlanner.sameDocument(now.get(d.id()), d.target());
            }
        }
    }

    /**
     * Moves a document from {@code expected} to {@code wanted} (null = absent) if it is still
     * {@code expected}; false when it changed in the meantime.
     */
    boolean write(String ns, BsonValue id, BsonDocument expected, BsonDocument wanted) {
        MongoCollection<BsonDocument> coll = collection(ns);
        if (expected == null) {
            try {
                coll.insertOne(wanted);
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return false;
                }
                throw e;
            }
        }
        BsonDocument filter = asFilter(expected);
        if (wanted == null) {
            return coll.deleteOne(filter).getDeletedCount() == 1;
        }
        try {
            return coll.replaceOne(filter, wanted).getMatchedCount() == 1;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
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

    /** Puts back the "before" states of a journal, each only where the live document is still the "after" state. */
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
            for (Journal.Entry e : part) {
                BsonDocument now = collection(e.ns()).find(new BsonDocument("_id", e.id())).batchSize(1).first();
                boolean already = UndoPlanner.sameDocument(now, e.after());
                if (already) {
                    continue;
                }
                if (UndoPlanner.sameDocument(now, e.before()) && write(e.ns(), e.id(), e.before(), e.after())) {
                    reverted++;
                } else {
                    conflicts.add(e);
                }
            }
        }
        return reverted;
    }

}
