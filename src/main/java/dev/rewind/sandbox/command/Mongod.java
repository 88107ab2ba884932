package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import dev.rewind.sandbox.SandboxOptions;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.catalog.Ddl;
import dev.rewind.sandbox.catalog.Namespaces;
import dev.rewind.sandbox.oplog.Op;
import dev.rewind.sandbox.oplog.Oplog;
import dev.rewind.sandbox.ops.CurrentOps;
import dev.rewind.sandbox.ops.Operation;
import dev.rewind.sandbox.server.Commands;
import dev.rewind.sandbox.server.Connection;
import dev.rewind.sandbox.session.DataLock;
import dev.rewind.sandbox.session.Session;
import dev.rewind.sandbox.session.Sessions;
import dev.rewind.sandbox.session.Transaction;
import dev.rewind.sandbox.stream.ChangeStreams;
import dev.rewind.sandbox.write.WriteCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sandbox does with each command, as a single-node replica set primary does: takes the
 * generic arguments (session, transaction, read concern), runs the command in its session and
 * transaction under the {@link DataLock}, and stamps every reply with {@code operationTime} and
 * {@code $clusterTime}. Commands it does not handle itself go to mongo-java-server.
 */
public final class Mongod implements Commands {
    private static final Logger log = LoggerFactory.getLogger(Mongod.class);
    /** Commands a transaction may run (MongoDB manual, "Transactions and Operations"). */
    private static final Set<String> IN_TRANSACTION = Set.of("find", "aggregate", "distinct", "insert", "update", "delete",
            "findAndModify", "findandmodify", "getMore", "killCursors", "commitTransaction", "abortTransaction", "create",
            "createIndexes");
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify", "findandmodify");
    private static final Set<String> WRITES_OR_DDL = Set.of("insert", "update", "delete", "findAndModify", "findandmodify",
            "create", "drop", "createIndexes", "dropIndexes", "deleteIndexes", "collMod");

    private final SandboxOptions options;
    private final AbstractMongoBackend backend;
    private final Oplog oplog;
    private final Namespaces namespaces;
    private final DataLock lock;
    private final Sessions sessions;
    private final WriteCommands writes;
    private final Ddl ddl;
    private final Reads reads;
    private final ChangeStreams streams;
    private final Hello hello;
    private final WritingStages writingStages;
    private final CurrentOps currentOps = new CurrentOps();
    private final OpCommands opCommands;
    private final ApplyOps applyOps;
    private final SystemCollections system;
    private final ListDatabases listDatabases;

    public Mongod(SandboxOptions options, AbstractMongoBackend backend, Oplog oplog, Namespaces namespaces, DataLock lock,
                  Sessions sessions, WriteCommands writes, Ddl ddl, ChangeStreams streams,
                  de.bwaldvogel.mongo.bson.ObjectId replicaSetId) {
        this.options = options;
        this.backend = backend;
        this.oplog = oplog;
        this.namespaces = namespaces;
        this.lock = lock;
        this.sessions = sessions;
        this.writes = writes;
        this.ddl = ddl;
        this.hello = new Hello(options, oplog, replicaSetId);
        this.system = new SystemCollections(options.release(), oplog, options.oplogBytes(), hello::replSetGetConfig);
        this.reads = new Reads(namespaces, ddl, oplog, system);
        this.listDatabases = new ListDatabases(namespaces, reads, system);
        writes.recorder().onInsert(reads::inserted);
        this.streams = streams;
        this.writingStages = new WritingStages(this, namespaces, ddl, reads, writes);
        this.opCommands = new OpCommands(currentOps, reads, sessions);
        this.applyOps = new ApplyOps(this, namespaces, this::dispatch);
    }

    @Override
    public Document run(Connection connection, String db, Document command) {
        String name = command.isEmpty() ? "" : command.keySet().iterator().next();
        Document reply;
        Operation op = currentOps.begin(connection, db, name, new Document(command),
                command.get("lsid") instanceof Document lsid ? Sessions.reported(lsid) : null,
                command.get("txnNumber") instanceof Number n ? n.longValue() : null, command.containsKey("autocommit"));
        try {
            reply = runInSession(connection, db, name, command);
        } catch (MongoServerError e) {
            reply = error(e);
        } catch (MongoServerException e) {
            reply = error(new ServerError(1, "InternalError", e.getMessageWithoutErrorCode()));
        } catch (RuntimeException e) {
            log.error("command {} failed", name, e);
            reply = error(new ServerError(1, "InternalError", String.valueOf(e)));
        } finally {
            currentOps.end(op);
        }
        return stamp(reply);
    }

