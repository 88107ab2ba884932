package dev.rewind.sandbox.clients;

import static org.assertj.core.api.Assertions.fail;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.Document;

/**
 * What the server produced, read with the Java driver from a deployment-wide change stream
 * ({@code client.watch()}, i.e. {@code allChangesForCluster} on {@code admin}). To know that every
 * event up to a point has been read, the test writes a marker document in a database of its own
 * and reads until the marker's insert: a change stream delivers events in oplog order, so whatever
 * the client wrote before is delivered before it.
 */
final class ChangeEvents implements AutoCloseable {
    static final String MARKER_DB = "clients_test_marker";
    private static final long WAIT_SECONDS = 120;

    private final MongoClient client;
    private final MongoCursor<BsonDocument> cursor;

    ChangeEvents(MongoClient client) {
        this.client = client;
        this.cursor = client.watch().batchSize(1000).maxAwaitTime(50, TimeUnit.MILLISECONDS)
                .withDocumentClass(BsonDocument.class).cursor();
    }

    /** Every event since the last call (or since the stream opened), up to a marker written now; marker events left out. */
    List<BsonDocument> upToNow() {
        String marker = UUID.randomUUID().toString();
        client.getDatabase(MARKER_DB).getCollection("marker").insertOne(new Document("_id", marker));
        List<BsonDocument> events = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < end) {
            BsonDocument e = cursor.tryNext();
            if (e == null) {
                continue;
            }
            BsonDocument ns = e.getDocument("ns", new BsonDocument());
            if (ns.getString("db", new BsonString("")).getValue().equals(MARKER_DB)) {
                if (e.getDocument("documentKey", new BsonDocument()).get("_id", new BsonString("")).equals(new BsonString(marker))) {
                    return events;
                }
                continue;
            }
            events.add(e);
        }
        fail("the marker's insert event did not arrive within " + WAIT_SECONDS + " s; events so far: " + events);
        return events;
    }

    /** Events of one collection. */
    static List<BsonDocument> of(List<BsonDocument> events, String db, String coll) {
        return events.stream().filter(e -> {
            BsonDocument ns = e.getDocument("ns", new BsonDocument());
            return ns.getString("db", new BsonString("")).getValue().equals(db)
                    && ns.getString("coll", new BsonString("")).getValue().equals(coll);
        }).toList();
    }

    static List<String> types(List<BsonDocument> events) {
        return events.stream().map(e -> e.getString("operationType").getValue()).toList();
    }

    static BsonTimestamp clusterTime(BsonDocument event) {
        return event.getTimestamp("clusterTime");
    }

    /** The event's {@code lsid.id} in hex, failing clearly when the event has no lsid. */
    static String lsid(BsonDocument event) {
        if (!event.containsKey("lsid")) {
            fail("the event has no lsid: " + event.toJson());
        }
        return java.util.HexFormat.of().formatHex(event.getDocument("lsid").getBinary("id").getData());
    }

    /** The event's {@code txnNumber}, failing clearly unless it is there as a NumberLong. */
    static long txnNumber(BsonDocument event) {
        if (!event.containsKey("txnNumber") || !event.get("txnNumber").isInt64()) {
            fail("the event has no NumberLong txnNumber: " + event.toJson());
        }
        return event.getInt64("txnNumber").longValue();
    }

    static String token(BsonDocument event) {
        return event.getDocument("_id").getString("_data").getValue();
    }

    /** Runs of consecutive events with one cluster time, in stream order: their sizes. */
    static List<Integer> clusterTimeRuns(List<BsonDocument> events) {
        Map<Integer, Integer> runs = new LinkedHashMap<>();
        BsonTimestamp previous = null;
        int run = -1;
        for (BsonDocument e : events) {
            BsonTimestamp t = clusterTime(e);
            if (!t.equals(previous)) {
                run++;
                previous = t;
            }
            runs.merge(run, 1, Integer::sum);
        }
        return new ArrayList<>(runs.values());
    }

    @Override
    public void close() {
        cursor.close();
    }
}
