package dev.rewind.sandbox;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps the embedded server's backend so that it behaves more like mongod where Rewind cares:
 * <ul>
 * <li>Cursor batches: a {@code find} or {@code aggregate} without a batch size returns a first batch
 * of at most 101 documents, and a {@code getMore} without one returns at most {@value
 * #GET_MORE_DEFAULT} documents (mongod caps batches at 16 MiB; the embedded server would otherwise
 * return everything at once).
 * <li>Change events: update and replace events (and delete events asking for pre-images) are
 * rewritten into MongoDB's documented shape by {@link UpdateEventShaper}. The {@code fullDocument}
 * and {@code fullDocumentBeforeChange} options of each change stream are taken from its {@code
 * $changeStream} stage and remembered per cursor id for its {@code getMore}s.
 * </ul>
 */
final class MongodBehaviour implements MongoBackend {
    static final int FIRST_BATCH_DEFAULT = 101;
    static final int GET_MORE_DEFAULT = 1000;

    private final MongoBackend backend;
    private final ChangeImages images;
    private final UpdateEventShaper shaper;
    private final Map<Long, UpdateEventShaper.Options> changeStreams = new ConcurrentHashMap<>();

    MongodBehaviour(MongoBackend backend, ChangeImages images) {
        this.backend = backend;
        this.images = images;
        this.shaper = new UpdateEventShaper(images, backend);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        try {
            UpdateEventShaper.Options stream = before(command, query);
            return after(command, query, stream, backend.handleCommand(channel, database, command, query));
        } finally {
            images.discardPending();
        }
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        try {
            Document body = message.getDocument();
            String command = body.isEmpty() ? "" : body.keySet().iterator().next();
            UpdateEventShaper.Options stream = before(command, body);
            return after(command, body, stream, backend.handleMessage(message));
        } finally {
            images.discardPending();
        }
    }

    private static Double toDouble(Object ok) {
        return ok instanceof Number n ? n.doubleValue() : null;
    }

    /** Applies the batch defaults; for a change stream, takes its options out of the stage. */
    private static UpdateEventShaper.Options before(String command, Document query) {
        switch (command) {
            case "find" -> query.putIfAbsent("batchSize", FIRST_BATCH_DEFAULT);
            case "aggregate" -> {
                if (query.get("cursor") instanceof Document cursor) {
                    cursor.putIfAbsent("batchSize", FIRST_BATCH_DEFAULT);
                }
                if (query.get("pipeline") instanceof List<?> pipeline && !pipeline.isEmpty()
                        && pipeline.get(0) instanceof Document first
                        && first.get("$changeStream") instanceof Document stage) {
                    return UpdateEventShaper.Options.takeFrom(stage);
                }
            }
            case "getMore" -> query.putIfAbsent("batchSize", GET_MORE_DEFAULT);
            default -> { }
        }
        return null;
    }

    private Document after(String command, Document query, UpdateEventShaper.Options opened, Document response) {
        switch (command) {
            case "aggregate" -> {
                if (opened != null) {
                    reshape(0, response, "firstBatch", opened);
                }
            }
            case "getMore" -> {
                if (query.get("getMore") instanceof Number id) {
                    UpdateEventShaper.Options stream = changeStreams.get(id.longValue());
                    if (stream != null) {
                        reshape(id.longValue(), response, "nextBatch", stream);
                    }
                }
            }
            case "isMaster", "ismaster" -> {
                BsonTimestamp now = images.clusterTime();
                if (now != null && response != null && Double.valueOf(1.0).equals(toDouble(response.get("ok")))) {
                    // what a replica-set member adds to every reply; the capture clock reads it instead of sorting the oplog
                    response.put("operationTime", now);
                }
            }
            case "killCursors" -> {
                if (query.get("cursors") instanceof List<?> ids) {
                    ids.forEach(changeStreams::remove);
                }
            }
            default -> { }
        }
        return response;
    }

    private void reshape(long cursorId, Document response, String batchName, UpdateEventShaper.Options options) {
        if (!(response.get("cursor") instanceof Document cursor) || !(cursor.get(batchName) instanceof List<?> batch)) {
            return;
        }
        long id = cursor.get("id") instanceof Number n ? n.longValue() : 0;
        try {
            cursor.put(batchName, shaper.reshape(batch, options));
        } catch (RuntimeException e) {
            // mongod closes a change stream that fails; the backend's cursor has moved on anyway.
            long open = id != 0 ? id : cursorId;
            if (open != 0) {
                closeCursors(List.of(open));
            }
            throw e;
        }
        if (id == 0) {
            changeStreams.remove(cursorId);
        } else {
            changeStreams.put(id, options);
        }
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        cursorIds.forEach(changeStreams::remove);
        backend.closeCursors(cursorIds);
    }

    @Override public void handleClose(Channel channel) { backend.handleClose(channel); }
    @Override public QueryResult handleQuery(MongoQuery query) { return backend.handleQuery(query); }
    @Override public void dropDatabase(String database) { backend.dropDatabase(database); }
    @Override public Collection<Document> getCurrentOperations(MongoQuery query) { return backend.getCurrentOperations(query); }
    @Override public Document getServerStatus() { return backend.getServerStatus(); }
    @Override public void close() { backend.close(); }
    @Override public Clock getClock() { return backend.getClock(); }
    @Override public void enableOplog() { backend.enableOplog(); }
    @Override public void disableOplog() { backend.disableOplog(); }
    @Override public MongoDatabase resolveDatabase(String database) { return backend.resolveDatabase(database); }
    @Override public MongoBackend version(MongoVersion version) { backend.version(version); return this; }
}