    /** {@code connection} is the sandbox's own thread {@code desc}: {@code $currentOp} lists it as a system operation. */
    public void system(Connection connection, String desc) {
        currentOps.system(connection, desc);
    }

    @Override
    public void closed(Connection connection) {
        currentOps.closed(connection);
        backend.handleClose(connection.channel());
    }

    private Document runInSession(Connection connection, String db, String name, Document command) {
        Generic g = Generic.takeFrom(command);
        Session session = g.lsid() == null ? null : sessions.of(g.lsid());
        Transaction txn = null;
        if (g.inTransaction()) {
            if (!IN_TRANSACTION.contains(name)) {
                throw new ServerError(263, "OperationNotSupportedInTransaction", "Cannot run '" + name
                        + "' in a multi-document transaction.");
            }
            if (name.equals("aggregate") && ChangeStreams.opens(command)) {
                throw new ServerError(263, "OperationNotSupportedInTransaction", "Cannot run aggregate with $changeStream"
                        + " in a multi-document transaction.");
            }
            txn = sessions.statement(session, g.txnNumber(), g.startTransaction(), name);
        } else if (g.txnNumber() != null) {
            sessions.advance(session, g.txnNumber());
            Document saved = session.retried(g.txnNumber(), name);
            if (saved != null) {
                Document again = new Document(saved);
                again.put("retriedStmtIds", List.of(0));
                return again;
            }
        } else if (name.equals("commitTransaction") || name.equals("abortTransaction")) {
            throw new ServerError(50768, "InvalidOptions", name + " must be run within a transaction");
        }
        checkReadConcern(g, txn);
        Call call = new Call(connection, db, name, g, session, txn);
        Document reply;
        try {
            reply = dispatch(call, command);
        } catch (MongoServerError e) {
            if (txn != null && !name.equals("commitTransaction") && !name.equals("abortTransaction")) {
                sessions.abort(txn, "a statement failed: " + e.getMessageWithoutErrorCode());
            }
            throw e;
        }
        if (txn != null && reply.get("writeErrors") instanceof List<?> errs && !errs.isEmpty()) {
            sessions.abort(txn, "a statement failed: " + errs.get(0));
        }
        if (call.retryable() && WRITES.contains(name)) {
            session.executed(g.txnNumber(), name, reply);
        }
        return reply;
    }

    private static void checkReadConcern(Generic g, Transaction txn) {
        String level = g.readConcernLevel();
        if (level == null) {
            return;
        }
        if (!Set.of("local", "majority", "available", "linearizable", "snapshot").contains(level)) {
            throw ServerError.badValue("invalid read concern level: " + level);
        }
        if (level.equals("snapshot") && txn == null) {
            throw ServerError.notSupported("readConcern level 'snapshot' outside transactions (it keeps no history to read "
                    + "at a past cluster time)");
        }
        if (g.readConcern().containsKey("atClusterTime")) {
            throw ServerError.notSupported("readConcern atClusterTime");
        }
    }

