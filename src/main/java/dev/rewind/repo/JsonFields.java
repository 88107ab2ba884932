package dev.rewind.repo;

import dev.rewind.event.ClusterTime;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.bson.Document;

/**
 * Typed reads of the fields of a repository file's JSON. Each throws {@link IllegalArgumentException}
 * naming the field when it is missing or of the wrong type; readers turn that into a CORRUPT error
 * naming the file, so that no content of a file ever ends a command with an internal error.
 */
final class JsonFields {
    private JsonFields() { }

    static String string(Document d, String key) {
        Object v = d.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("'" + key + "' is " + (v == null ? "missing" : "not a string"));
        }
        return s;
    }

    static String optionalString(Document d, String key) {
        return d.get(key) == null ? null : string(d, key);
    }

    static long count(Document d, String key) {
        Object v = d.get(key);
        if (!(v instanceof Integer || v instanceof Long)) {
            throw new IllegalArgumentException("'" + key + "' is " + (v == null ? "missing" : "not an integer"));
        }
        long n = ((Number) v).longValue();
        if (n < 0) {
            throw new IllegalArgumentException("'" + key + "' is negative");
        }
        return n;
    }

    static int smallCount(Object v, String what) {
        if (!(v instanceof Integer i) || i < 0) {
            throw new IllegalArgumentException(what + " is not a count");
        }
        return i;
    }

    static Instant instant(Document d, String key) {
        try {
            return Instant.parse(string(d, key));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + key + "' is not an ISO-8601 instant");
        }
    }

    static ClusterTime optionalClusterTime(Document d, String key) {
        String s = optionalString(d, key);
        return s == null ? null : clusterTime(s, key);
    }

    static ClusterTime clusterTime(String s, String key) {
        try {
            return ClusterTime.parse(s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + key + "' is not a cluster time");
        }
    }

    static Document document(Document d, String key) {
        Object v = d.get(key);
        if (!(v instanceof Document doc)) {
            throw new IllegalArgumentException("'" + key + "' is " + (v == null ? "missing" : "not a document"));
        }
        return doc;
    }

    static Document optionalDocument(Document d, String key) {
        return d.get(key) == null ? null : document(d, key);
    }

    static List<?> list(Document d, String key) {
        Object v = d.get(key);
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("'" + key + "' is " + (v == null ? "missing" : "not a list"));
        }
        return l;
    }

    static List<Document> documents(Document d, String key) {
        List<?> l = list(d, key);
        for (Object o : l) {
            if (!(o instanceof Document)) {
                throw new IllegalArgumentException("'" + key + "' holds something that is not a document");
            }
        }
        @SuppressWarnings("unchecked")
        List<Document> docs = (List<Document>) l;
        return docs;
    }
}
