package dev.rewind.sandbox.write;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.catalog.Namespaces;
import java.util.ArrayList;
import java.util.List;

/**
 * Pipeline-style updates (MongoDB 4.2+, "Updates with Aggregation Pipeline"), which
 * mongo-java-server lacks: each matched document goes through the stages {@code $addFields}/{@code
 * $set}, {@code $project}/{@code $unset} and {@code $replaceRoot}/{@code $replaceWith}, and the result
 * replaces it (its {@code _id} may not change). The change is then described as mongod describes a
 * pipeline update (see {@link Changes}).
 */
final class PipelineUpdate {
    private final Namespaces namespaces;
    private final String ns;

    PipelineUpdate(Namespaces namespaces, String ns) {
        this.namespaces = namespaces;
        this.ns = ns;
    }

    /** One update statement {@code {q, u: [...], multi, upsert}}: {@code {n, nModified, upserted?}}. */
    Document run(Document stmt, List<?> pipeline) {
        if (stmt.containsKey("arrayFilters")) {
            throw new ServerError(72, "InvalidOptions", "arrayFilters may not be specified for pipeline-style updates");
        }
        Document q = stmt.get("q") instanceof Document d ? d : new Document();
        boolean multi = Boolean.TRUE.equals(stmt.get("multi"));
        MongoCollection<?> coll = namespaces.existing(ns);
        List<Document> matched = new ArrayList<>();
        if (coll != null) {
            for (Document d : coll.handleQuery(q, 0, multi ? 0 : 1)) {
                matched.add(d.cloneDeeply());
            }
        }
        int modified = 0;
        for (Document before : matched) {
            Document after = apply(pipeline, before);
            if (!LegacyDescription.same(before, after)) {
                replace(before, after);
                modified++;
            }
        }
        Document out = new Document("n", matched.size()).append("nModified", modified);
        if (matched.isEmpty() && Boolean.TRUE.equals(stmt.get("upsert"))) {
            Document inserted = upsert(q, pipeline);
            out.put("n", 1);
            out.put("upserted", List.of(new Document("index", 0).append("_id", inserted.get("_id"))));
        }
        return out;
    }

    /** {@code findAndModify} with a pipeline: {@code {lastErrorObject, value}}. */
    Document findAndModify(Document cmd, List<?> pipeline) {
        Document query = cmd.get("query") instanceof Document d ? d : new Document();
        MongoCollection<?> coll = namespaces.existing(ns);
        Document before = null;
        if (coll != null) {
            Document q = new Document("query", query);
            if (cmd.get("sort") instanceof Document sort) {
                q.put("orderby", sort);
            }
            for (Document d : coll.handleQuery(q, 0, 1)) {
                before = d.cloneDeeply();
            }
        }
        boolean returnNew = Boolean.TRUE.equals(cmd.get("new"));
        if (before == null) {
            if (Boolean.TRUE.equals(cmd.get("upsert"))) {
                Document inserted = upsert(query, pipeline);
                return new Document("lastErrorObject", new Document("n", 1).append("updatedExisting", false)
                        .append("upserted", inserted.get("_id"))).append("value", returnNew ? project(cmd, inserted) : null);
            }
            return new Document("lastErrorObject", new Document("n", 0).append("updatedExisting", false)).append("value", null);
        }
        Document after = apply(pipeline, before);
        if (!LegacyDescription.same(before, after)) {
            replace(before, after);
        }
        return new Document("lastErrorObject", new Document("n", 1).append("updatedExisting", true))
                .append("value", project(cmd, returnNew ? after : before));
    }

    private static Document project(Document cmd, Document doc) {
        if (doc == null || !(cmd.get("fields") instanceof Document fields) || fields.isEmpty()) {
            return doc;
        }
        Document out = new Document();
        boolean include = fields.values().stream().anyMatch(v -> Boolean.TRUE.equals(v) || (v instanceof Number n && n.intValue() != 0));
        if (include) {
            if (!Integer.valueOf(0).equals(fields.get("_id")) && !Boolean.FALSE.equals(fields.get("_id"))) {
                out.putIfNotNull("_id", doc.get("_id"));
            }
            for (String k : fields.keySet()) {
                if (!k.equals("_id") && doc.containsKey(k) && !Integer.valueOf(0).equals(fields.get(k))) {
                    out.put(k, doc.get(k));
                }
            }
            return out;
        }
        out.putAll(doc);
        fields.keySet().forEach(out::remove);
        return out;
    }

    private Document upsert(Document query, List<?> pipeline) {
        Document seed = new Document();
        for (var e : query.entrySet()) {
            if (!e.getKey().startsWith("$") && !(e.getValue() instanceof Document d && hasOperator(d))) {
                seed.put(e.getKey(), e.getValue());
            }
        }
        Document doc = apply(pipeline, seed);
        if (!doc.containsKey("_id")) {
            Document withId = new Document("_id", new ObjectId());
            withId.putAll(doc);
            doc = withId;
        }
        var coll = namespaces.existing(ns);
        coll.addDocument(doc);
        return doc;
    }

    private static boolean hasOperator(Document d) {
        return d.keySet().stream().anyMatch(k -> k.startsWith("$"));
    }

    private void replace(Document before, Document after) {
        namespaces.existing(ns).updateDocuments(new Document("_id", before.get("_id")), new Document(after),
                de.bwaldvogel.mongo.backend.ArrayFilters.empty(), false, false, NoopOplog.get());
    }

