package dev.rewind.check;

import dev.rewind.RewindException;

/**
 * A collection's full name, {@code db.collection}. A database name cannot contain a dot, so the
 * first dot separates the two; a collection name may contain dots ({@code famigo.audit.2024}).
 */
public record Namespace(String db, String collection) {

    public Namespace {
        if (db == null || db.isEmpty() || collection == null || collection.isEmpty()) {
            throw new IllegalArgumentException("a namespace needs a database and a collection");
        }
    }

    /**
     * Parses {@code db.collection}; a bare {@code collection} (no dot) is taken to be in
     * {@code defaultDb} when one is given.
     */
    public static Namespace parse(String text, String defaultDb) {
        String s = text == null ? "" : text.trim();
        int dot = s.indexOf('.');
        if (dot < 0 && defaultDb != null && !s.isEmpty()) {
            return new Namespace(defaultDb, s);
        }
        if (dot <= 0 || dot == s.length() - 1) {
            throw RewindException.usage("not a namespace: '" + text + "'",
                    "write a namespace as DB.COLLECTION, for example famigo.family");
        }
        return new Namespace(s.substring(0, dot), s.substring(dot + 1));
    }

    @Override
    public String toString() {
        return db + "." + collection;
    }
}
