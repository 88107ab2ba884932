package dev.rewind.sandbox.stream;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.ServerError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A change stream's request, checked as mongod checks it: the {@code $changeStream} stage's options
 * (MongoDB manual, "$changeStream"), the stages after it, and the scope. An option the sandbox does
 * not implement is an error naming it.
 */
public record StreamSpec(Scope scope, String fullDocument, String fullDocumentBeforeChange, boolean expanded,
                         ResumeToken resumeAfter, ResumeToken startAfter, BsonTimestamp startAtOperationTime,
                         List<Document> stages, boolean split) {

    private static final Set<String> OPTIONS = Set.of("fullDocument", "fullDocumentBeforeChange", "resumeAfter",
            "startAfter", "startAtOperationTime", "showExpandedEvents", "allChangesForCluster", "allowToRunOnConfigDB",
            "showSystemEvents", "showRawUpdateDescription");
    private static final Set<String> STAGES = Set.of("$match", "$project", "$addFields", "$set", "$unset",
            "$replaceRoot", "$replaceWith", "$redact", "$changeStreamSplitLargeEvent");

    public static StreamSpec parse(String db, Object collection, List<?> pipeline, MongoRelease release) {
        Document stage = (Document) ((Document) pipeline.get(0)).get("$changeStream");
        if (stage == null) {
            throw ServerError.typeMismatch("the $changeStream stage must be an object");
        }
        for (String key : stage.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new ServerError(40415, "IDLUnknownField", "BSON field '$changeStream." + key + "' is an unknown field.");
            }
        }
        if (Boolean.TRUE.equals(stage.get("showSystemEvents")) || Boolean.TRUE.equals(stage.get("showRawUpdateDescription"))) {
            throw ServerError.notSupported("the internal $changeStream options showSystemEvents and showRawUpdateDescription");
        }
        boolean cluster = Boolean.TRUE.equals(stage.get("allChangesForCluster"));
        Scope scope;
        if (cluster) {
            if (!db.equals("admin") || !(collection instanceof Number)) {
                throw new ServerError(72, "InvalidOptions", "A $changeStream with 'allChangesForCluster:true' may only be "
                        + "opened on the 'admin' database, and with no collection name");
            }
            scope = Scope.cluster();
        } else {
            if (Scope.internalDb(db)) {
                throw new ServerError(73, "InvalidNamespace", "$changeStream may not be opened on the internal " + db + " database");
            }
            if (collection instanceof String c) {
                if (c.startsWith("system.")) {
                    throw new ServerError(73, "InvalidNamespace", "$changeStream may not be opened on the internal "
                            + db + "." + c + " collection");
                }
                scope = new Scope(db, c);
            } else {
                scope = new Scope(db, null);
            }
        }
        String full = text(stage, "fullDocument", "default");
        if (!Set.of("default", "updateLookup", "whenAvailable", "required").contains(full)) {
            throw new ServerError(2, "BadValue", "Enumeration value '" + full + "' for field '$changeStream.fullDocument' is not a valid value.");
        }
        String before = text(stage, "fullDocumentBeforeChange", "off");
        if (!Set.of("off", "whenAvailable", "required").contains(before)) {
            throw new ServerError(2, "BadValue", "Enumeration value '" + before
                    + "' for field '$changeStream.fullDocumentBeforeChange' is not a valid value.");
        }
        ResumeToken resume = stage.get("resumeAfter") == null ? null : ResumeToken.parse(stage.get("resumeAfter"));
        ResumeToken after = stage.get("startAfter") == null ? null : ResumeToken.parse(stage.get("startAfter"));
        Object at = stage.get("startAtOperationTime");
        if (resume != null && after != null) {
            throw new ServerError(50865, "Location50865", "Do not specify both 'resumeAfter' and 'startAfter' in a $changeStream stage");
        }
        if (at != null && (resume != null || after != null)) {
            throw new ServerError(40674, "Location40674", "Only one type of resume option is allowed, but multiple were found.");
        }
        if (at != null && !(at instanceof BsonTimestamp)) {
            throw ServerError.typeMismatch("startAtOperationTime must be a timestamp");
        }
        if (resume != null && resume.fromInvalidate()) {
            throw new ServerError(260, "InvalidResumeToken", "Attempting to resume a change stream using 'resumeAfter' is not "
                    + "allowed from an invalidate notification.");
        }
        List<Document> stages = new ArrayList<>();
        boolean split = false;
        for (int i = 1; i < pipeline.size(); i++) {
            Document s = (Document) pipeline.get(i);
            String name = s.keySet().iterator().next();
            if (!STAGES.contains(name)) {
                throw new ServerError(ErrorCodes.STAGE_NOT_PERMITTED, "Location" + ErrorCodes.STAGE_NOT_PERMITTED,
                        "Stage not permitted in $changeStream pipeline: " + name);
            }
            if (name.equals("$changeStreamSplitLargeEvent")) {
                if (!release.splitLargeEvent()) {
                    throw new ServerError(40324, "Location40324", "Unrecognized pipeline stage name: '$changeStreamSplitLargeEvent'");
                }
                if (!(s.get(name) instanceof Document spec) || !spec.isEmpty()) {
                    throw new ServerError(7182800, "Location7182800", "$changeStreamSplitLargeEvent spec should be an empty object");
                }
                if (i != pipeline.size() - 1) {
                    throw new ServerError(7182802, "Location7182802", "$changeStreamSplitLargeEvent must be the last stage in the pipeline");
                }
                split = true;
                continue;
            }
            stages.add(switch (name) {
                case "$set" -> new Document("$addFields", s.get(name));
                case "$replaceWith" -> new Document("$replaceRoot", new Document("newRoot", s.get(name)));
                default -> s;
            });
        }
        return new StreamSpec(scope, full, before, Boolean.TRUE.equals(stage.get("showExpandedEvents")), resume, after,
                (BsonTimestamp) at, stages, split);
    }

    private static String text(Document stage, String key, String dflt) {
        Object v = stage.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof String s)) {
            throw ServerError.typeMismatch("BSON field '$changeStream." + key + "' is the wrong type, expected type 'string'");
        }
        return s;
    }

    boolean postImages() {
        return fullDocument.equals("whenAvailable") || fullDocument.equals("required");
    }

    boolean preImages() {
        return !fullDocumentBeforeChange.equals("off");
    }

    /** Error codes that have no name of their own in mongod. */
    static final class ErrorCodes {
        static final int STAGE_NOT_PERMITTED = 31324;

        private ErrorCodes() { }
    }
}
