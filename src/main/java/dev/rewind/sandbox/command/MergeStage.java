package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An aggregation whose last stage is {@code $merge}, read from its command (manual, "$merge": into,
 * on, whenMatched, whenNotMatched), and the write mongod makes for each result. {@code on} defaults
 * to {@code _id}; other fields need a unique index on exactly them. A pipeline for
 * {@code whenMatched} and {@code let} are refused.
 */
record MergeStage(List<Object> before, String db, String coll, List<String> on, String whenMatched, String whenNotMatched) {
    private static final Set<String> COMBINATIONS = Set.of("replace/insert", "replace/fail", "replace/discard", "merge/insert",
            "merge/fail", "merge/discard", "keepExisting/insert", "fail/insert");

    static MergeStage of(String db, Document cmd) {
        List<?> pipeline = (List<?>) cmd.get("pipeline");
        Object spec = WritingStages.finalStage(pipeline, "$merge");
        Document options = spec instanceof Document d ? d : new Document("into", spec);
        for (String key : options.keySet()) {
            if (!Set.of("into", "on", "whenMatched", "whenNotMatched", "let").contains(key)) {
                throw new ServerError(40415, "Location40415", "BSON field '$merge." + key + "' is an unknown field.");
            }
        }
        if (options.containsKey("let")) {
            throw ServerError.notSupported("$merge with let");
        }
        String outDb = db;
        String outColl;
        if (options.get("into") instanceof String s) {
            outColl = s;
        } else if (options.get("into") instanceof Document into && into.get("coll") instanceof String c) {
            outDb = into.get("db") instanceof String s ? s : db;
            outColl = c;
        } else {
            throw new ServerError(51178, "Location51178", "$merge 'into' field must be either a string or an object, but found "
                    + options.get("into"));
        }
        List<String> on = new ArrayList<>();
        if (options.get("on") instanceof String s) {
            on.add(s);
        } else if (options.get("on") instanceof List<?> list) {
            list.forEach(f -> on.add(String.valueOf(f)));
        } else if (options.get("on") == null) {
            on.add("_id");
        } else {
            throw new ServerError(51186, "Location51186", "$merge 'on' field must be either a string or an array of strings");
        }
        if (on.stream().anyMatch(f -> f.contains("."))) {
            throw ServerError.notSupported("$merge 'on' fields with a dotted path");
        }
        if (options.get("whenMatched") instanceof List<?>) {
            throw ServerError.notSupported("$merge with a pipeline for whenMatched");
        }
        String matched = options.get("whenMatched") instanceof String s ? s : "merge";
        String notMatched = options.get("whenNotMatched") instanceof String s ? s : "insert";
        if (!Set.of("replace", "keepExisting", "merge", "fail").contains(matched)
                || !Set.of("insert", "discard", "fail").contains(notMatched)) {
            throw ServerError.badValue("$merge: whenMatched must be replace, keepExisting, merge, fail or a pipeline, and"
                    + " whenNotMatched insert, discard or fail");
        }
        if (!COMBINATIONS.contains(matched + "/" + notMatched)) {
            throw new ServerError(51181, "Location51181", "Combination of {whenMatched: " + matched + ", whenNotMatched: "
                    + notMatched + "} is not supported");
        }
        return new MergeStage(new ArrayList<>(pipeline.subList(0, pipeline.size() - 1)), outDb, outColl, List.copyOf(on),
                matched, notMatched);
    }

    String target() {
        return db + "." + coll;
    }

    boolean onId() {
        return on.equals(List.of("_id"));
    }

    /** The update statement for one result (every mode but {@code whenMatched: fail}, which is an insert). */
    Document statement(Document result) {
        Document q = new Document();
        Document rest = new Document(result);
        for (String f : on) {
            Object v = result.get(f);
            if (v == null || v instanceof List<?>) {
                throw new ServerError(51132, "Location51132", "$merge write error: 'on' field '" + f
                        + "' cannot be missing, null, undefined or an array");
            }
            q.put(f, v);
            rest.remove(f);
        }
        Object u = switch (whenMatched) {
            case "replace" -> result;
            case "keepExisting" -> new Document("$setOnInsert", rest);
            default -> new Document("$set", rest);
        };
        return new Document("q", q).append("u", u).append("upsert", whenNotMatched.equals("insert")).append("multi", false);
    }
}
