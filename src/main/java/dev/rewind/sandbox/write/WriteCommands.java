package dev.rewind.sandbox.write;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.backend.Backends;
import dev.rewind.sandbox.catalog.Catalog;
import dev.rewind.sandbox.catalog.Namespaces;
import dev.rewind.sandbox.command.Call;
import dev.rewind.sandbox.oplog.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code insert}, {@code update}, {@code delete} and {@code findAndModify}: each statement runs
 * against storage with its writes recorded, and its changes are published (to the oplog, or to the
 * transaction). Pipeline-style updates run here ({@link PipelineUpdate}); the rest is
 * mongo-java-server's. A {@code deleteMany} outside a transaction is a batched delete on 7.0+
 * (mongod 6.1+): {@code batchedDeletesTargetBatchDocs} deletes to each {@code applyOps} entry.
 * The caller holds the data lock.
 */
public final class WriteCommands {
    private final Namespaces namespaces;
    private final WriteRecorder recorder;
    private final Publisher publisher;
    private final MongoRelease release;
    private final int batchedDeleteDocs;

    public WriteCommands(Namespaces namespaces, WriteRecorder recorder, Publisher publisher, MongoRelease release,
                         int batchedDeleteDocs) {
        this.namespaces = namespaces;
        this.recorder = recorder;
        this.publisher = publisher;
        this.release = release;
        this.batchedDeleteDocs = batchedDeleteDocs;
    }

    /** What hears every document this server's writes store (query cursors listen to its inserts). */
    public WriteRecorder recorder() {
        return recorder;
    }

    public Document insert(Call call, Document cmd) {
        String ns = call.db() + "." + cmd.get("insert");
        List<Object> documents = idFirst(list(cmd, "documents"));
        boolean ordered = !Boolean.FALSE.equals(cmd.get("ordered"));
        refuseTimeSeriesInTransaction(call, ns);
        List<Op> ops = new ArrayList<>();
        List<WriteRecorder.Write> writes = new ArrayList<>();
        namespaces.forWrite(ns, ops);
        Document reply = recorder.record(writes, () -> database(ns).handleCommand(call.connection().channel(), "insert",
                new Document("insert", Namespaces.collectionName(ns)).append("documents", documents)
                        .append("ordered", ordered), namespaces.backend()::resolveDatabase, NoopOplog.get()));
        int inserted = writes.size();
        ops.addAll(changes(ns, writes, Changes.Statement.NONE));
        publisher.publishInserts(call, ops, writes);
        Document out = new Document("n", inserted);
        if (reply.get("writeErrors") != null) {
            out.put("writeErrors", reply.get("writeErrors"));
        }
        return ok(out);
    }