    private Document dispatch(Call call, Document cmd) {
        String db = call.db();
        if (WRITES_OR_DDL.contains(call.name()) && system.owns(ns(db, cmd))) {
            throw ServerError.notSupported(call.name() + " on " + ns(db, cmd) + " (the sandbox keeps it read-only)");
        }
        Connection c = call.connection();
        Transaction txn = call.transaction();
        switch (call.name()) {
            case "hello":
                currentOps.hello(c, cmd.get("client"));
                return hello.hello(c, false, cmd);
            case "isMaster", "ismaster":
                currentOps.hello(c, cmd.get("client"));
                return hello.hello(c, true, cmd);
            case "currentOp":
                return opCommands.currentOp(c, db, cmd);
            case "killOp":
                return opCommands.killOp(db, cmd);
            case "buildInfo", "buildinfo":
                return hello.buildInfo();
            case "replSetGetStatus":
                return hello.replSetGetStatus(c);
            case "replSetGetConfig":
                if (!db.equals("admin")) {
                    throw new ServerError(13, "Unauthorized", "replSetGetConfig may only be run against the admin database.");
                }
                return hello.replSetGetConfig(c);
            case "getParameter":
                return hello.getParameter(cmd);
            case "ping":
                return new Document("ok", 1.0);
            case "startSession":
                return new Document("id", new Document("id", java.util.UUID.randomUUID())).append("timeoutMinutes", 30)
                        .append("ok", 1.0);
            case "endSessions", "killSessions":
                sessions.end(cmd.get(call.name()) instanceof List<?> l ? l : List.of());
                return new Document("ok", 1.0);
            case "refreshSessions":
                return new Document("ok", 1.0);
            case "commitTransaction":
                sessions.commit(txn);
                return new Document("ok", 1.0);
            case "abortTransaction":
                sessions.abort(txn, "abortTransaction");
                return new Document("ok", 1.0);
            case "applyOps":
                return applyOps.run(call, cmd);
            case "listDatabases", "listdatabases":
                return lock.run(List.of(), txn, false, call.generic().maxTimeMS(), () -> listDatabases.run(db, cmd));
            case "insert":
                return data(call, ns(db, cmd), true, () -> writes.insert(call, cmd));
            case "update":
                return data(call, ns(db, cmd), true, () -> writes.update(call, cmd));
            case "delete":
                return data(call, ns(db, cmd), true, () -> writes.delete(call, cmd));
            case "findAndModify", "findandmodify":
                return data(call, ns(db, cmd), true, () -> writes.findAndModify(call, cmd));
            case "create":
                return ddl(call, ns(db, cmd), ops -> ddl.create(db, cmd, ops));
            case "drop":
                return ddl(call, ns(db, cmd), ops -> ddl.drop(db, cmd, ops));
            case "dropDatabase":
                return ddl(call, db, ops -> ddl.dropDatabase(db, ops));
            case "renameCollection":
                if (!db.equals("admin")) {
                    throw new ServerError(13, "Unauthorized", "renameCollection may only be run against the admin database.");
                }
                return ddlMany(call, List.of(String.valueOf(cmd.get("renameCollection")), String.valueOf(cmd.get("to"))),
                        ops -> ddl.rename(cmd, ops));
            case "createIndexes":
                return ddl(call, ns(db, cmd), ops -> ddl.createIndexes(db, cmd, ops));
            case "dropIndexes", "deleteIndexes":
                return ddl(call, ns(db, cmd), ops -> ddl.dropIndexes(db, cmd, ops));
            case "collMod":
                return ddl(call, ns(db, cmd), ops -> ddl.collMod(db, cmd, ops));
            case "listCollections":
                return data(call, db, false, () -> reads.listCollections(db, cmd));
            case "listIndexes":
                return data(call, ns(db, cmd), false, () -> reads.listIndexes(c, db, cmd));
            case "find":
                return data(call, ns(db, cmd), false, () -> reads.find(c, db, cmd));
            case "count":
                return data(call, ns(db, cmd), false, () -> reads.count(c, db, cmd));
            case "collStats", "collstats":
                return data(call, ns(db, cmd), false, () -> reads.collStatsCommand(db, cmd));
            case "distinct":
                return data(call, ns(db, cmd), false, () -> reads.distinct(c, db, cmd));
            case "aggregate":
                if (ChangeStreams.opens(cmd)) {
                    return streams.open(db, cmd);
                }
                if (OpCommands.opens(cmd)) {
                    if (call.inTransaction()) {   // manual, "Transactions and Operations"
                        throw new ServerError(263, "OperationNotSupportedInTransaction", "$currentOp cannot be used in a transaction");
                    }
                    return opCommands.aggregate(c, db, cmd);
                }
                if (CollStats.opens(cmd) && call.inTransaction()) {   // manual, "Transactions and Operations"
                    throw new ServerError(263, "OperationNotSupportedInTransaction", "$collStats cannot be used in a transaction");
                }
                if (WritingStages.has(cmd, "$out")) {
                    return writingStages.out(call, cmd);
                }
                if (WritingStages.has(cmd, "$merge")) {
                    return writingStages.merge(call, cmd);
                }
                return data(call, cmd.get("aggregate") instanceof String s ? db + "." + s : db, false,
                        () -> reads.aggregate(c, db, cmd));
            case "getMore":
                if (cmd.get("getMore") instanceof Number id && streams.owns(id.longValue())) {
                    return streams.getMore(cmd, call.generic().maxTimeMS());
                }
                if (cmd.get("getMore") instanceof Number id && reads.ownsScan(id.longValue())) {
                    return data(call, db + "." + cmd.get("collection"), false, () -> reads.getMoreScan(cmd));
                }
                return data(call, db + "." + cmd.get("collection"), false, () -> reads.getMore(c, db, cmd));
            case "killCursors": {
                List<Object> killed = new ArrayList<>();
                List<Object> rest = new ArrayList<>();
                for (Object id : streams.kill(cmd.get("cursors") instanceof List<?> l ? l : List.of(), killed)) {
                    if (id instanceof Number n && (reads.killScan(n.longValue()) || reads.killBackendCursor(n.longValue()))) {
                        killed.add(id);
                    } else {
                        rest.add(id);
                    }
                }
                Document reply = rest.isEmpty() ? new Document("cursorsKilled", List.of()).append("cursorsNotFound", List.of())
                        : backend.handleCommand(c.channel(), db, "killCursors", new Document("killCursors", cmd.get("killCursors"))
                                .append("cursors", rest));
                List<Object> all = new ArrayList<>(killed);
                if (reply.get("cursorsKilled") instanceof List<?> k) {
                    all.addAll(k);
                }
                reply.put("cursorsKilled", all);
                reply.put("ok", 1.0);
                return reply;
            }
            case "appendOplogNote":
                oplog.append(List.of(), null, null, false);
                return new Document("ok", 1.0);
            case "shutdown", "replSetInitiate", "replSetReconfig", "replSetStepDown", "fsync", "fsyncUnlock", "eval",
                    "mapReduce", "mapreduce", "cloneCollectionAsCapped", "convertToCapped", "compact", "bulkWrite",
                    "prepareTransaction":
                throw new ServerError(59, "CommandNotFound", "no such command: '" + call.name() + "' (the Rewind sandbox"
                        + " does not implement it)");
            default:
                return backend.handleCommand(c.channel(), db, call.name(), cmd);
        }
    }

