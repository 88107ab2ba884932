package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;

/**
 * A running sandbox and a MongoDB Java driver client connected to it, with the helpers the
 * behaviour tests share: raw change stream cursors (events read exactly as the server sent them),
 * waiting for a number of events, running commands and catching their errors.
 */
final class Server implements AutoCloseable {
    /** How long a stream's getMore waits on the server (the driver's maxAwaitTimeMS) in these tests. */
    static final long AWAIT_MS = 100;
    /** How long a test waits for an event it expects before failing. */
    static final long EVENT_WAIT_MS = 10_000;

    final Sandbox sandbox;
    final MongoClient client;

    private Server(Sandbox sandbox, String uri) {
        this.sandbox = sandbox;
        this.client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(10, TimeUnit.SECONDS)).build());
    }

    static Server start(MongoRelease release) {
        return start(SandboxOptions.defaults().release(release));
    }

    static Server start(SandboxOptions options) {
        Sandbox sandbox = Sandbox.start(options);
        return new Server(sandbox, sandbox.uri());
    }

    /** A client that names the replica set, as users connect to one ({@code ?replicaSet=rs0}). */
    static Server startNamingTheSet(SandboxOptions options) {
        Sandbox sandbox = Sandbox.start(options);
        return new Server(sandbox, sandbox.uri() + "?replicaSet=" + options.replSetName());
    }

    static Server on(Sandbox sandbox) {
        return new Server(sandbox, sandbox.uri());
    }

    MongoDatabase db(String name) {
        return client.getDatabase(name);
    }

    MongoCollection<Document> coll(String db, String name) {
        return client.getDatabase(db).getCollection(name);
    }

    /** Runs a command (extended JSON) and returns the reply. */
    Document run(String db, String command) {
        return client.getDatabase(db).runCommand(Document.parse(command));
    }

    BsonDocument runRaw(String db, BsonDocument command) {
        return client.getDatabase(db).runCommand(command, BsonDocument.class);
    }

    /** A collection's UUID, as listCollections gives it. */
    org.bson.BsonBinary uuid(String db, String coll) {
        return runRaw(db, BsonDocument.parse("{listCollections: 1, filter: {name: '" + coll + "'}}"))
                .getDocument("cursor").getArray("firstBatch").get(0).asDocument().getDocument("info").getBinary("uuid");
    }

    /** Runs a command that must fail, and returns the error. */
    MongoCommandException fails(String db, String command) {
        MongoCommandException e = catchThrowableOfType(MongoCommandException.class, () -> run(db, command));
        assertThat(e).as("the command %s must fail", command).isNotNull();
        return e;
    }

    /** The current cluster time, from a reply's operationTime. */
    BsonTimestamp operationTime() {
        BsonDocument reply = runRaw("admin", new BsonDocument("ping", new org.bson.BsonInt32(1)));
        return reply.getTimestamp("operationTime");
    }

    /** A change stream cursor over raw events (the driver does not decode them), polling every {@link #AWAIT_MS}. */
    @SuppressWarnings("unchecked")
    static MongoChangeStreamCursor<RawBsonDocument> open(ChangeStreamIterable<?> watch) {
        return (MongoChangeStreamCursor<RawBsonDocument>) (Object) watch.maxAwaitTime(AWAIT_MS, TimeUnit.MILLISECONDS)
                .withDocumentClass(RawBsonDocument.class).cursor();
    }

    /** The next event, waiting for it up to {@link #EVENT_WAIT_MS}. */
    static RawBsonDocument next(MongoChangeStreamCursor<RawBsonDocument> cursor) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EVENT_WAIT_MS);
        while (System.nanoTime() < end) {
            RawBsonDocument event = cursor.tryNext();
            if (event != null) {
                return event;
            }
        }
        throw new AssertionError("no change event within " + EVENT_WAIT_MS + " ms");
    }

    /** The next {@code n} events. */
    static List<RawBsonDocument> next(MongoChangeStreamCursor<RawBsonDocument> cursor, int n) {
        List<RawBsonDocument> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next(cursor));
        }
        return out;
    }

    /** The events before the first one matching {@code marker} (which is read and dropped). */
    static List<RawBsonDocument> until(MongoChangeStreamCursor<RawBsonDocument> cursor, Predicate<BsonDocument> marker) {
        List<RawBsonDocument> out = new ArrayList<>();
        while (true) {
            RawBsonDocument e = next(cursor);
            if (marker.test(e)) {
                return out;
            }
            out.add(e);
        }
    }

    /** Matches the insert event of a document {@code {_id: id}}. */
    static Predicate<BsonDocument> insertOf(Object id) {
        BsonValue key = new Document("_id", id).toBsonDocument().get("_id");
        return e -> e.getString("operationType").getValue().equals("insert")
                && e.getDocument("documentKey").get("_id").equals(key);
    }

    static String type(BsonDocument event) {
        return event.getString("operationType").getValue();
    }

    static List<String> types(List<? extends BsonDocument> events) {
        return events.stream().map(Server::type).toList();
    }

    static String token(BsonDocument event) {
        return event.getDocument("_id").getString("_data").getValue();
    }

    static BsonTimestamp clusterTime(BsonDocument event) {
        return event.getTimestamp("clusterTime");
    }

    @Override
    public void close() {
        client.close();
        sandbox.close();
    }
}
