package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * mongo-java-server's own cursors (aggregations, and finds on a missing collection) batched as mongod batches: no batch
 * past 16 MiB (though always one document), and a {@code getMore} without {@code batchSize} filled
 * up to 16 MiB rather than to a count (MongoDB manual, "Cursors", "Cursor Batches": later batches
 * "have no default batch size, so they are limited only by the 16 mebibyte message size").
 * mongo-java-server knows no byte limit and returns a count, so the documents of its batches that do
 * not fit wait here for the next {@code getMore}. A cursor keeps mongo-java-server's id; one that
 * mongo-java-server has finished but whose last documents still wait gets an id of its own.
 */
final class BackendCursors {
    private static final int CHUNK = 1000;
    private static final long FIRST_ID = 0x5CB_0000_0000L;

    /** Documents read from mongo-java-server and not yet returned; {@code backendId} 0 once it has no more. */
    private record Pending(Deque<Object> documents, long backendId) {
    }

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(FIRST_ID);

    /**
     * Cuts the reply's first batch to {@code batchSize} documents (mongo-java-server's aggregate may
     * return more) and to 16 MiB, keeping the rest for the cursor's next getMore.
     */
    Document first(Document reply, Object batchSize) {
        int max = batchSize instanceof Number n && n.intValue() >= 0 ? n.intValue() : Integer.MAX_VALUE;
        if (!(reply.get("cursor") instanceof Document cursor) || !(cursor.get("firstBatch") instanceof List<?> docs)) {
            return reply;
        }
        long backendId = cursor.get("id") instanceof Number n ? n.longValue() : 0;
        Deque<Object> rest = new ArrayDeque<>(docs);
        Batch batch = new Batch();
        while (!rest.isEmpty() && batch.size() < max && batch.add((Document) rest.peek())) {
            rest.poll();
        }
        cursor.put("firstBatch", batch.documents());
        cursor.put("id", keep(backendId, backendId, rest));
        return reply;
    }

    /**
     * The next batch of the cursor: at most {@code batchSize} documents ({@code 0}: no count), and
     * no more than 16 MiB; {@code more} asks mongo-java-server for up to so many of a cursor's next
     * documents and returns its getMore reply.
     */
    Document getMore(long id, String ns, int batchSize, BiFunction<Long, Integer, Document> more) {
        Pending p = pending.remove(id);
        if (p == null && id > FIRST_ID && id <= ids.get()) {
            throw new ServerError(43, "CursorNotFound", "cursor id " + id + " not found");
        }
        Deque<Object> waiting = p == null ? new ArrayDeque<>() : p.documents();
        long backendId = p == null ? id : p.backendId();
        int max = batchSize > 0 ? batchSize : Integer.MAX_VALUE;
        Batch batch = new Batch();
        while (batch.size() < max && !batch.full) {
            if (waiting.isEmpty()) {
                if (backendId == 0) {
                    break;
                }
                Document cursor = (Document) more.apply(backendId, Math.min(max - batch.size(), CHUNK)).get("cursor");
                backendId = cursor.get("id") instanceof Number n ? n.longValue() : 0;
                List<?> docs = (List<?>) cursor.get("nextBatch");
                if (docs.isEmpty()) {
                    break;
                }
                waiting.addAll(docs);
            }
            if (!batch.add((Document) waiting.peek())) {
                break;
            }
            waiting.poll();
        }
        long outId = keep(id, backendId, waiting);
        Document cursor = new Document("nextBatch", batch.documents()).append("id", outId).append("ns", ns);
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    /** Forgets a cursor; true if it was one of this class's own ids (mongo-java-server has no such cursor). */
    boolean kill(long id) {
        Pending p = pending.remove(id);
        return p != null && p.backendId() != id;
    }

    /** The id the client goes on with (0 once nothing waits and mongo-java-server is done), keeping what waits under it. */
    private long keep(long id, long backendId, Deque<Object> waiting) {
        if (waiting.isEmpty()) {
            return backendId;
        }
        long outId = id != 0 ? id : ids.incrementAndGet();
        pending.put(outId, new Pending(waiting, backendId));
        return outId;
    }
}
