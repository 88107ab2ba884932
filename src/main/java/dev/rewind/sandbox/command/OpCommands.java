package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.ops.CurrentOpOptions;
import dev.rewind.sandbox.ops.CurrentOps;
import dev.rewind.sandbox.ops.OpenTransaction;
import dev.rewind.sandbox.server.Connection;
import dev.rewind.sandbox.session.Sessions;
import dev.rewind.sandbox.session.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands on running operations: {@code aggregate} with {@code $currentOp}, the {@code
 * currentOp} command (mongosh's {@code db.currentOp()}) and {@code killOp} ({@code db.killOp()}).
 * None takes the data lock, so that each sees a command that holds it or waits for it.
 */
final class OpCommands {
    private final CurrentOps currentOps;
    private final Reads reads;
    private final Sessions sessions;

    OpCommands(CurrentOps currentOps, Reads reads, Sessions sessions) {
        this.currentOps = currentOps;
        this.reads = reads;
        this.sessions = sessions;
    }

    private static void adminOnly(String db, String command) {
        if (!db.equals("admin")) {
            throw new ServerError(13, "Unauthorized", command + " may only be run against the admin database.");
        }
    }

    /** {@code $currentOp} anywhere in the pipeline (mongod checks it is first, on admin, collectionless). */
    static boolean opens(Document cmd) {
        return cmd.get("pipeline") instanceof List<?> p && p.stream().anyMatch(s -> s instanceof Document d
                && d.containsKey("$currentOp"));
    }

    /**
     * {@code aggregate} with {@code $currentOp}: not under the data lock, so that it sees a command
     * that holds or waits for it; the stages after it run on its documents.
     */
    Document aggregate(Connection c, String db, Document cmd) {
        List<?> pipeline = (List<?>) cmd.get("pipeline");
        if (!(pipeline.get(0) instanceof Document first && first.containsKey("$currentOp"))) {
            throw new ServerError(40602, "Location40602", "$currentOp is only valid as the first stage in a pipeline");
        }
        if (!db.equals("admin") || !(cmd.get("aggregate") instanceof Number)) {
            throw new ServerError(73, "InvalidNamespace", "$currentOp must be run against the 'admin' database with {aggregate: 1}");
        }
        CurrentOpOptions options = CurrentOpOptions.parse(first.get("$currentOp"));
        List<Document> ops = reads.runStages("admin", pipeline.subList(1, pipeline.size()), currentOps.report(options, c.me(), openTransactions()));
        Document cursor = new Document("firstBatch", new ArrayList<Object>(ops)).append("id", 0L).append("ns", "admin.$cmd.aggregate");
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    /**
     * The {@code currentOp} command, as mongod runs it ({@code current_op_common.cpp}): {@code
     * $currentOp} with {@code idleConnections: $all} and {@code truncateOps}, then a {@code $match}
     * of its other fields.
     */
    Document currentOp(Connection c, String db, Document cmd) {
        adminOnly(db, "currentOp");
        boolean all = Boolean.TRUE.equals(cmd.get("$all")) || cmd.get("$all") instanceof Number n && n.doubleValue() != 0;
        Document filter = new Document();
        boolean first = true;
        for (String key : cmd.keySet()) {
            if (!first && !key.equals("$all") && !key.equals("$ownOps") && !key.equals("$truncateOps")) {
                filter.put(key, cmd.get(key));
            }
            first = false;
        }
        List<Document> ops = currentOps.report(new CurrentOpOptions(all, true, true), c.me(), openTransactions());
        if (!filter.isEmpty()) {
            ops = reads.runStages("admin", List.of(new Document("$match", filter)), ops);
        }
        return new Document("inprog", new ArrayList<Object>(ops)).append("ok", 1.0);
    }

    private List<OpenTransaction> openTransactions() {
        List<OpenTransaction> open = new ArrayList<>();
        for (Transaction t : sessions.openTransactions()) {
            open.add(new OpenTransaction(t.session().lsid(), t.number(), t.ageMillis(), sessions.lifetimeMillis()));
        }
        return open;
    }

    /** {@code killOp}: always the same reply, whether or not an operation runs under that {@code opid}. */
    Document killOp(String db, Document cmd) {
        adminOnly(db, "killOp");
        currentOps.kill(opid(cmd));
        return new Document("info", "attempting to kill op").append("ok", 1.0);
    }

    /** {@code killOp}'s {@code op}, as mongod's {@code bsonExtractIntegerField} takes it. */
    private static long opid(Document cmd) {
        Object op = cmd.get("op");
        if (op == null) {
            throw new ServerError(4, "NoSuchKey", "Missing expected field \"op\"");
        }
        if (!(op instanceof Number n)) {
            throw ServerError.typeMismatch("Expected field \"op\" to have numeric type, but found " + op.getClass().getSimpleName());
        }
        return n.longValue();
    }
}
