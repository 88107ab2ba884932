package dev.rewind.mongo;

import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.changestream.FullDocument;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.RawBsonDocument;

/**
 * One open change stream: deployment-wide, one database, or one collection. Events come back raw,
 * exactly as the server sent them; the caller normalizes them. Every cursor has a batch size.
 */
public final class ChangeStream implements AutoCloseable {
    static final int BATCH_SIZE = 1000;

    private final Namespace scope;
    private final FullDocument fullDocument;
    private final MongoChangeStreamCursor<RawBsonDocument> cursor;

    private ChangeStream(Namespace scope, FullDocument fullDocument, MongoChangeStreamCursor<RawBsonDocument> cursor) {
        this.scope = scope;
        this.fullDocument = fullDocument;
        this.cursor = cursor;
    }

    /**
     * Opens a stream over {@code scope} (null = the whole deployment, a database, or a collection)
     * starting at cluster time {@code startAt} inclusive (null = now).
     */
    @SuppressWarnings("unchecked")
    public static ChangeStream open(MongoClient client, ServerProbe probe, Namespace scope, ClusterTime startAt) {
        ChangeStreamIterable<org.bson.Document> it;
        // events over 16 MB come in fragments where the server can split them (reassembled by the reader)
        List<org.bson.Document> pipeline = probe.splitsLargeEvents()
                ? List.of(new org.bson.Document("$changeStreamSplitLargeEvent", new org.bson.Document())) : List.of();
        if (scope == null) {
            it = client.watch(pipeline);
        } else if (scope.isDatabase()) {
            it = client.getDatabase(scope.db()).watch(pipeline);
        } else {
            it = client.getDatabase(scope.db()).getCollection(scope.coll()).watch(pipeline);
        }
        // Post- and pre-images where a collection records them (6.0+); elsewhere updates carry their
        // updateDescription, which Rewind applies to the state before. An updateLookup document (the
        // document at some later time) is asked for only where no image can exist (before 6.0).
        FullDocument full = probe.postImages() ? FullDocument.WHEN_AVAILABLE : FullDocument.UPDATE_LOOKUP;
        it = it.fullDocument(full).batchSize(BATCH_SIZE).maxAwaitTime(200, TimeUnit.MILLISECONDS);
        if (probe.postImages()) {
            it = it.fullDocumentBeforeChange(com.mongodb.client.model.changestream.FullDocumentBeforeChange.WHEN_AVAILABLE);
        }
        if (probe.expandedEvents()) {
            it = it.showExpandedEvents(true);
        }
        if (startAt != null) {
            it = it.startAtOperationTime(startAt.toBson());
        }
        MongoChangeStreamCursor<RawBsonDocument> cursor =
                (MongoChangeStreamCursor<RawBsonDocument>) it.withDocumentClass(RawBsonDocument.class).cursor();
        return new ChangeStream(scope, full, cursor);
    }

    /** The next event if one is available now, else null (waits at most the await time). */
    public RawBsonDocument tryNext() {
        return cursor.tryNext();
    }

    /** How many events of the current batch are still to be read without asking the server. */
    public int available() {
        return cursor.available();
    }

    /** The batch size the stream asks for; a batch of fewer events means the server read to the end of its oplog. */
    public static int batchSize() {
        return BATCH_SIZE;
    }

    /** The stream's resume token: the last event's, or the server's post-batch token when idle. */
    public BsonDocument resumeToken() {
        return cursor.getResumeToken();
    }

    public Namespace scope() {
        return scope;
    }

    public FullDocument fullDocument() {
        return fullDocument;
    }

    /** The scope as a key for positions: "" for the deployment, "db" or "db.coll". */
    public String key() {
        return scope == null ? "" : scope.toString();
    }

    @Override
    public void close() {
        try {
            cursor.close();
        } catch (RuntimeException ignored) {
            // the server may be gone; nothing to release then
        }
    }

    /**
     * The cluster time a resume token encodes, or null. MongoDB's tokens ({@code _data}) are a
     * KeyString that starts with type byte 0x82 and the 8-byte timestamp (a bare 8-byte timestamp
     * is read too).
     */
    public static ClusterTime tokenTime(BsonDocument token) {
        if (token == null || !(token.get("_data") instanceof BsonString data)) {
            return null;
        }
        String hex = data.getValue();
        try {
            if (hex.length() >= 18 && hex.regionMatches(true, 0, "82", 0, 2)) {
                return time(hex.substring(2, 18));
            }
            if (hex.length() == 16) {
                return time(hex);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static ClusterTime time(String sixteenHex) {
        return ClusterTime.of(Long.parseLong(sixteenHex.substring(0, 8), 16), Long.parseLong(sixteenHex.substring(8), 16));
    }

}
