package dev.rewind.sandbox.stream;

import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.catalog.Catalog;
import dev.rewind.sandbox.catalog.Namespaces;
import dev.rewind.sandbox.oplog.Oplog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's change streams: {@code aggregate} with a leading {@code $changeStream} opens one,
 * {@code getMore} reads it (waiting up to {@code maxTimeMS}, default 1 s, for a first event, and
 * returning as soon as there is one), {@code killCursors} closes it. Replies are mongod's: {@code
 * cursor: {firstBatch|nextBatch, postBatchResumeToken, id, ns}}. A stream that fails is closed.
 * Cursors idle for 10 minutes are closed ({@code cursorTimeoutMillis}).
 */
public final class ChangeStreams {
    static final long DEFAULT_AWAIT_MS = 1000;
    static final int DEFAULT_FIRST_BATCH = 101;
    private static final long IDLE_TIMEOUT_MS = 10 * 60 * 1000;

    private final Map<Long, StreamCursor> cursors = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(0x5AD_0000_0000L);
    private final Oplog oplog;
    private final Namespaces namespaces;
    private final MongoRelease release;

    public ChangeStreams(Oplog oplog, Namespaces namespaces, MongoRelease release) {
        this.oplog = oplog;
        this.namespaces = namespaces;
        this.release = release;
    }

    /** Whether an aggregate's pipeline opens a change stream. */
    public static boolean opens(Document cmd) {
        return cmd.get("pipeline") instanceof List<?> p && !p.isEmpty() && p.get(0) instanceof Document first
                && first.containsKey("$changeStream");
    }

    public boolean owns(long cursorId) {
        return cursors.containsKey(cursorId);
    }

    public Document open(String db, Document cmd) {
        expire();
        Object coll = cmd.get("aggregate");
        List<?> pipeline = (List<?>) cmd.get("pipeline");
        StreamSpec spec = StreamSpec.parse(db, coll, pipeline, release);
        if (cmd.get("collation") instanceof Document collation && !collation.isEmpty()
                && !(collation.size() == 1 && "simple".equals(collation.get("locale")))) {
            throw ServerError.notSupported("collation on a change stream (its $match stages would compare by code point)");
        }
        if (spec.scope().isCollection()) {
            Catalog.Entry entry = namespaces.catalog().get(spec.scope().ns());
            if (entry != null && entry.type() == Catalog.Type.TIMESERIES) {
                throw new ServerError(166, "CommandNotSupportedOnView", "Cannot run aggregation on timeseries with namespace "
                        + spec.scope().ns());
            }
            if (entry != null && entry.type() == Catalog.Type.VIEW) {
                throw ServerError.notSupportedOnView(spec.scope().ns());
            }
        }
        Aggregation stages = spec.stages().isEmpty() ? null : Aggregation.fromPipeline(spec.stages(),
                namespaces.backend()::resolveDatabase, null, null, NoopOplog.get());
        EventBuilder builder = new EventBuilder(spec, release, this::lookup);
        StreamCursor cursor = new StreamCursor(ids.incrementAndGet(), spec, builder, oplog, stages);
        int batchSize = DEFAULT_FIRST_BATCH;
        if (cmd.get("cursor") instanceof Document c && c.get("batchSize") instanceof Number n) {
            batchSize = n.intValue();
        }
        List<Document> batch = read(cursor, batchSize, 0);
        if (!cursor.done()) {
            cursors.put(cursor.id(), cursor);
        }
        return reply(cursor, batch, "firstBatch");
    }

    /** @param maxTimeMS the getMore's {@code maxTimeMS} (how long to wait for a first event; the driver's maxAwaitTimeMS), 0 if none */
    public Document getMore(Document cmd, long maxTimeMS) {
        long id = ((Number) cmd.get("getMore")).longValue();
        StreamCursor cursor = cursors.get(id);
        if (cursor == null) {
            throw new ServerError(43, "CursorNotFound", "cursor id " + id + " not found");
        }
        int batchSize = cmd.get("batchSize") instanceof Number n && n.intValue() > 0 ? n.intValue() : Integer.MAX_VALUE;
        long await = maxTimeMS > 0 ? maxTimeMS : DEFAULT_AWAIT_MS;
        List<Document> batch = read(cursor, batchSize, await);
        if (cursor.done()) {
            cursors.remove(id);
        }
        return reply(cursor, batch, "nextBatch");
    }

    /** Closes the stream cursors among {@code ids}; returns the ids it did not own. */
    public List<Object> kill(List<?> ids, List<Object> killed) {
        List<Object> others = new ArrayList<>();
        for (Object o : ids) {
            if (o instanceof Number n && cursors.remove(n.longValue()) != null) {
                killed.add(o);
            } else {
                others.add(o);
            }
        }
        return others;
    }

    private List<Document> read(StreamCursor cursor, int batchSize, long await) {
        try {
            return cursor.next(batchSize, await);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cursors.remove(cursor.id());
            throw new ServerError(11601, "Interrupted", "interrupted");
        } catch (RuntimeException e) {
            cursors.remove(cursor.id());
            throw e;
        }
    }

    private Document reply(StreamCursor cursor, List<Document> batch, String name) {
        Scope scope = cursor.spec().scope();
        String ns = scope.isCollection() ? scope.ns() : (scope.isCluster() ? "admin" : scope.db()) + ".$cmd.aggregate";
        Document c = new Document(name, batch).append("postBatchResumeToken", cursor.postBatchResumeToken().toDocument())
                .append("id", cursor.done() ? 0L : cursor.id()).append("ns", ns);
        return new Document("cursor", c).append("ok", 1.0);
    }

    private Document lookup(String ns, Object id) {
        var coll = namespaces.existing(ns);
        if (coll == null) {
            return null;
        }
        for (Document d : coll.handleQuery(new Document("_id", id))) {
            return d;
        }
        return null;
    }

    private void expire() {
        cursors.values().removeIf(c -> c.idleMillis() > IDLE_TIMEOUT_MS);
    }

    /** How many streams are open. */
    public int count() {
        return cursors.size();
    }
}
