package dev.rewind.capture;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import dev.rewind.NamespacePattern;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ChangeEvents;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import dev.rewind.mongo.Catalog;
import dev.rewind.mongo.ChangeStream;
import dev.rewind.mongo.OplogDrops;
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

    private static final int MAX_PER_STREAM = 5_000;

    private final MongoClient client;
    private final ServerProbe probe;
    private final List<NamespacePattern> patterns;
    private final Map<String, Watched> streams = new LinkedHashMap<>();
    private final OplogDrops drops;

    StreamSet(MongoClient client, ServerProbe probe, List<NamespacePattern> patterns) {
        this.client = client;
        this.probe = probe;
        this.patterns = patterns;
        this.drops = new OplogDrops(client);
    }

    /**
     * Opens what is missing (starting at {@code from}, inclusive), then reads every stream until it
     * has nothing more or gave a full share. {@code now} is the cluster time read just before.
     */
    Round read(ClusterTime from, ClusterTime now) {
        discover(from);
        List<ChangeEvent> events = new ArrayList<>();
        ClusterTime horizon = now;
        for (var it = streams.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Watched> entry = it.next();
            Watched w = entry.getValue();
            Drain d;
            try {
                d = drain(w, from, events);
            } catch (MongoException e) {
                if (!collectionGone(e, w)) {
                    throw e;
                }
                // The sandbox fails a stream whose collection was dropped before it delivered the
                // drop; a new stream from the last position delivers the rest, the drop included.
                w.stream.close();
                w.stream = ChangeStream.open(client, probe, w.stream.scope(), w.position == null ? from : w.position);
                d = drain(w, from, events);
            }
            ClusterTime streamHorizon;
            if (!d.drained) {
                streamHorizon = before(d.last);
            } else if (probe.tokensAdvanceWhenIdle()) {
                ClusterTime token = ChangeStream.tokenTime(w.stream.resumeToken());
                streamHorizon = token == null ? from : before(token);
            } else {
                streamHorizon = now;
            }
            if (streamHorizon.isBefore(horizon)) {
                horizon = streamHorizon;
            }
            if (d.invalidated) {
                w.stream.close();
                it.remove();
            }
        }
        return new Round(events, horizon.isBefore(from) ? from : horizon);
    }

    private record Drain(boolean drained, boolean invalidated, ClusterTime last) { }

    private Drain drain(Watched w, ClusterTime from, List<ChangeEvent> events) {
        ClusterTime last = null;
        for (int n = 0; n < MAX_PER_STREAM; n++) {
            RawBsonDocument raw = w.stream.tryNext();
            if (raw == null) {
                return new Drain(true, false, last);
            }
            Namespace scope = w.stream.scope();
            ChangeEvent e = ChangeEvents.fromBson(raw, scope != null && !scope.isDatabase() ? scope : null,
                    w.stream.fullDocument());
            last = e.clusterTime();
            if (e.operation() == Operation.INVALIDATE) {
                return new Drain(true, true, last);
            }
            boolean seen = w.position != null && !e.clusterTime().isAfter(w.position);
            if (!seen) {
                w.position = e.clusterTime();
            }
            if (seen || !e.clusterTime().isAfter(from) || !wanted(e) || droppedElsewhere(e, scope)) {
                continue;
            }
            events.add(e);
        }
        return new Drain(false, false, last);
    }

    /** A drop without a namespace that the oplog says was of another collection (the sandbox's quirk). */
    private boolean droppedElsewhere(ChangeEvent e, Namespace scope) {
        if (e.operation() != Operation.DROP || !e.quirks().contains(dev.rewind.event.Quirk.NO_NAMESPACE) || scope == null) {
            return false;
        }
        String dropped = drops.dropped(e.clusterTime());
        return !dropped.isEmpty() && !dropped.equals(scope.toString());
    }

    private static boolean collectionGone(MongoException e, Watched w) {
        return w.stream.scope() != null && !w.stream.scope().isDatabase()
                && (e.getCode() == 26 || String.valueOf(e.getMessage()).contains("not found"));
    }

    /** An open stream and the cluster time of the last event it gave. */
    private static final class Watched {
        ChangeStream stream;
        ClusterTime position;

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
                    if (!Catalog.SYSTEM_DATABASES.contains(db) && !streams.containsKey(db) && wantsDatabase(db)) {
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
            return e.ns() == null || !Catalog.SYSTEM_DATABASES.contains(e.ns().db());
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
