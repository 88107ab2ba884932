package dev.rewind.detect;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import org.bson.BsonDocument;
import org.bson.BsonInt64;

/** Synthetic change events for the detector: one document operation at a cluster time. */
final class Events {
    private Events() { }

    static ChangeEvent event(Operation op, String ns, long id, long seconds, int increment) {
        BsonDocument key = id < 0 ? null : new BsonDocument("_id", new BsonInt64(id));
        return new ChangeEvent(op, null, new ClusterTime(seconds, increment), null, Namespace.parse(ns), null, key,
                null, null, null, false, null, null, null, null, null);
    }

    static ChangeEvent delete(String ns, long id, long seconds, int increment) {
        return event(Operation.DELETE, ns, id, seconds, increment);
    }
}
