package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.catalog.Catalog;
import dev.rewind.sandbox.catalog.Ddl;
import dev.rewind.sandbox.catalog.Namespaces;
import dev.rewind.sandbox.write.WriteCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * The aggregation stages that write, {@code $out} and {@code $merge}, run as mongod runs them and
 * through the sandbox's own commands, so that each write is in the oplog and its change stream
 * (mongo-java-server would write them around it). The results of the stages before are read whole
 * first. Neither may run in a transaction.
 */
final class WritingStages {
    private static final int BATCH = 1000;

    private final Mongod mongod;
    private final Namespaces namespaces;
    private final Ddl ddl;
    private final Reads reads;
    private final WriteCommands writes;

    WritingStages(Mongod mongod, Namespaces namespaces, Ddl ddl, Reads reads, WriteCommands writes) {
        this.mongod = mongod;
        this.namespaces = namespaces;
        this.ddl = ddl;
        this.reads = reads;
        this.writes = writes;
    }

    /**
     * {@code $out}, in mongod's steps ({@link OutStage}): a temporary collection gets the target's
     * options and indexes and the results (each an insert event, a document without {@code _id}
     * given an ObjectId), and is renamed over the target. When an insert fails (a duplicate
     * {@code _id}), the temporary collection is dropped and the target is left as it was.
     */
    Document out(Call call, Document cmd) {
        refuseInTransaction(call, "$out");
        OutStage out = OutStage.of(call.db(), cmd);
        Catalog.Entry target = namespaces.entry(out.target());
        refuseNotACollection(target, out.target(), "$out");
        List<Object> results = results(call, cmd, out.before());
        String temp = out.temporary();
        String tempNs = out.db() + "." + temp;
        Call there = new Call(call.connection(), out.db(), "insert", call.generic(), null, null);
        Document create = new Document("create", temp);
        if (target != null) {
            target.options().forEach(create::putIfAbsent);
        }
        mongod.ddlMany(there, List.of(tempNs), ops -> ddl.create(out.db(), create, ops));
        List<Document> indexes = new ArrayList<>();
        if (target != null) {
            for (Document index : ddl.indexes(out.target())) {
                if (!"_id_".equals(index.get("name"))) {
                    Document spec = new Document(index);
                    spec.remove("v");
                    spec.remove("ns");
                    indexes.add(spec);
                }
            }
        }
        if (!indexes.isEmpty()) {
            mongod.ddlMany(there, List.of(tempNs), ops -> ddl.createIndexes(out.db(), new Document("createIndexes", temp)
                    .append("indexes", indexes), ops));
        }
        for (int from = 0; from < results.size(); from += BATCH) {
            List<Object> batch = new ArrayList<>();
            for (Object o : results.subList(from, Math.min(results.size(), from + BATCH))) {
                batch.add(withId((Document) o));
            }
            Document inserted = mongod.data(there, tempNs, true, () -> writes.insert(there, new Document("insert", temp)
                    .append("documents", batch).append("ordered", true)));
            if (firstError(inserted) != null) {
                mongod.ddlMany(there, List.of(tempNs), ops -> ddl.drop(out.db(), new Document("drop", temp), ops));
                throw firstError(inserted);
            }
        }
        Document rename = new Document("renameCollection", tempNs).append("to", out.target()).append("dropTarget", true);
        mongod.ddlMany(there, List.of(tempNs, out.target()), ops -> ddl.rename(rename, ops));
        return emptyCursor(call, cmd);
    }

