package dev.rewind.capture;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import dev.rewind.MongoNames;
import dev.rewind.NamespacePattern;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ChangeEvents;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import dev.rewind.mongo.Catalog;
import dev.rewind.mongo.ChangeStream;
import dev.rewind.mongo.ServerProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.RawBsonDocument;

/**
 * The change streams capture reads, in the mode the probe chose: one deployment-wide stream, one
 * per database, or one per collection. In the per-database and per-collection modes every round
 * first lists what exists and opens streams for what is new, starting at the covered position,
 * so nothing written to a new collection is missed.
 */
final class StreamSet implements AutoCloseable {
    /** One round's reading: the events, and the position up to which every event has been read. */
    record Round(List<ChangeEvent> events, ClusterTime horizon) { }


    private final MongoClient client;
    private final ServerProbe probe;
    private final List<NamespacePattern> patterns;
    private final Map<String, Watched> streams = new LinkedHashMap<>();

    StreamSet(MongoClient client, ServerProbe probe, List<NamespacePattern> patterns) {
        this.client = client;
        this.probe = probe;
        this.patterns = patterns;
    }

    /**
     * Opens what is missing (starting just after {@code from}), then reads one batch of every stream.
     * {@code now} is the cluster time read just before (the horizon of a server whose streams give
     * no post-batch resume token).
     *
     * <p>Every event a stream gives is kept: a change stream never repeats an event, and events
     * share a cluster time whenever one oplog entry (a transaction, a batched delete, an 8.0 insert
     * batch) holds several. The horizon — the position up to which every event has been read — is
     * the stream's post-batch resume token after a batch the server ended because it had read to
     * the end of its oplog (an empty one, or one short of the batch size and of 16 MB: MongoDB's
     * docs/change_streams.md, "a response is returned when batchSize events have been accumulated
     * ... or it reached the end of the oplog"); after a full batch it is just before the last
     * event's cluster time, since more events of that time may follow.
     */
    Round read(ClusterTime from, ClusterTime now) {
        discover(from);
        List<ChangeEvent> events = new ArrayList<>();
        ClusterTime horizon = now;
        for (var it = streams.entrySet().iterator(); it.hasNext(); ) {
            Watched w = it.next().getValue();
            Batch b = readBatch(w, from, events);
            ClusterTime streamHorizon;
            if (w.fragments.waiting()) {
                streamHorizon = before(w.fragments.waitingAt());  // the rest of a split event is still to come
            } else if (b.full) {
                streamHorizon = before(b.last);
            } else if (probe.tokensAdvanceWhenIdle()) {
                ClusterTime token = ChangeStream.tokenTime(w.stream.resumeToken());
                streamHorizon = token == null ? from : token;
            } else {
                streamHorizon = now;
            }
            if (streamHorizon.isBefore(horizon)) {
                horizon = streamHorizon;
            }
            if (b.invalidated) {
                w.stream.close();
                it.remove();
            }
        }
        return new Round(events, horizon.isBefore(from) ? from : horizon);
    }

    /** One batch of a stream: whether the server cut it short of its oplog's end (full), ended the stream, and its last time. */
    private record Batch(boolean full, boolean invalidated, ClusterTime last) { }

    /** A batch this close to 16 MB may have been cut by the reply size limit rather than by the oplog's end. */
    private static final long NEAR_REPLY_LIMIT = 15L << 20;

