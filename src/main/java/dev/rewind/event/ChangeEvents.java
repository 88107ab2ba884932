package dev.rewind.event;

import com.mongodb.client.model.changestream.FullDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Makes {@link ChangeEvent}s from raw change stream documents, as MongoDB documents them in
 * the "Change Events" reference. Where an event falls short of that shape it is noted on the event
 * as a {@link Quirk}:
 * <ul>
 *   <li>no {@code ns} (only {@code invalidate} lacks one on a real server): the namespace of the
 *       collection-level stream is used;</li>
 *   <li>no {@code wallTime} (servers before 6.0): the wall time is null;</li>
 *   <li>an update's {@code fullDocument} on a stream that asked for none: dropped.</li>
 * </ul>
 * An update's {@code fullDocument} is an exact post-image only on a stream that asked for stored
 * images ({@code whenAvailable}, {@code required}); an {@code updateLookup} document is the document
 * when it was looked up, possibly later.
 */
public final class ChangeEvents {
    private static final Set<String> MODELED = Set.of("_id", "operationType", "clusterTime", "wallTime",
            "ns", "to", "documentKey", "fullDocument", "fullDocumentBeforeChange", "updateDescription",
            "lsid", "txnNumber");

    private ChangeEvents() {}

    /**
     * Normalizes an event from a stream opened with {@code fullDocument: updateLookup} (or
     * default): an update's {@code fullDocument} is taken as inexact.
     */
    public static ChangeEvent fromBson(BsonDocument event, Namespace fallbackNs) {
        return fromBson(event, fallbackNs, FullDocument.UPDATE_LOOKUP);
    }

    /**
     * Normalizes an event.
     *
     * @param event the raw change stream document
     * @param fallbackNs the namespace of the collection-level stream that delivered it, used when the
     *     event has no {@code ns}; may be null for a database- or deployment-wide stream
     * @param mode the stream's {@code fullDocument} option: with {@code whenAvailable} or
     *     {@code required} an update's {@code fullDocument} is the stored post-image, exact
     * @throws MalformedEventException when a required field is missing or has the wrong type
     */
    public static ChangeEvent fromBson(BsonDocument event, Namespace fallbackNs, FullDocument mode) {
        String type = Fields.string(event, "operationType", "event");
        if (type == null) {
            throw new MalformedEventException("event without operationType: " + abbreviate(event));
        }
        Operation operation = Operation.fromTypeName(type);
        Set<Quirk> quirks = EnumSet.noneOf(Quirk.class);

        BsonValue time = event.get("clusterTime");
        if (time == null || !time.isTimestamp()) {
            throw new MalformedEventException(type + " event without a clusterTime timestamp: " + abbreviate(event));
        }
        ClusterTime clusterTime = ClusterTime.fromBson(time.asTimestamp());

        Instant wallTime = null;
        BsonValue wall = event.get("wallTime");
        if (wall != null && wall.isDateTime()) {
            wallTime = Instant.ofEpochMilli(wall.asDateTime().getValue());
        } else {
            quirks.add(Quirk.NO_WALL_TIME);
        }

        Namespace ns = namespace(Fields.document(event, "ns", "event"), "ns");
        if (ns == null && operation != Operation.INVALIDATE && fallbackNs != null) {
            ns = fallbackNs;
            quirks.add(Quirk.NO_NAMESPACE);
        }
        if (ns == null && (operation.isDocumentLevel() || operation.isNamespaceLevel())) {
            throw new MalformedEventException(type + " event without ns and no stream namespace to fall back on");
        }
        Namespace to = namespace(Fields.document(event, "to", "event"), "to");
        if (operation == Operation.RENAME && (to == null || to.isDatabase())) {
            throw new MalformedEventException("rename event without a 'to' collection: " + abbreviate(event));
        }

        BsonDocument documentKey = Fields.document(event, "documentKey", "event");
        BsonDocument fullDocument = Fields.document(event, "fullDocument", "event");
        BsonDocument before = Fields.document(event, "fullDocumentBeforeChange", "event");
        BsonDocument descriptionBson = Fields.document(event, "updateDescription", "event");
        UpdateDescription description = descriptionBson == null ? null : UpdateDescription.fromBson(descriptionBson);

        if (operation == Operation.UPDATE && fullDocument != null && mode == FullDocument.DEFAULT) {
            // a server sends no post-image on a stream that asked for none; one that came anyway is not trusted
            quirks.add(Quirk.BOGUS_FULL_DOCUMENT);
            fullDocument = null;
        }
        if (operation.isDocumentLevel()) {
            documentKey = keyWithId(documentKey, fullDocument, before);
        }
        if ((operation == Operation.REPLACE || operation == Operation.INSERT)
                && fullDocument != null && documentKey != null) {
            fullDocument = idFirst(fullDocument, documentKey.get("_id"));
        }

        boolean exact = fullDocument != null && switch (operation) {
            case INSERT, REPLACE -> true;
            case UPDATE -> mode == FullDocument.WHEN_AVAILABLE || mode == FullDocument.REQUIRED;
            default -> false;
        };

        BsonDocument extra = new BsonDocument();
        for (var entry : event.entrySet()) {
            if (!MODELED.contains(entry.getKey())) {
                extra.put(entry.getKey(), entry.getValue());
            }
        }

        String normalizedType = operation == Operation.OTHER ? type : operation.typeName();
        return new ChangeEvent(operation, normalizedType, clusterTime, wallTime, ns, to, documentKey,
                fullDocument, before, description, exact, txn(event), Fields.document(event, "_id", "event"),
                extra, quirks, event);
    }