    private static String ns(String db, Document cmd) {
        Object coll = cmd.get(cmd.keySet().iterator().next());
        return db + "." + coll;
    }

    Document data(Call call, String ns, boolean write, Supplier<Document> action) {
        return lock.run(List.of(ns), call.transaction(), write, call.generic().maxTimeMS(), action);
    }

    interface DdlAction {
        Document run(List<Op> ops);
    }

    private Document ddl(Call call, String ns, DdlAction action) {
        return ddlMany(call, List.of(ns), action);
    }

    Document ddlMany(Call call, List<String> namespaces, DdlAction action) {
        if (call.inTransaction() && !call.name().equals("create") && !call.name().equals("createIndexes")) {
            throw new ServerError(263, "OperationNotSupportedInTransaction", "Cannot run '" + call.name()
                    + "' in a multi-document transaction.");
        }
        return lock.run(namespaces, call.transaction(), true, () -> {
            List<Op> ops = new ArrayList<>();
            Document reply;
            try {
                reply = action.run(ops);
            } finally {
                publish(call, ops);
            }
            return reply;
        });
    }

    private void publish(Call call, List<Op> ops) {
        if (call.inTransaction()) {
            for (Op op : ops) {
                if (op.kind() == Op.Kind.CREATE) {
                    call.transaction().created(op.ns());
                }
            }
            call.transaction().stage(ops, List.of());
            return;
        }
        for (Op op : ops) {
            oplog.append(List.of(op), null, null, false);
        }
    }

    private static Document error(MongoServerError e) {
        Document d = new Document("ok", 0.0).append("errmsg", e.getMessageWithoutErrorCode()).append("code", e.getCode());
        if (e.getCodeName() != null) {
            d.put("codeName", e.getCodeName());
        }
        if (e instanceof ServerError s && !s.labels().isEmpty()) {
            d.put("errorLabels", s.labels());
        }
        return d;
    }

    /** Every reply of a replica-set member carries the cluster time. */
    private Document stamp(Document reply) {
        BsonTimestamp now = oplog.clusterTime();
        if (now == null) {
            return reply;
        }
        reply.put("$clusterTime", new Document("clusterTime", now).append("signature",
                new Document("hash", new de.bwaldvogel.mongo.bson.BinData(new byte[20])).append("keyId", 0L)));
        reply.put("operationTime", now);
        return reply;
    }
}
