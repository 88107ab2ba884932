package dev.rewind.sandbox.ops;

import de.bwaldvogel.mongo.bson.Document;
import java.util.Set;

/**
 * The {@code op} and {@code ns} fields of a reported operation, as mongod names them: {@code
 * insert}, {@code update}, {@code remove} (a delete), {@code query} (a find), {@code getmore},
 * {@code killcursors}, else {@code command}; the collection's namespace for a command on one, else
 * {@code <db>.$cmd} ({@code <db>.$cmd.aggregate} for a collectionless aggregation).
 */
final class OpKind {
    /** Commands whose first value names a collection of their database. */
    private static final Set<String> ON_A_COLLECTION = Set.of("find", "insert", "update", "delete", "findAndModify",
            "findandmodify", "count", "distinct", "aggregate", "listIndexes", "create", "drop", "createIndexes",
            "dropIndexes", "deleteIndexes", "collMod", "collStats", "killCursors");

    private OpKind() {
    }

    static String of(String command) {
        return switch (command) {
            case "insert" -> "insert";
            case "update" -> "update";
            case "delete" -> "remove";
            case "find" -> "query";
            case "getMore" -> "getmore";
            case "killCursors" -> "killcursors";
            default -> "command";
        };
    }

    static String namespace(String db, String name, Document command) {
        if (name.equals("getMore") && command.get("collection") instanceof String coll) {
            return db + "." + coll;
        }
        Object first = command.isEmpty() ? null : command.values().iterator().next();
        if (ON_A_COLLECTION.contains(name) && first instanceof String coll) {
            return db + "." + coll;
        }
        return name.equals("aggregate") ? db + ".$cmd.aggregate" : db + ".$cmd";
    }
}
