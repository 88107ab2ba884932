package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An aggregation whose last stage is {@code $out}, read from its command: the stages before it and
 * the collection it writes. mongod runs it in four steps (manual, "$out", "Replace Existing
 * Collection"): it creates a temporary collection {@code <db>.tmp.agg_out.<UUID>}, copies the
 * indexes of the existing collection to it, inserts the results into it, and renames it over the
 * target with {@code dropTarget: true}; a change stream sees the temporary collection's create,
 * index and insert events and then that rename (jstests/change_streams/metadata_notifications.js:
 * "$out will first create a temp collection, and then rename the temp collection to the target").
 */
record OutStage(List<Object> before, String db, String coll) {
    static OutStage of(String db, Document cmd) {
        List<?> pipeline = (List<?>) cmd.get("pipeline");
        Object spec = WritingStages.finalStage(pipeline, "$out");
        String outDb = db;
        String outColl;
        if (spec instanceof String s) {
            outColl = s;
        } else if (spec instanceof Document d && d.get("coll") instanceof String c) {
            if (d.containsKey("timeseries")) {
                throw ServerError.notSupported("$out to a time-series collection");
            }
            outDb = d.get("db") instanceof String s ? s : db;
            outColl = c;
        } else {
            throw new ServerError(16990, "Location16990", "$out only supports a string or object argument, not " + spec);
        }
        if (outColl.isEmpty() || outColl.startsWith("system.")) {
            throw new ServerError(73, "InvalidNamespace", "Invalid $out target namespace, " + outDb + "." + outColl);
        }
        return new OutStage(new ArrayList<>(pipeline.subList(0, pipeline.size() - 1)), outDb, outColl);
    }

    String target() {
        return db + "." + coll;
    }

    /** A fresh name for the temporary collection, in the target's database. */
    String temporary() {
        return "tmp.agg_out." + UUID.randomUUID();
    }
}
