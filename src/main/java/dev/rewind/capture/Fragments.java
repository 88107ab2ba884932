package dev.rewind.capture;

import dev.rewind.event.ClusterTime;
import dev.rewind.event.MalformedEventException;
import dev.rewind.mongo.ChangeStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Puts back together a change event the server split because it is over 16 MB (MongoDB manual,
 * "$changeStreamSplitLargeEvent"): fragments {@code splitEvent: {fragment: 1..of, of}} come one
 * after the other, each with a share of the event's top-level fields and its own resume token.
 * The whole event gets every field and the last fragment's token, so that resuming after it
 * resumes after the whole event.
 */
final class Fragments {
    private final List<BsonDocument> parts = new ArrayList<>();

    /** The event when {@code raw} completes one (or is not a fragment); null while fragments are missing. */
    BsonDocument accept(BsonDocument raw) {
        BsonValue split = raw.get("splitEvent");
        if (split == null) {
            if (!parts.isEmpty()) {
                throw new MalformedEventException("an event came before the last " + (expected() - parts.size())
                        + " fragments of a split event");
            }
            return raw;
        }
        if (!split.isDocument() || !split.asDocument().isNumber("fragment") || !split.asDocument().isNumber("of")) {
            throw new MalformedEventException("splitEvent without fragment and of: " + split);
        }
        int fragment = split.asDocument().getNumber("fragment").intValue();
        int of = split.asDocument().getNumber("of").intValue();
        if (fragment != parts.size() + 1 || (!parts.isEmpty() && of != expected())) {
            throw new MalformedEventException("fragment " + fragment + " of " + of + " after " + parts.size() + " fragments");
        }
        parts.add(raw);
        if (fragment < of) {
            return null;
        }
        BsonDocument whole = new BsonDocument("_id", raw.get("_id"));
        for (BsonDocument part : parts) {
            for (Map.Entry<String, BsonValue> e : part.entrySet()) {
                if (!e.getKey().equals("_id") && !e.getKey().equals("splitEvent")) {
                    whole.put(e.getKey(), e.getValue());
                }
            }
        }
        parts.clear();
        return whole;
    }

    /** Whether fragments are waiting for the rest of their event. */
    boolean waiting() {
        return !parts.isEmpty();
    }

    /** The cluster time of the event whose fragments are waiting (from the first fragment's token); null if none. */
    ClusterTime waitingAt() {
        return parts.isEmpty() ? null : ChangeStream.tokenTime(parts.get(0).getDocument("_id", null));
    }

    private int expected() {
        return parts.get(0).getDocument("splitEvent").getNumber("of").intValue();
    }
}
