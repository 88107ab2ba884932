package dev.rewind.dump;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * mongod keeps a database's views as documents of its {@code system.views} collection
 * ({@code {_id: "db.view", viewOn, pipeline[, collation]}}) and logs a view's creation, change and
 * drop as an insert, a whole-document update and a delete there, not as commands
 * (jstests/noPassthrough/view_catalog_oplog_entries.js: "exactly one insert into system.views for
 * the view creation", and the collMod an update of it). This turns such an entry into the command
 * a replay reads: {@code create} (with the view's {@code viewOn}, {@code pipeline} and
 * {@code collation}), {@code collMod} or {@code drop} of the view, on its database's {@code $cmd}.
 */
final class SystemViewsWrites {
    private static final String SYSTEM_VIEWS = ".system.views";

    private SystemViewsWrites() { }

    /** Whether an entry of {@code op} on {@code ns} is a write to a database's view catalog. */
    static boolean is(String op, String ns) {
        return ("i".equals(op) || "u".equals(op) || "d".equals(op)) && ns != null && ns.endsWith(SYSTEM_VIEWS)
                && ns.indexOf('.') == ns.length() - SYSTEM_VIEWS.length();
    }

    /** The database of a view catalog's namespace ({@code db.system.views}). */
    static String database(String ns) {
        return ns.substring(0, ns.length() - SYSTEM_VIEWS.length());
    }

    /** Entry {@code e} (a write to {@code db.system.views}) as the command entry it stands for. */
    static BsonDocument asCommand(BsonDocument e) {
        String op = e.getString("op").getValue();
        String db = database(e.getString("ns").getValue());
        BsonDocument o = e.isDocument("o") ? e.getDocument("o") : new BsonDocument();
        BsonDocument keyed = op.equals("u") ? (e.isDocument("o2") ? e.getDocument("o2") : new BsonDocument()) : o;
        String view = view(db, keyed.get("_id"), e);
        BsonDocument command = switch (op) {
            case "i" -> definition(new BsonDocument("create", new BsonString(view)), o);
            case "u" -> {
                if (o.keySet().stream().anyMatch(k -> k.startsWith("$"))) {
                    throw OplogReplay.refused("an update of the view " + db + "." + view
                            + " in system.views that is not its whole definition: " + e.toJson());
                }
                yield definition(new BsonDocument("collMod", new BsonString(view)), o);
            }
            default -> new BsonDocument("drop", new BsonString(view));
        };
        return new BsonDocument("op", new BsonString("c")).append("ns", new BsonString(db + ".$cmd")).append("o", command);
    }

    private static BsonDocument definition(BsonDocument command, BsonDocument o) {
        o.forEach((k, v) -> {
            if (!k.equals("_id")) {
                command.append(k, v);
            }
        });
        return command;
    }

    /** The view's name in its database, from the document's {@code _id} ("db.view"). */
    private static String view(String db, BsonValue id, BsonDocument e) {
        if (id == null || !id.isString() || !id.asString().getValue().startsWith(db + ".")
                || id.asString().getValue().length() == db.length() + 1) {
            throw OplogReplay.refused("a write to " + db + ".system.views whose _id does not name a view of " + db + ": " + e.toJson());
        }
        return id.asString().getValue().substring(db.length() + 1);
    }
}