    public Document update(Call call, Document cmd) {
        String ns = call.db() + "." + cmd.get("update");
        List<?> statements = list(cmd, "updates");
        boolean ordered = !Boolean.FALSE.equals(cmd.get("ordered"));
        refuseTimeSeriesInTransaction(call, ns);
        int matched = 0;
        int modified = 0;
        List<Document> upserted = new ArrayList<>();
        List<Document> errors = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            Document stmt = (Document) statements.get(i);
            refuseUnsupported(stmt, "update");
            List<Op> ops = new ArrayList<>();
            List<WriteRecorder.Write> writes = new ArrayList<>();
            try {
                namespaces.forWrite(ns, ops);
                Object u = stmt.get("u");
                Document result;
                Changes.Form form;
                if (u instanceof List<?> pipeline) {
                    form = Changes.Form.PIPELINE;
                    result = recorder.record(writes, () -> new PipelineUpdate(namespaces, ns).run(stmt, pipeline));
                } else if (u instanceof Document spec) {
                    form = Backends.isReplacement(spec) ? Changes.Form.REPLACEMENT : Changes.Form.MODIFIERS;
                    result = recorder.record(writes, () -> database(ns).handleCommand(call.connection().channel(), "update",
                            new Document("update", Namespaces.collectionName(ns)).append("updates", List.of(stmt))
                                    .append("ordered", true), namespaces.backend()::resolveDatabase, NoopOplog.get()));
                } else {
                    throw new ServerError(14, "TypeMismatch", "Update argument must be either an object or an array");
                }
                if (result.get("writeErrors") instanceof List<?> errs && !errs.isEmpty()) {
                    Document e = new Document((Document) errs.get(0));
                    e.put("index", i);
                    errors.add(e);
                } else {
                    int n = ((Number) result.get("n")).intValue();
                    if (result.get("upserted") instanceof List<?> ups && !ups.isEmpty()) {
                        Document up = new Document((Document) ups.get(0));
                        up.put("index", i);
                        upserted.add(up);
                        n -= 1;
                    }
                    matched += n;
                    modified += ((Number) result.get("nModified")).intValue();
                }
                ops.addAll(changes(ns, writes, new Changes.Statement(form, u instanceof Document d ? d : null,
                        stmt.get("q") instanceof Document q ? q : null, filters(stmt))));
                publisher.publish(call, ops, writes);
            } catch (MongoServerError e) {
                publisher.publish(call, ops, writes);
                errors.add(writeError(i, e));
            }
            if (!errors.isEmpty() && (ordered || call.inTransaction())) {
                break;
            }
        }
        Document out = new Document("n", matched + upserted.size()).append("nModified", modified);
        if (!upserted.isEmpty()) {
            out.put("upserted", upserted);
        }
        if (!errors.isEmpty()) {
            out.put("writeErrors", errors);
        }
        return ok(out);
    }

    public Document delete(Call call, Document cmd) {
        String ns = call.db() + "." + cmd.get("delete");
        List<?> statements = list(cmd, "deletes");
        boolean ordered = !Boolean.FALSE.equals(cmd.get("ordered"));
        refuseTimeSeriesInTransaction(call, ns);
        Catalog.Entry entry = namespaces.entry(ns);
        if (entry != null && entry.type() == Catalog.Type.VIEW) {
            throw ServerError.notSupportedOnView(ns);
        }
        int n = 0;
        List<Document> errors = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            Document stmt = (Document) statements.get(i);
            refuseUnsupported(stmt, "delete");
            Object limit = stmt.get("limit");
            if (!(limit instanceof Number l) || (l.intValue() != 0 && l.intValue() != 1)) {
                throw ServerError.badValue("The limit field in delete objects must be 0 or 1. Got " + limit);
            }
            if (namespaces.existing(ns) == null) {
                continue;
            }
            List<WriteRecorder.Write> writes = new ArrayList<>();
            try {
                Document result = recorder.record(writes, () -> database(ns).handleCommand(call.connection().channel(),
                        "delete", new Document("delete", Namespaces.collectionName(ns)).append("deletes", List.of(stmt))
                                .append("ordered", true), namespaces.backend()::resolveDatabase, NoopOplog.get()));
                n += ((Number) result.get("n")).intValue();
                List<Op> ops = changes(ns, writes, Changes.Statement.NONE);
                // mongod batches a deleteMany unless the collection keeps pre- and post-images (planner_interface.cpp)
                if (((Number) limit).intValue() == 0 && release.batchedDeletes() && (entry == null || !entry.images())) {
                    publisher.publishBatched(call, ops, writes, batchedDeleteDocs);
                } else {
                    publisher.publish(call, ops, writes);
                }
            } catch (MongoServerError e) {
                publisher.publish(call, changes(ns, writes, Changes.Statement.NONE), writes);
                errors.add(writeError(i, e));
                if (ordered || call.inTransaction()) {
                    break;
                }
            }
        }
        Document out = new Document("n", n);
        if (!errors.isEmpty()) {
            out.put("writeErrors", errors);
        }
        return ok(out);
    }

    public Document findAndModify(Call call, Document cmd) {
        String ns = call.db() + "." + cmd.get(cmd.keySet().iterator().next());
        refuseTimeSeriesInTransaction(call, ns);
        refuseUnsupported(cmd, "findAndModify");
        List<Op> ops = new ArrayList<>();
        List<WriteRecorder.Write> writes = new ArrayList<>();
        Object update = cmd.get("update");
        Document reply;
        Changes.Form form;
        try {
            namespaces.forWrite(ns, ops);
            if (update instanceof List<?> pipeline) {
                form = Changes.Form.PIPELINE;
                reply = recorder.record(writes, () -> new PipelineUpdate(namespaces, ns).findAndModify(cmd, pipeline));
            } else {
                form = update instanceof Document spec && Backends.isReplacement(spec)
                        ? Changes.Form.REPLACEMENT : Changes.Form.MODIFIERS;
                Document forBackend = new Document(cmd);
                forBackend.remove(cmd.keySet().iterator().next());
                forBackend = new Document("findAndModify", Namespaces.collectionName(ns)).appendAll(forBackend);
                Document sent = forBackend;
                reply = recorder.record(writes, () -> Backends.whileReplacing(update instanceof Document d ? d : null,
                        () -> database(ns).handleCommand(call.connection().channel(), "findAndModify", sent,
                                namespaces.backend()::resolveDatabase, NoopOplog.get())));
            }
        } finally {
            publisher.publish(call, ops, writes);
        }
        ops.clear();
        List<Op> changed = changes(ns, writes, new Changes.Statement(form, update instanceof Document d ? d : null,
                cmd.get("query") instanceof Document q ? q : new Document(), filters(cmd)));
        publisher.publish(call, changed, List.of());
        Document lastError = reply.get("lastErrorObject") instanceof Document d ? d : new Document();
        if (writes.size() == 1 && writes.get(0).isInsert() && !Boolean.TRUE.equals(cmd.get("remove"))) {
            lastError = new Document("n", 1).append("updatedExisting", false)
                    .append("upserted", writes.get(0).id());
        } else if (Boolean.TRUE.equals(cmd.get("remove"))) {
            lastError = new Document("n", writes.size());
        } else if (lastError.isEmpty()) {
            lastError = new Document("n", 0).append("updatedExisting", false);
        }
        return ok(new Document("lastErrorObject", lastError).append("value", reply.get("value")));
    }

    /** The changes to publish: none for a time-series collection (mongod writes its buckets, which streams do not show). */
    private List<Op> changes(String ns, List<WriteRecorder.Write> writes, Changes.Statement statement) {
        Catalog.Entry e = namespaces.catalog().get(ns);
        if (e != null && e.type() == Catalog.Type.TIMESERIES) {
            return new ArrayList<>();
        }
        return Changes.of(writes, namespaces.catalog(), statement);
    }

    private MongoDatabase database(String ns) {
        return namespaces.database(ns);
    }

    private void refuseTimeSeriesInTransaction(Call call, String ns) {
        Catalog.Entry e = namespaces.catalog().get(ns);
        if (call.inTransaction() && e != null && e.type() == Catalog.Type.TIMESERIES) {
            throw new ServerError(263, "OperationNotSupportedInTransaction",
                    "Cannot write to a time-series collection in a multi-document transaction: " + ns);
        }
    }

    private static void refuseUnsupported(Document stmt, String command) {
        if (stmt.containsKey("collation")) {
            throw ServerError.notSupported("collation in " + command);
        }
        if (stmt.containsKey("let")) {
            throw ServerError.notSupported("'let' variables in " + command);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Document> filters(Document stmt) {
        return stmt.get("arrayFilters") instanceof List<?> l ? (List<Document>) l : null;
    }

    /**
     * The documents to insert with {@code _id} as their first field, as mongod stores them (manual,
     * "Documents", Document Field Order: "If the server receives a document that does not have the
     * _id field first, then the server will move the field to the beginning"). Clients that append
     * the {@code _id} they generate, as the Node driver under mongosh does, then read back and see
     * in change events the same order as on mongod.
     */
    private static List<Object> idFirst(List<?> documents) {
        List<Object> out = new ArrayList<>(documents.size());
        for (Object d : documents) {
            if (d instanceof Document doc && doc.containsKey("_id") && !"_id".equals(doc.keySet().iterator().next())) {
                Document moved = new Document("_id", doc.get("_id"));
                for (var e : doc.entrySet()) {
                    if (!e.getKey().equals("_id")) {
                        moved.put(e.getKey(), e.getValue());
                    }
                }
                out.add(moved);
            } else {
                out.add(d);
            }
        }
        return out;
    }

    private static List<?> list(Document cmd, String field) {
        if (!(cmd.get(field) instanceof List<?> l)) {
            throw ServerError.typeMismatch("'" + field + "' must be an array");
        }
        return l;
    }

    static Document writeError(int index, MongoServerError e) {
        Document d = new Document("index", index).append("code", e.getCode());
        d.putIfNotNull("codeName", e.getCodeName());
        d.put("errmsg", e.getMessageWithoutErrorCode());
        return d;
    }

    private static Document ok(Document d) {
        d.put("ok", 1.0);
        return d;
    }
}
