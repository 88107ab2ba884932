package dev.rewind.sandbox;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the sandbox's change events into MongoDB's documented shape (6.0+, collection with
 * {@code changeStreamPreAndPostImages}), from the images in {@link ChangeImages}.
 *
 * <p>mongo-java-server emits every update and replace as {@code operationType: "update"} with the
 * update spec (or replacement) in {@code documentKey} and no {@code updateDescription}. Here each
 * such event becomes:
 * <pre>
 * update:  {_id, operationType: "update", clusterTime, documentKey: {_id},
 *           updateDescription: {updatedFields, removedFields, truncatedArrays: []},
 *           fullDocument?, fullDocumentBeforeChange?}
 * replace: {_id, operationType: "replace", clusterTime, documentKey: {_id},
 *           fullDocument, fullDocumentBeforeChange?}
 * </pre>
 * {@code fullDocument} on updates: absent by default; {@code updateLookup} reads the document now
 * (null if gone), as MongoDB does; {@code whenAvailable}/{@code required} give the post-image
 * recorded at write time. {@code fullDocumentBeforeChange} ({@code whenAvailable}/{@code
 * required}) gives the pre-image on update, replace and delete events. Resume tokens ({@code _id})
 * and {@code clusterTime} are kept. Inserts, drops and the rest pass through unchanged.
 */
final class UpdateEventShaper {
    /** MongoDB's error when a change stream needs history that is gone (oplog rolled over). */
    static final int CHANGE_STREAM_HISTORY_LOST = 286;
    /** MongoDB's error for {@code required} images that are not available. */
    static final int NO_MATCHING_DOCUMENT = 47;

    private static final Set<String> FULL_DOCUMENT = Set.of("default", "updateLookup", "whenAvailable", "required");
    private static final Set<String> BEFORE_CHANGE = Set.of("off", "whenAvailable", "required");

    /** The {@code fullDocument} and {@code fullDocumentBeforeChange} options a stream was opened with. */
    record Options(String fullDocument, String fullDocumentBeforeChange) {
        /**
         * Reads the options from a {@code $changeStream} stage and removes them from it, so that the
         * backend neither looks documents up (we do) nor sees options it does not know.
         */
        static Options takeFrom(Document stage) {
            Object full = stage.remove("fullDocument");
            Object before = stage.remove("fullDocumentBeforeChange");
            Options options = new Options(full == null ? "default" : full.toString(),
                before == null ? "off" : before.toString());
            if (!FULL_DOCUMENT.contains(options.fullDocument)) {
                throw new MongoServerError(2, "BadValue", "unknown fullDocument: " + options.fullDocument);
            }
            if (!BEFORE_CHANGE.contains(options.fullDocumentBeforeChange)) {
                throw new MongoServerError(2, "BadValue",
                    "unknown fullDocumentBeforeChange: " + options.fullDocumentBeforeChange);
            }
            return options;
        }

        boolean postImages() { return fullDocument.equals("whenAvailable") || fullDocument.equals("required"); }

        boolean preImages() { return !fullDocumentBeforeChange.equals("off"); }
    }

    private final ChangeImages images;
    private final MongoBackend backend;

    UpdateEventShaper(ChangeImages images, MongoBackend backend) {
        this.images = images;
        this.backend = backend;
    }

    /** The batch with its update, replace and delete events in MongoDB's shape. */
    List<Document> reshape(List<?> batch, Options options) {
        List<Document> out = new ArrayList<>(batch.size());
        for (Object item : batch) {
            Document event = (Document) item;
            out.add(switch (String.valueOf(event.get("operationType"))) {
                case "update" -> update(event, options);
                case "delete" -> delete(event, options);
                default -> event;
            });
        }
        return out;
    }

    private Document update(Document event, Options options) {
        BsonTimestamp ts = (BsonTimestamp) event.get("clusterTime");
        ChangeImages.Images written = images.get(ts);
        if (written == null) {
            throw new MongoServerError(CHANGE_STREAM_HISTORY_LOST, "ChangeStreamHistoryLost",
                "the sandbox no longer holds the pre- and post-image of the update at " + ts
                    + " (images are kept in memory, for the most recent writes only)");
        }
        Document before = written.beforeDocument();
        Document after = written.afterDocument();
        boolean replace = written.kind() == ChangeImages.Kind.REPLACE;
        Document shaped = new Document("_id", event.get("_id"))
            .append("operationType", replace ? "replace" : "update")
            .append("clusterTime", ts)
            .append("documentKey", new Document("_id", before.get("_id")));
        if (!replace) {
            shaped.append("updateDescription", UpdateDescription.between(before, after));
        }
        if (replace || options.postImages()) {
            shaped.append("fullDocument", after);
        } else if (options.fullDocument().equals("updateLookup")) {
            shaped.append("fullDocument", lookUp(written.namespace(), before.get("_id")));
        }
        if (options.preImages()) {
            shaped.append("fullDocumentBeforeChange", before);
        }
        return shaped;
    }

    private Document delete(Document event, Options options) {
        if (!options.preImages()) {
            return event;
        }
        ChangeImages.Images written = images.get((BsonTimestamp) event.get("clusterTime"));
        if (written == null && options.fullDocumentBeforeChange().equals("required")) {
            throw new MongoServerError(NO_MATCHING_DOCUMENT, "NoMatchingDocument",
                "change stream requires pre-images, but the sandbox no longer holds the one for the delete at "
                    + event.get("clusterTime"));
        }
        Document shaped = new Document(event);
        shaped.put("fullDocumentBeforeChange", written == null ? null : written.beforeDocument());
        return shaped;
    }

    /** The document as it is now, as MongoDB's {@code updateLookup} returns it (null if gone). */
    private Document lookUp(String namespace, Object id) {
        int dot = namespace.indexOf('.');
        MongoDatabase database = backend.resolveDatabase(namespace.substring(0, dot));
        MongoCollection<?> collection = database.resolveCollection(namespace.substring(dot + 1), false);
        if (collection == null) {
            return null;
        }
        for (Document document : collection.handleQuery(new Document("_id", id))) {
            return document;
        }
        return null;
    }
}