    static Namespace namespace(BsonDocument ns, String field) {
        if (ns == null) {
            return null;
        }
        String db = Fields.string(ns, "db", field);
        if (db == null) {
            throw new MalformedEventException(field + " without db: " + ns.toJson());
        }
        return new Namespace(db, Fields.string(ns, "coll", field));
    }

    private static TxnId txn(BsonDocument event) {
        BsonDocument lsid = Fields.document(event, "lsid", "event");
        BsonValue number = event.get("txnNumber");
        if (lsid == null || number == null || !number.isNumber()) {
            return null;
        }
        return new TxnId(lsid, number.asNumber().longValue());
    }

    private static boolean hasOperatorKey(BsonDocument doc) {
        return doc.keySet().stream().anyMatch(key -> key.startsWith("$"));
    }

    /** The key with an {@code _id}: as sent, or from the post-image or pre-image when the key lacks it. */
    private static BsonDocument keyWithId(BsonDocument key, BsonDocument after, BsonDocument before) {
        if (key != null && key.containsKey("_id")) {
            return idFirst(key, key.get("_id"));
        }
        BsonValue id = after != null && after.containsKey("_id") ? after.get("_id")
                : before != null && before.containsKey("_id") ? before.get("_id") : null;
        if (id == null) {
            return null;
        }
        BsonDocument withId = new BsonDocument("_id", id);
        if (key != null && !hasOperatorKey(key)) {
            key.forEach(withId::put);
        }
        return withId;
    }

    /** The document with {@code _id} as its first field, as MongoDB stores it. */
    static BsonDocument idFirst(BsonDocument doc, BsonValue id) {
        if (id == null || (!doc.isEmpty() && "_id".equals(doc.getFirstKey()))) {
            return doc;
        }
        BsonDocument ordered = new BsonDocument("_id", doc.containsKey("_id") ? doc.get("_id") : id);
        for (var entry : doc.entrySet()) {
            if (!entry.getKey().equals("_id")) {
                ordered.put(entry.getKey(), entry.getValue());
            }
        }
        return ordered;
    }

    private static String abbreviate(BsonDocument doc) {
        String json = doc.toJson();
        return json.length() <= 300 ? json : json.substring(0, 300) + "...";
    }
}
