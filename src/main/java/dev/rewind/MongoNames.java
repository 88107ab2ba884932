package dev.rewind;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * MongoDB's naming rules (MongoDB manual, "Naming Restrictions"): a database name is not empty, has
 * fewer than 64 bytes and none of {@code / \ . " $ * < > : | ?}, a space or a null character; a
 * collection name is not empty and has no {@code $} or null character; {@code db.collection} has at
 * most 255 bytes. The databases {@code admin}, {@code local} and {@code config} and the
 * {@code system.*} collections belong to the server.
 */
public final class MongoNames {
    public static final Set<String> SYSTEM_DATABASES = Set.of("admin", "local", "config");
    private static final String DB_FORBIDDEN = "/\\. \"$*<>:|?\u0000";
    static final int MAX_NAMESPACE_BYTES = 255;

    private MongoNames() { }

    /** Why {@code db} cannot name a database, or null when it can. */
    public static String databaseProblem(String db) {
        if (db == null || db.isEmpty()) {
            return "a database name cannot be empty";
        }
        for (char c : DB_FORBIDDEN.toCharArray()) {
            if (db.indexOf(c) >= 0) {
                return "a database name cannot contain " + (c == 0 ? "a null character" : c == ' ' ? "a space" : "'" + c + "'");
            }
        }
        if (db.getBytes(StandardCharsets.UTF_8).length >= 64) {
            return "a database name has fewer than 64 bytes";
        }
        return null;
    }

    /** Why {@code coll} cannot name a collection, or null when it can. */
    public static String collectionProblem(String coll) {
        if (coll == null || coll.isEmpty()) {
            return "a collection name cannot be empty";
        }
        if (coll.indexOf('$') >= 0) {
            return "a collection name cannot contain '$'";
        }
        if (coll.indexOf('\u0000') >= 0) {
            return "a collection name cannot contain a null character";
        }
        return null;
    }

    /** Why {@code db.coll} cannot name a collection, or null when it can (length included). */
    public static String namespaceProblem(String db, String coll) {
        String p = databaseProblem(db);
        if (p == null) {
            p = collectionProblem(coll);
        }
        if (p == null && (db + "." + coll).getBytes(StandardCharsets.UTF_8).length > MAX_NAMESPACE_BYTES) {
            p = "a namespace (database.collection) has at most " + MAX_NAMESPACE_BYTES + " bytes";
        }
        return p;
    }

    /** Whether a database or collection belongs to the server: admin, local, config, or system.*. */
    public static boolean isSystem(String db, String coll) {
        return SYSTEM_DATABASES.contains(db) || (coll != null && coll.startsWith("system."));
    }
}
