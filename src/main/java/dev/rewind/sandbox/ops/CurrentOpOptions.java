package dev.rewind.sandbox.ops;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import java.util.Set;

/**
 * The options of a {@code $currentOp} stage, checked as mongod's {@code DocumentSourceCurrentOp}
 * checks them: each a boolean, no other field. {@code allUsers} and {@code localOps} are accepted
 * and change nothing here (no users; not a mongos); {@code idleCursors} and {@code backtrace} are
 * refused, because the sandbox reports neither.
 *
 * @param idleConnections also list connections that run nothing (default false)
 * @param idleSessions also list sessions whose transaction is open but runs no statement (default true)
 * @param truncateOps cut reported commands past 1,000 bytes (default false)
 */
public record CurrentOpOptions(boolean idleConnections, boolean idleSessions, boolean truncateOps) {
    private static final Set<String> OPTIONS = Set.of("idleConnections", "idleSessions", "allUsers", "localOps", "truncateOps",
            "idleCursors", "backtrace");

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
        for (String field : d.keySet()) {
            if (!OPTIONS.contains(field)) {
                throw failedToParse("Unrecognized option '" + field + "' in $currentOp stage.");
            }
            if (!(d.get(field) instanceof Boolean)) {
                throw failedToParse("The '" + field + "' parameter of the $currentOp stage must be a boolean value");
            }
        }
        for (String refused : new String[] {"idleCursors", "backtrace"}) {
            if (Boolean.TRUE.equals(d.get(refused))) {
                throw ServerError.notSupported("$currentOp " + refused + " (the sandbox reports no "
                        + (refused.equals("backtrace") ? "stack traces" : "idle cursors") + ")");
            }
        }
        boolean idleConnections = Boolean.TRUE.equals(d.get("idleConnections"));
        boolean idleSessions = !Boolean.FALSE.equals(d.get("idleSessions"));
        boolean truncateOps = Boolean.TRUE.equals(d.get("truncateOps"));
        return new CurrentOpOptions(idleConnections, idleSessions, truncateOps);
    }

    private static ServerError failedToParse(String message) {
        return new ServerError(9, "FailedToParse", message);
    }
}
