package dev.rewind.sandbox.ops;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;

/**
 * The options of a {@code $currentOp} stage, checked as mongod's {@code DocumentSourceCurrentOp}
 * checks them: each a boolean, no other field. {@code allUsers} and {@code localOps} are accepted
 * and change nothing here (no users; not a mongos); {@code idleCursors} and {@code backtrace} are
 * refused, because the sandbox reports neither.
 *
 * @param idleConnections also list connections that run nothing (default false)
 * @param idleSessions also list sessions whose transaction is open but runs no statement (default true)
 * @param truncateOps cut reported commands past 1,000 characters (default false)
 */
public record CurrentOpOptions(boolean idleConnections, boolean idleSessions, boolean truncateOps) {

    public static CurrentOpOptions parse(Object spec) {
        if (!(spec instanceof Document d)) {
            throw ServerError.typeMismatch("$currentOp options must be specified in an object, but found: "
                    + (spec == null ? "null" : spec.getClass().getSimpleName()));
        }
        for (String field : new String[] {"allUsers", "localOps"}) {
            if (d.containsKey(field) && !(d.get(field) instanceof Boolean)) {
                throw ServerError.typeMismatch("The '" + field + "' parameter of the $currentOp stage must be a boolean value");
            }
        }
        boolean idleConnections = false;
        boolean idleSessions = true;
        boolean truncateOps = false;
        for (String field : d.keySet()) {
            Object value = d.get(field);
            switch (field) {
                case "idleConnections", "idleSessions", "allUsers", "localOps", "truncateOps", "idleCursors", "backtrace" -> {
                    if (!(value instanceof Boolean b)) {
                        throw failedToParse("The '" + field + "' parameter of the $currentOp stage must be a boolean value");
                    }
                    switch (field) {
                        case "idleConnections" -> idleConnections = b;
                        case "idleSessions" -> idleSessions = b;
                        case "truncateOps" -> truncateOps = b;
                        case "idleCursors", "backtrace" -> {
                            if (b) {
                                throw ServerError.notSupported("$currentOp " + field + " (the sandbox reports no "
                                        + (field.equals("backtrace") ? "stack traces" : "idle cursors") + ")");
                            }
                        }
                        default -> { }
                    }
                }
                default -> throw failedToParse("Unrecognized option '" + field + "' in $currentOp stage.");
            }
        }
        return new CurrentOpOptions(idleConnections, idleSessions, truncateOps);
    }

    private static ServerError failedToParse(String message) {
        return new ServerError(9, "FailedToParse", message);
    }
}