    private Batch readBatch(Watched w, ClusterTime from, List<ChangeEvent> events) {
        RawBsonDocument raw = w.stream.tryNext();   // asks the server for a batch when the last one is used up
        if (raw == null) {
            return new Batch(false, false, null);
        }
        int size = 1 + w.stream.available();
        long bytes = 0;
        ClusterTime last = null;
        for (int n = 0; n < size; n++) {
            if (n > 0) {
                raw = w.stream.tryNext();
            }
            bytes += raw.getByteBuffer().remaining();
            BsonDocument whole = w.fragments.accept(raw);
            if (whole == null) {
                continue;
            }
            Namespace scope = w.stream.scope();
            ChangeEvent e = ChangeEvents.fromBson(whole, scope != null && !scope.isDatabase() ? scope : null,
                    w.stream.fullDocument());
            last = e.clusterTime();
            if (e.operation() == Operation.INVALIDATE) {
                return new Batch(false, true, last);
            }
            if (e.clusterTime().isAfter(from) && wanted(e)) {
                events.add(e);
            }
        }
        boolean full = size >= ChangeStream.batchSize() || bytes >= NEAR_REPLY_LIMIT;
        return new Batch(full && last != null, false, last);
    }

    /** An open stream, and the fragments of a split event it is giving. */
    private static final class Watched {
        final ChangeStream stream;
        final Fragments fragments = new Fragments();

        Watched(ChangeStream stream) {
            this.stream = stream;
        }
    }

    /** Resume tokens of the open streams, by key, for the segment header. */
    BsonDocument positions() {
        BsonDocument out = new BsonDocument();
        streams.forEach((k, w) -> out.append(k.isEmpty() ? "*" : k,
                w.stream.resumeToken() == null ? BsonNull.VALUE : w.stream.resumeToken()));
        return out;
    }

    int size() {
        return streams.size();
    }

    private void discover(ClusterTime from) {
        switch (probe.mode()) {
            case DEPLOYMENT -> {
                if (streams.isEmpty()) {
                    streams.put("", new Watched(ChangeStream.open(client, probe, null, after(from))));
                }
            }
            case DATABASE -> {
                for (String db : client.listDatabaseNames()) {
                    if (!MongoNames.SYSTEM_DATABASES.contains(db) && !streams.containsKey(db) && wantsDatabase(db)) {
                        streams.put(db, new Watched(ChangeStream.open(client, probe, Namespace.database(db), after(from))));
                    }
                }
            }
            case COLLECTION -> {
                for (Catalog.Entry e : new Catalog(client).list(patterns)) {
                    if ("collection".equals(e.type()) && !streams.containsKey(e.ns())) {
                        streams.put(e.ns(), new Watched(ChangeStream.open(client, probe, Namespace.of(e.db(), e.name()), after(from))));
                    }
                }
            }
            default -> throw new IllegalStateException(probe.mode().toString());
        }
    }

    private boolean wantsDatabase(String db) {
        return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matches(db + ".x") || p.toString().startsWith(db + "."));
    }

    private boolean wanted(ChangeEvent e) {
        if (patterns.isEmpty() || e.ns() == null) {
            return e.ns() == null || !MongoNames.SYSTEM_DATABASES.contains(e.ns().db());
        }
        if (e.ns().isDatabase()) {
            return wantsDatabase(e.ns().db());
        }
        return NamespacePattern.anyMatches(patterns, e.ns().toString())
                || (e.to() != null && NamespacePattern.anyMatches(patterns, e.to().toString()));
    }

    /** The cluster time just after {@code t}: streams start there, the log already holds everything up to {@code t}. */
    static ClusterTime after(ClusterTime t) {
        return t.unsignedIncrement() == 0xFFFF_FFFFL ? ClusterTime.of(t.seconds() + 1, 0)
                : ClusterTime.of(t.seconds(), t.unsignedIncrement() + 1);
    }

    /** The cluster time just before {@code t}: every event strictly before it. */
    static ClusterTime before(ClusterTime t) {
        if (t.increment() != 0) {
            return ClusterTime.of(t.seconds(), t.unsignedIncrement() - 1);
        }
        return t.seconds() == 0 ? t : ClusterTime.of(t.seconds() - 1, 0xFFFF_FFFFL);
    }

    @Override
    public void close() {
        streams.values().forEach(w -> w.stream.close());
        streams.clear();
    }
}
