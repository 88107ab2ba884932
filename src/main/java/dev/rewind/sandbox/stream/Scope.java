package dev.rewind.sandbox.stream;

import dev.rewind.sandbox.oplog.Op;

/**
 * What a change stream watches: one collection, one database ({@code aggregate: 1}), or the whole
 * deployment ({@code allChangesForCluster} on {@code admin}). Whole-database and deployment streams
 * leave out {@code system.*} collections; the deployment stream leaves out {@code admin},
 * {@code config} and {@code local} (src/mongo/db/pipeline/document_source_change_stream.cpp,
 * getNsRegexForChangeStream).
 *
 * @param db the database, or null for the deployment
 * @param collection the collection, or null for a database or the deployment
 */
public record Scope(String db, String collection) {
    public static Scope cluster() {
        return new Scope(null, null);
    }

    public boolean isCollection() {
        return collection != null;
    }

    public boolean isCluster() {
        return db == null;
    }

    public String ns() {
        return collection == null ? db : db + "." + collection;
    }

    /** Whether the stream shows this change (before event-type filtering). */
    public boolean sees(Op op) {
        if (op.kind() == Op.Kind.DROP_DATABASE) {
            // a collection stream is invalidated by it without seeing it
            return isCluster() ? !internalDb(op.db()) : collection == null && db.equals(op.db());
        }
        String coll = op.collection();
        if (coll == null || coll.startsWith("system.")) {
            return false;
        }
        if (isCluster()) {
            return !internalDb(op.db());
        }
        if (collection == null) {
            return db.equals(op.db());
        }
        if (op.ns().equals(ns())) {
            return true;
        }
        // a rename onto the watched collection replaces it: the stream sees it, then is invalidated
        return op.kind() == Op.Kind.RENAME && ns().equals(op.to());
    }

    /** Whether this change ends the stream with an {@code invalidate} event. */
    public boolean invalidatedBy(Op op) {
        if (isCluster()) {
            return false;
        }
        if (collection == null) {
            return op.kind() == Op.Kind.DROP_DATABASE && db.equals(op.db());
        }
        return switch (op.kind()) {
            case DROP -> op.ns().equals(ns());
            case RENAME -> op.ns().equals(ns()) || ns().equals(op.to());
            case DROP_DATABASE -> db.equals(op.db());
            default -> false;
        };
    }

    static boolean internalDb(String db) {
        return db.equals("admin") || db.equals("config") || db.equals("local");
    }
}
