package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import java.util.List;
import java.util.function.Function;

/**
 * Options of read commands that mongo-java-server would accept and ignore, giving other results
 * than mongod: a collation (strings would compare by code point), a tailable cursor (the sandbox has
 * no capped collections). ({@code $out} and {@code $merge}, whose writes mongo-java-server would make
 * around the oplog, are run by {@link WritingStages} as mongod runs them.) Each is refused, naming the option. A hint must name an
 * existing index, as mongod requires ("hint provided does not correspond to an existing index").
 */
final class ReadOptions {
    private ReadOptions() { }

    /** @param indexes the index specifications of the namespace read ({@code listIndexes}), by namespace */
    static void check(String command, String ns, Document cmd, Function<String, List<Document>> indexes) {
        if (cmd.get("collation") instanceof Document collation && !isSimple(collation)) {
            throw ServerError.notSupported("collation in " + command + " (string comparison would be by code point)");
        }
        if (Boolean.TRUE.equals(cmd.get("tailable")) || Boolean.TRUE.equals(cmd.get("awaitData"))) {
            throw ServerError.notSupported("tailable cursors (there are no capped collections)");
        }
        Object hint = cmd.get("hint");
        if (hint != null && !isNatural(hint) && !(hint instanceof Document d && d.isEmpty())
                && !(hint instanceof String s && s.isEmpty())) {
            boolean found = false;
            for (Document index : indexes.apply(ns)) {
                if (hint instanceof String name ? name.equals(index.get("name")) : hint.equals(index.get("key"))) {
                    found = true;
                }
            }
            if (!found) {
                throw ServerError.badValue("error processing query: planner returned error :: caused by :: hint provided "
                        + "does not correspond to an existing index");
            }
        }
    }

    private static boolean isSimple(Document collation) {
        return collation.isEmpty() || (collation.size() == 1 && "simple".equals(collation.get("locale")));
    }

    private static boolean isNatural(Object hint) {
        return hint instanceof Document d && d.size() == 1 && d.containsKey("$natural");
    }
}
