package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.catalog.Namespaces;
import dev.rewind.sandbox.diff.DeltaApplier;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code applyOps} command (MongoDB manual, "applyOps"; src/mongo/db/repl/apply_ops.cpp), as
 * {@code mongorestore --oplogReplay} sends it: each oplog entry is applied by the write a client
 * would make, so that it is logged and streamed as one. An insert is an upsert of the document (a
 * replayed insert may find it there); an update is an upsert too ({@code alwaysUpsert}, true by
 * default: "the same mode of operation as normal replication in secondaries"), its {@code $v: 2}
 * delta applied as a secondary applies it ({@link DeltaApplier}, from {@code {_id}} when the
 * document is missing) and written as a pipeline replacement, so that the sandbox logs the delta of
 * the change as mongod would; a replacement replaces; a delete deletes by {@code _id}; the commands
 * create, drop, dropDatabase, renameCollection and collMod run as those commands; a nested
 * {@code applyOps} applies its entries. Not in a transaction; {@code preCondition} and other
 * commands are refused.
 */
final class ApplyOps {
    /** Runs one command as the client's connection would. */
    interface Dispatcher {
        Document run(Call call, Document command);
    }

    private final Mongod mongod;
    private final Namespaces namespaces;
    private final Dispatcher dispatcher;

    ApplyOps(Mongod mongod, Namespaces namespaces, Dispatcher dispatcher) {
        this.mongod = mongod;
        this.namespaces = namespaces;
        this.dispatcher = dispatcher;
    }

    Document run(Call call, Document cmd) {
        if (call.inTransaction()) {
            throw new ServerError(263, "OperationNotSupportedInTransaction", "Cannot run 'applyOps' in a multi-document transaction.");
        }
        if (cmd.containsKey("preCondition")) {
            throw ServerError.notSupported("applyOps with preCondition");
        }
        if (!(cmd.get("applyOps") instanceof List<?> ops)) {
            throw ServerError.typeMismatch("applyOps must be an array");
        }
        List<Object> results = new ArrayList<>();
        for (Object op : ops) {
            if (!(op instanceof Document entry)) {
                throw ServerError.typeMismatch("an applyOps entry must be an object");
            }
            apply(call, entry);
            results.add(true);
        }
        return new Document("applied", results.size()).append("results", results).append("ok", 1.0);
    }

    private void apply(Call call, Document e) {
        String op = e.get("op") instanceof String s ? s : null;
        String ns = e.get("ns") instanceof String s ? s : null;
        if (op == null || ns == null) {
            throw new ServerError(9, "FailedToParse", "an applyOps entry needs op and ns: " + e);
        }
        int dot = ns.indexOf('.');
        String db = dot < 0 ? ns : ns.substring(0, dot);
        String coll = dot < 0 ? "" : ns.substring(dot + 1);
        Document o = e.get("o") instanceof Document d ? d : null;
        switch (op) {
            case "n" -> { }
            case "i" -> upsert(call, db, coll, new Document("_id", required(o, e).get("_id")), required(o, e));
            case "d" -> write(call, db, "delete", new Document("delete", coll)
                    .append("deletes", List.of(new Document("q", new Document("_id", required(o, e).get("_id"))).append("limit", 1))));
            case "u" -> {
                Document o2 = e.get("o2") instanceof Document d ? d : null;
                if (o2 == null || !o2.containsKey("_id")) {
                    throw new ServerError(9, "FailedToParse", "an update entry needs o2 with the _id: " + e);
                }
                Document filter = new Document("_id", o2.get("_id"));
                Document update = required(o, e);
                if (Integer.valueOf(2).equals(asInt(update.get("$v"))) && update.get("diff") instanceof Document diff) {
                    Document current = current(call, ns, filter);
                    Document after = DeltaApplier.apply(current != null ? current : filter, diff);
                    upsert(call, db, coll, filter, List.of(new Document("$replaceWith", new Document("$literal", after))));
                } else if (update.keySet().stream().anyMatch(k -> k.startsWith("$"))) {
                    throw ServerError.notSupported("applyOps of an update in the $v: 1 form (MongoDB 5.0+ logs $v: 2)");
                } else {
                    upsert(call, db, coll, filter, update);
                }
            }
            case "c" -> command(call, db, required(o, e));
            default -> throw new ServerError(9, "FailedToParse", "unknown applyOps op '" + op + "'");
        }
    }

    private void command(Call call, String db, Document o) {
        String name = o.isEmpty() ? "" : o.keySet().iterator().next();
        switch (name) {
            case "applyOps" -> {
                for (Object inner : (List<?>) o.get("applyOps")) {
                    apply(call, (Document) inner);
                }
            }
            case "create", "drop", "collMod", "dropDatabase" -> dispatch(call, db, o);
            case "renameCollection" -> dispatch(call, "admin", o);
            default -> throw ServerError.notSupported("the command " + name + " in applyOps");
        }
    }

    private void upsert(Call call, String db, String coll, Document filter, Object update) {
        write(call, db, "update", new Document("update", coll).append("updates",
                List.of(new Document("q", filter).append("u", update).append("upsert", true))));
    }

    private void write(Call call, String db, String name, Document command) {
        Document reply = dispatch(call, db, command.append("ordered", true));
        if (reply.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
            Document first = (Document) errors.get(0);
            int code = first.get("code") instanceof Number n ? n.intValue() : 1;
            throw new ServerError(code, String.valueOf(first.getOrDefault("codeName", "WriteError")),
                    String.valueOf(first.get("errmsg")));
        }
    }

    private Document dispatch(Call call, String db, Document command) {
        String name = command.keySet().iterator().next();
        return dispatcher.run(new Call(call.connection(), db, name, call.generic(), null, null), command);
    }

    /** The document at {@code filter} now, or null. */
    private Document current(Call call, String ns, Document filter) {
        Call there = new Call(call.connection(), call.db(), "find", call.generic(), null, null);
        Document found = mongod.data(there, ns, false, () -> {
            MongoCollection<?> coll = namespaces.existing(ns);
            if (coll != null) {
                for (Document d : coll.handleQuery(filter, 0, 1)) {
                    return new Document("doc", d.cloneDeeply());
                }
            }
            return new Document();
        });
        return (Document) found.get("doc");
    }

    private static Document required(Document o, Document e) {
        if (o == null) {
            throw new ServerError(9, "FailedToParse", "an applyOps entry needs its o: " + e);
        }
        return o;
    }

    private static Integer asInt(Object v) {
        return v instanceof Number n ? n.intValue() : null;
    }
}
