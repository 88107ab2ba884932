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

    /** The document after the pipeline's stages. */
    Document apply(List<?> pipeline, Document doc) {
        List<Document> stages = new ArrayList<>();
        for (Object o : pipeline) {
            if (!(o instanceof Document stage) || stage.size() != 1) {
                throw new ServerError(40323, "Location40323", "A pipeline stage specification object must contain exactly one field.");
            }
            String name = stage.keySet().iterator().next();
            Object spec = stage.get(name);
            switch (name) {
                case "$addFields", "$set" -> stages.add(new Document("$addFields", spec));
                case "$project", "$unset", "$replaceRoot" -> stages.add(stage);
                case "$replaceWith" -> stages.add(new Document("$replaceRoot", new Document("newRoot", spec)));
                default -> throw new ServerError(72, "InvalidOptions", name + " is not allowed to be used within an update");
            }
        }
        Aggregation aggregation = Aggregation.fromPipeline(stages, namespaces.backend()::resolveDatabase,
                namespaces.database(ns), namespaces.existing(ns), NoopOplog.get());
        List<Document> out = aggregation.runStages(java.util.stream.Stream.of(doc.cloneDeeply()));
        if (out.size() != 1) {
            throw new ServerError(72, "InvalidOptions", "an update pipeline must give one document per document");
        }
        Document after = out.get(0);
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
}