    /**
     * {@code $merge} ({@link MergeStage}): each result is written into the target by the write
     * mongod makes for it — an update with {@code $set} of its fields for {@code whenMatched: merge},
     * a replacement for {@code replace}, {@code $setOnInsert} for {@code keepExisting}, each an upsert
     * when {@code whenNotMatched} is {@code insert}; an insert for {@code whenMatched: fail}. The
     * writes already made stay when one fails, as in mongod.
     */
    Document merge(Call call, Document cmd) {
        refuseInTransaction(call, "$merge");
        MergeStage merge = MergeStage.of(call.db(), cmd);
        Catalog.Entry target = namespaces.entry(merge.target());
        refuseNotACollection(target, merge.target(), "$merge");
        if (!merge.onId() && (target == null || !hasUniqueIndexOn(merge.target(), merge.on()))) {
            throw new ServerError(51183, "Location51183", "Cannot find index to verify that join fields will be unique");
        }
        List<Object> results = results(call, cmd, merge.before());
        Call there = new Call(call.connection(), merge.db(), "update", call.generic(), null, null);
        for (Object o : results) {
            Document result = merge.onId() ? withId((Document) o) : (Document) o;
            Document reply;
            if (merge.whenMatched().equals("fail")) {
                reply = mongod.data(there, merge.target(), true, () -> writes.insert(there, new Document("insert", merge.coll())
                        .append("documents", List.of(result)).append("ordered", true)));
            } else {
                Document statement = merge.statement(result);
                reply = mongod.data(there, merge.target(), true, () -> writes.update(there, new Document("update", merge.coll())
                        .append("updates", List.of(statement)).append("ordered", true)));
            }
            ServerError failed = firstError(reply);
            if (failed != null) {
                throw failed;
            }
            if (merge.whenNotMatched().equals("fail") && reply.get("n") instanceof Number n && n.longValue() == 0) {
                throw new ServerError(13113, "MergeStageNoMatchingDocument",
                        "$merge could not find a matching document in the target collection for at least one document in the source collection");
            }
        }
        return emptyCursor(call, cmd);
    }

    private boolean hasUniqueIndexOn(String ns, List<String> fields) {
        for (Document index : ddl.indexes(ns)) {
            if (Boolean.TRUE.equals(index.get("unique")) && index.get("key") instanceof Document key
                    && key.keySet().size() == fields.size() && key.keySet().containsAll(fields)) {
                return true;
            }
        }
        return false;
    }

    /** Every result of the stages before the writing one, read through the sandbox's own aggregate. */
    private List<Object> results(Call call, Document cmd, List<Object> before) {
        Document read = new Document(cmd);
        read.put("pipeline", before);
        Document all = mongod.data(call, source(call, cmd), false,
                () -> new Document("results", reads.aggregateAll(call.connection(), call.db(), read)));
        return (List<Object>) all.get("results");
    }

    /** Whether the command is an aggregation with this stage anywhere ({@link #finalStage} refuses it elsewhere than last). */
    static boolean has(Document cmd, String stage) {
        return cmd.get("pipeline") instanceof List<?> pipeline
                && pipeline.stream().anyMatch(s -> s instanceof Document d && d.containsKey(stage));
    }

    /** The specification of the pipeline's last stage, {@code stage}; that stage anywhere else is mongod's 40601. */
    static Object finalStage(List<?> pipeline, String stage) {
        for (int i = 0; i < pipeline.size() - 1; i++) {
            if (pipeline.get(i) instanceof Document d && d.containsKey(stage)) {
                throw new ServerError(40601, "Location40601", stage + " can only be the final stage in the pipeline");
            }
        }
        return ((Document) pipeline.get(pipeline.size() - 1)).get(stage);
    }

    private static String source(Call call, Document cmd) {
        return cmd.get("aggregate") instanceof String s ? call.db() + "." + s : call.db();
    }

    private static Document emptyCursor(Call call, Document cmd) {
        return new Document("cursor", new Document("firstBatch", List.of()).append("id", 0L).append("ns", source(call, cmd)))
                .append("ok", 1.0);
    }

    /** The document with an {@code _id} first: its own, or a new ObjectId (as mongod gives a result without one). */
    private static Document withId(Document d) {
        if (d.containsKey("_id")) {
            return d;
        }
        Document withId = new Document("_id", new ObjectId());
        withId.putAll(d);
        return withId;
    }

    private static ServerError firstError(Document reply) {
        if (reply.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
            Document first = (Document) errors.get(0);
            int code = ((Number) first.get("code")).intValue();
            return new ServerError(code, code == 11000 ? "DuplicateKey" : "Location" + code, String.valueOf(first.get("errmsg")));
        }
        return null;
    }

    private static void refuseInTransaction(Call call, String stage) {
        if (call.inTransaction()) {
            throw new ServerError(263, "OperationNotSupportedInTransaction", stage + " cannot be used in a transaction");
        }
    }

    private static void refuseNotACollection(Catalog.Entry target, String ns, String stage) {
        if (target != null && target.type() == Catalog.Type.VIEW) {
            throw ServerError.notSupportedOnView(ns);
        }
        if (target != null && target.type() == Catalog.Type.TIMESERIES) {
            throw ServerError.notSupported(stage + " into a time-series collection");
        }
    }
}
