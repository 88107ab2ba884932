package dev.rewind.sandbox;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * Wraps the embedded server's backend so that cursors behave like mongod's: a {@code find} or
 * {@code aggregate} without a batch size returns a first batch of at most 101 documents, and a
 * {@code getMore} without one returns at most {@value #GET_MORE_DEFAULT} documents (mongod caps
 * batches at 16 MiB; the embedded server would otherwise return everything at once).
 */
final class FirstBatchLimits implements MongoBackend {
    static final int FIRST_BATCH_DEFAULT = 101;
    static final int GET_MORE_DEFAULT = 1000;

    private final MongoBackend backend;

    FirstBatchLimits(MongoBackend backend) {
        this.backend = backend;
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        limit(command, query);
        return backend.handleCommand(channel, database, command, query);
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document body = message.getDocument();
        if (!body.isEmpty()) {
            limit(body.keySet().iterator().next(), body);
        }
        return backend.handleMessage(message);
    }

    private static void limit(String command, Document query) {
        switch (command) {
            case "find" -> query.putIfAbsent("batchSize", FIRST_BATCH_DEFAULT);
            case "aggregate" -> {
                Object cursor = query.get("cursor");
                if (cursor instanceof Document c) {
                    c.putIfAbsent("batchSize", FIRST_BATCH_DEFAULT);
                }
            }
            case "getMore" -> query.putIfAbsent("batchSize", GET_MORE_DEFAULT);
            default -> { }
        }
    }

    @Override public void handleClose(Channel channel) { backend.handleClose(channel); }
    @Override public QueryResult handleQuery(MongoQuery query) { return backend.handleQuery(query); }
    @Override public void dropDatabase(String database) { backend.dropDatabase(database); }
    @Override public Collection<Document> getCurrentOperations(MongoQuery query) { return backend.getCurrentOperations(query); }
    @Override public Document getServerStatus() { return backend.getServerStatus(); }
    @Override public void close() { backend.close(); }
    @Override public void closeCursors(List<Long> cursorIds) { backend.closeCursors(cursorIds); }
    @Override public Clock getClock() { return backend.getClock(); }
    @Override public void enableOplog() { backend.enableOplog(); }
    @Override public void disableOplog() { backend.disableOplog(); }
    @Override public MongoDatabase resolveDatabase(String database) { return backend.resolveDatabase(database); }
    @Override public MongoBackend version(MongoVersion version) { backend.version(version); return this; }
}