    /**
     * The document after the pipeline's stages, run by mongo-java-server's aggregation, with what it
     * lacks done as mongod does it: {@code $set}/{@code $addFields} of a dotted path sets the field
     * inside the embedded document (creating it, and in each document of an array: manual,
     * "$addFields", "Adding Fields to an Embedded Document"), {@code $const} is {@code $literal},
     * and an output without {@code _id} keeps the document's own (PipelineExecutor::applyUpdate
     * replaces the document through ObjectReplaceExecutor, which keeps {@code _id}).
     */
    Document apply(List<?> pipeline, Document doc) {
        Document current = doc.cloneDeeply();
        for (Object o : pipeline) {
            if (!(o instanceof Document stage) || stage.size() != 1) {
                throw new ServerError(40323, "Location40323", "A pipeline stage specification object must contain exactly one field.");
            }
            String name = stage.keySet().iterator().next();
            Object spec = literalForConst(stage.get(name));
            current = switch (name) {
                case "$addFields", "$set" -> addFields(spec, current);
                case "$project", "$unset", "$replaceRoot" -> run(new Document(name, spec), current);
                case "$replaceWith" -> run(new Document("$replaceRoot", new Document("newRoot", spec)), current);
                default -> throw new ServerError(72, "InvalidOptions", name + " is not allowed to be used within an update");
            };
        }
        Document after = current;
        if (doc.containsKey("_id") && !after.containsKey("_id")) {
            after.put("_id", doc.get("_id"));
        }
        if (doc.containsKey("_id") && !LegacyDescription.same(doc.get("_id"), after.get("_id"))) {
            throw new ServerError(66, "ImmutableField", "After applying the update, the (immutable) field '_id' was found to have been altered to _id: " + after.get("_id"));
        }
        if (doc.containsKey("_id") && !"_id".equals(after.keySet().iterator().next())) {
            Document idFirst = new Document("_id", after.get("_id"));
            for (var e : after.entrySet()) {
                if (!e.getKey().equals("_id")) {
                    idFirst.put(e.getKey(), e.getValue());
                }
            }
            after = idFirst;
        }
        return after;
    }

    private Document run(Document stage, Document doc) {
        Aggregation aggregation = Aggregation.fromPipeline(List.of(stage), namespaces.backend()::resolveDatabase,
                namespaces.database(ns), namespaces.existing(ns), NoopOplog.get());
        List<Document> out = aggregation.runStages(java.util.stream.Stream.of(doc));
        if (out.size() != 1) {
            throw new ServerError(72, "InvalidOptions", "an update pipeline must give one document per document");
        }
        return out.get(0);
    }

    /** {@code $addFields}: each dotted path's value computed under a name of its own, then put at its path. */
    private Document addFields(Object spec, Document doc) {
        if (!(spec instanceof Document fields)) {
            throw new ServerError(40272, "Location40272", "$addFields specification stage must be an object, got " + spec);
        }
        Document plain = new Document();
        List<String> dotted = new ArrayList<>();
        for (var e : fields.entrySet()) {
            if (e.getKey().contains(".")) {
                plain.put(TEMP + dotted.size(), e.getValue());
                dotted.add(e.getKey());
            } else {
                plain.put(e.getKey(), e.getValue());
            }
        }
        Document computed = run(new Document("$addFields", plain), doc);
        if (dotted.isEmpty()) {
            return computed;
        }
        Document out = new Document();
        for (var e : computed.entrySet()) {
            if (!e.getKey().startsWith(TEMP)) {
                out.put(e.getKey(), e.getValue());
                continue;
            }
            String[] path = dotted.get(Integer.parseInt(e.getKey().substring(TEMP.length()))).split("\\.");
            setPath(out, path, 0, e.getValue());
        }
        return out;
    }

    private static final String TEMP = "__rewind_addFields_";

    /** Sets {@code path[i..]} in {@code doc}: in place if the field is there, else at the end; through each document of an array. */
    private static void setPath(Document doc, String[] path, int i, Object value) {
        String key = path[i];
        if (i == path.length - 1) {
            doc.put(key, value);
            return;
        }
        Object cur = doc.get(key);
        if (cur instanceof Document sub) {
            setPath(sub, path, i + 1, value);
        } else if (cur instanceof List<?> list) {
            List<Object> each = new ArrayList<>();
            for (Object element : list) {
                Document sub = element instanceof Document d ? d : new Document();
                setPath(sub, path, i + 1, value);
                each.add(sub);
            }
            doc.put(key, each);
        } else {
            Document sub = new Document();
            setPath(sub, path, i + 1, value);
            doc.put(key, sub);
        }
    }

    /** {@code {$const: v}} as {@code {$literal: v}}, which mongo-java-server knows (mongod's parser treats them alike). */
    private static Object literalForConst(Object spec) {
        if (spec instanceof Document d) {
            Document out = new Document();
            for (var e : d.entrySet()) {
                out.put(e.getKey().equals("$const") ? "$literal" : e.getKey(),
                        e.getKey().equals("$const") ? e.getValue() : literalForConst(e.getValue()));
            }
            return out;
        }
        if (spec instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(literalForConst(v)));
            return out;
        }
        return spec;
    }
}
