package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.QueryMatcher;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.oplog.Oplog;
import dev.rewind.sandbox.oplog.OplogDocuments;
import dev.rewind.sandbox.oplog.OplogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code find} on {@code local.oplog.rs}: the sandbox's oplog read as mongod's capped collection
 * ({@link OplogDocuments}), in natural order (oldest first) or reversed ({@code $natural: -1}, or a
 * sort on {@code ts}, which is the same order), with a filter, {@code skip} and {@code limit}, as
 * {@code mongodump --oplog} and a user's shell read it. The collection is read-only here, and a
 * projection or any other sort is refused (MongoDB's oplog accepts them; nothing reads it so).
 */
final class OplogReads {
    static final String NS = "local.oplog.rs";
    private static final int CHUNK = 1000;

    private final Oplog oplog;
    private final QueryMatcher matcher = new DefaultQueryMatcher();

    OplogReads(Oplog oplog) {
        this.oplog = oplog;
    }

    /** The reply of the find, every document in its first batch (the caller cuts it into batches). */
    Document find(Document cmd) {
        Document filter = cmd.get("filter") instanceof Document f ? f : new Document();
        if (cmd.get("projection") instanceof Document p && !p.isEmpty()) {
            throw ServerError.notSupported("a projection on " + NS);
        }
        boolean reverse = direction(cmd.get("sort"), cmd.get("hint")) < 0;
        int skip = cmd.get("skip") instanceof Number n ? Math.max(0, n.intValue()) : 0;
        int limit = cmd.get("limit") instanceof Number n ? Math.abs(n.intValue()) : 0;
        List<OplogEntry> entries = reverse ? from(null) : from(lowerBound(filter));
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < entries.size() && (limit == 0 || out.size() < limit); i++) {
            Document d = OplogDocuments.of(entries.get(reverse ? entries.size() - 1 - i : i));
            if (matcher.matches(d, filter)) {
                if (skip > 0) {
                    skip--;
                } else {
                    out.add(d);
                }
            }
        }
        Document cursor = new Document("firstBatch", out).append("id", 0L).append("ns", NS);
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    /** The entries from the first at or after {@code ts} (null: the oldest) to the newest. */
    private List<OplogEntry> from(BsonTimestamp ts) {
        List<OplogEntry> entries = new ArrayList<>();
        OplogEntry oldest = oplog.oldest();
        if (oldest == null) {
            return entries;
        }
        long seq = ts == null ? oldest.seq() : oplog.seqAtOrAfter(ts);
        for (List<OplogEntry> chunk = oplog.read(seq, CHUNK); !chunk.isEmpty(); chunk = oplog.read(seq, CHUNK)) {
            entries.addAll(chunk);
            seq = chunk.get(chunk.size() - 1).seq() + 1;
        }
        return entries;
    }

    /**
     * The least {@code ts} the filter admits, from {@code ts: {$gt or $gte: T}} at its top or in a
     * top-level {@code $and} (mongodump's query), so that a read from there skips what cannot match;
     * null when there is none.
     */
    private static BsonTimestamp lowerBound(Document filter) {
        List<Object> terms = new ArrayList<>(List.of(filter));
        if (filter.get("$and") instanceof List<?> and) {
            terms.addAll(and);
        }
        BsonTimestamp best = null;
        for (Object t : terms) {
            if (t instanceof Document d && d.get("ts") instanceof Document range) {
                for (String op : List.of("$gt", "$gte")) {
                    if (range.get(op) instanceof BsonTimestamp b && (best == null || b.compareTo(best) > 0)) {
                        best = b;
                    }
                }
            }
        }
        return best;
    }

    /** 1 for natural order, -1 reversed; refused for any other sort. */
    private static int direction(Object sort, Object hint) {
        Object by = sort instanceof Document s && !s.isEmpty() ? s : hint;
        if (by == null || (by instanceof Document d && d.isEmpty())) {
            return 1;
        }
        if (by instanceof Document d && d.size() == 1 && (d.containsKey("$natural") || d.containsKey("ts"))
                && d.values().iterator().next() instanceof Number n) {
            return n.intValue() < 0 ? -1 : 1;
        }
        throw ServerError.notSupported("a sort of " + NS + " other than {$natural: 1 or -1} or {ts: 1 or -1}: " + by);
    }
}
