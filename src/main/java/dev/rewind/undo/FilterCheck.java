package dev.rewind.undo;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The {@code --filter} of undo: field equality, with dotted paths into sub-documents, e.g.
 * {@code {"plan": "premium", "address.city": "Lyon"}}. Operators are not supported (yet).
 */
public final class FilterCheck {
    private FilterCheck() { }

    public static void check(BsonDocument filter) {
        for (String k : filter.keySet()) {
            if (k.startsWith("$")) {
                throw dev.rewind.RewindException.usage("--filter supports field equality only, not " + k,
                        "write {\"field\": value, \"nested.field\": value}");
            }
        }
    }

    static boolean matches(BsonDocument filter, BsonDocument doc) {
        if (doc == null) {
            return false;
        }
        for (String path : filter.keySet()) {
            BsonValue v = doc;
            for (String step : path.split("\\.")) {
                v = v != null && v.isDocument() ? v.asDocument().get(step) : null;
            }
            if (v == null || !v.equals(filter.get(path))) {
                return false;
            }
        }
        return true;
    }
}
