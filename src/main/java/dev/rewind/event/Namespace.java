package dev.rewind.event;

import java.util.Objects;

/**
 * A database and, for a collection, a collection name. {@code coll} is null for a whole
 * database (the namespace of a {@code dropDatabase} event). Database names cannot contain a
 * dot, collection names can; so {@code db.coll} splits at the first dot.
 */
public record Namespace(String db, String coll) {
    public Namespace {
        Objects.requireNonNull(db, "db");
        if (db.isEmpty() || db.contains(".")) {
            throw new IllegalArgumentException("not a database name: '" + db + "'");
        }
        if (coll != null && coll.isEmpty()) {
            throw new IllegalArgumentException("empty collection name in database " + db);
        }
    }

    public static Namespace of(String db, String coll) {
        return new Namespace(db, coll);
    }

    public static Namespace database(String db) {
        return new Namespace(db, null);
    }

    /** Parses {@code db} or {@code db.coll} (the collection name may itself contain dots). */
    public static Namespace parse(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? database(text) : new Namespace(text.substring(0, dot), text.substring(dot + 1));
    }

    public boolean isDatabase() {
        return coll == null;
    }

    /** The temporary collection of an aggregation's {@code $out}: {@code tmp.agg_out.<UUID>} (manual, "$out"). */
    public boolean isOutTemporary() {
        return coll != null && coll.startsWith("tmp.agg_out.");
    }

    /**
     * A temporary collection mongod fills and then renames into place: an {@code $out}'s, or the
     * {@code tmp<5 characters>.renameCollection} a rename across databases copies into
     * (jstests/change_streams/cross_db_rename_no_staging_events.js).
     */
    public boolean isServerTemporary() {
        return isOutTemporary() || (coll != null && coll.matches("tmp[a-zA-Z0-9]{5}\\.renameCollection"));
    }

    /** True when this namespace is {@code other} or, for a database, contains it. */
    public boolean covers(Namespace other) {
        return db.equals(other.db) && (coll == null || coll.equals(other.coll));
    }

    @Override
    public String toString() {
        return coll == null ? db : db + "." + coll;
    }
}
