package dev.rewind.sandbox.stream;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.Bson;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.ServerError;
import dev.rewind.sandbox.oplog.Op;
import dev.rewind.sandbox.oplog.OplogEntry;
import java.util.function.BiFunction;

/**
 * Makes the change event of one oplog change for one stream, with the fields, in the order, that
 * mongod's change stream transformation gives it (src/mongo/db/pipeline/change_stream_event_transform.cpp;
 * MongoDB manual, "Change Events"): {@code _id} (the resume token), {@code operationType},
 * {@code clusterTime} (a transaction's commit time for every event of it), {@code collectionUUID}
 * (expanded events), {@code wallTime}, {@code fullDocument}, {@code ns}, {@code documentKey},
 * {@code operationDescription} (expanded), {@code updateDescription}, {@code stateBeforeChange},
 * then {@code fullDocumentBeforeChange}; a rename's {@code to} and a transaction's {@code txnNumber}
 * and {@code lsid} come first.
 */
final class EventBuilder {
    private final StreamSpec spec;
    private final MongoRelease release;
    private final BiFunction<String, Object, Document> lookup;

    /** @param lookup the current document of a namespace by {@code _id} (for {@code updateLookup}), or null */
    EventBuilder(StreamSpec spec, MongoRelease release, BiFunction<String, Object, Document> lookup) {
        this.spec = spec;
        this.release = release;
        this.lookup = lookup;
    }

    int tokenVersion() {
        return release == MongoRelease.V6_0 && !spec.split() ? 1 : 2;
    }

    /** Whether the stream shows this kind of change at all (DDL only under {@code showExpandedEvents}). */
    boolean shows(Op op) {
        return switch (op.kind()) {
            case INSERT, UPDATE, REPLACE, DELETE, RENAME, DROP_DATABASE -> true;
            // a view's (or time-series collection's) drop comes from system.views: an expanded event
            case DROP -> op.uuid() != null || (spec.expanded() && !spec.scope().isCollection());
            case CREATE -> spec.expanded() && (op.uuid() != null || !spec.scope().isCollection());
            case CREATE_INDEXES, DROP_INDEXES, MODIFY -> spec.expanded();
        };
    }

    ResumeToken token(OplogEntry entry, long txnOpIndex, Op op) {
        return ResumeToken.event(entry.commitTs(), tokenVersion(), txnOpIndex, false, op.uuid());
    }

    Document event(OplogEntry entry, Op op, ResumeToken token) {
        Document e = new Document();
        if (op.kind() == Op.Kind.RENAME) {
            e.put("to", nsDocument(op.to()));
        }
        if (entry.inTransaction()) {
            e.put("txnNumber", entry.txnNumber());
            e.put("lsid", entry.lsid());
        }
        e.put("_id", token.toDocument());
        e.put("operationType", op.kind().operationType());
        e.put("clusterTime", entry.commitTs());
        if (spec.expanded() && op.uuid() != null) {
            e.put("collectionUUID", op.uuid());
        }
        e.put("wallTime", entry.wall());
        switch (op.kind()) {
            case INSERT, REPLACE -> e.put("fullDocument", Bson.decode(op.document()));
            case UPDATE -> {
                switch (spec.fullDocument()) {
                    case "updateLookup" -> e.put("fullDocument", lookup == null ? null : lookup.apply(op.ns(), op.key()));
                    case "whenAvailable" -> e.put("fullDocument", op.document() == null ? null : Bson.decode(op.document()));
                    case "required" -> {
                        if (op.document() == null) {
                            throw new ServerError(47, "NoMatchingDocument", "Change stream was configured to require a "
                                    + "post-image for all update events, but the post-image was not found for event: "
                                    + token.toDocument());
                        }
                        e.put("fullDocument", Bson.decode(op.document()));
                    }
                    default -> { }
                }
            }
            default -> { }
        }
        e.put("ns", op.kind() == Op.Kind.DROP_DATABASE ? new Document("db", op.db()) : nsDocument(op.ns()));
        if (op.kind().isDocument()) {
            e.put("documentKey", new Document("_id", op.key()));
        }
        if (spec.expanded() && op.description() != null && op.kind() != Op.Kind.UPDATE) {
            Document description = new Document(op.description());
            description.remove("$stateBeforeChange");
            e.put("operationDescription", description);
        }
        if (op.kind() == Op.Kind.UPDATE) {
            Document description = new Document(op.description());
            Object paths = description.remove("disambiguatedPaths");
            if (spec.expanded() && release.disambiguatedPaths()) {
                description.put("disambiguatedPaths", paths == null ? new Document() : paths);
            }
            e.put("updateDescription", description);
        }
        if (op.kind() == Op.Kind.MODIFY && spec.expanded() && op.description() != null
                && op.description().get("$stateBeforeChange") instanceof Document before) {
            e.put("stateBeforeChange", before);
        }
        if (spec.preImages() && (op.kind() == Op.Kind.UPDATE || op.kind() == Op.Kind.REPLACE || op.kind() == Op.Kind.DELETE)) {
            if (op.preImage() == null && spec.fullDocumentBeforeChange().equals("required")) {
                throw new ServerError(47, "NoMatchingDocument", "Change stream was configured to require a pre-image for "
                        + "all update, delete and replace events, but the pre-image was not found for event: " + token.toDocument());
            }
            e.put("fullDocumentBeforeChange", op.preImage() == null ? null : Bson.decode(op.preImage()));
        }
        return e;
    }

    Document invalidate(OplogEntry entry, long txnOpIndex, Op op) {
        ResumeToken token = ResumeToken.event(entry.commitTs(), tokenVersion(), txnOpIndex, true, op.uuid());
        return new Document("_id", token.toDocument()).append("operationType", "invalidate")
                .append("clusterTime", entry.commitTs()).append("wallTime", entry.wall());
    }

    static Document nsDocument(String ns) {
        int dot = ns.indexOf('.');
        return new Document("db", ns.substring(0, dot)).append("coll", ns.substring(dot + 1));
    }
}
