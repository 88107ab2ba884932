package dev.rewind.event;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * The compact stored form of a {@link ChangeEvent}, one BSON document per event in a segment.
 * Short field names, absent fields left out:
 * <pre>
 * { v: 1,                       format version; a reader refuses another
 *   op: "update",               operationType as sent
 *   t: Timestamp(s, i),         cluster time
 *   w: Date,                    wall time
 *   ns: "db.coll", to: "db.coll" (namespaces; a database alone is "db")
 *   key: {_id: ...},            document key
 *   post: {...}, exact: true,   post-image, and whether it is exact
 *   pre: {...},                 pre-image
 *   upd: {updatedFields, removedFields, truncatedArrays, disambiguatedPaths}
 *   lsid: {...}, txn: 7,        transaction
 *   token: {_data: ...},        resume token
 *   x: {...},                   the event's unmodeled fields (collectionUUID, operationDescription...)
 *   q: ["NO_WALL_TIME", ...] }  quirks
 * </pre>
 * Everything but the raw event round-trips: {@code read(write(e)).equals(e.withoutRaw())}.
 */
public final class EventFormat {
    public static final int VERSION = 1;

    private EventFormat() {}

    public static BsonDocument write(ChangeEvent event) {
        BsonDocument doc = new BsonDocument("v", new BsonInt32(VERSION))
                .append("op", new BsonString(event.operationType()))
                .append("t", event.clusterTime().toBson());
        if (event.wallTime() != null) {
            doc.put("w", new BsonDateTime(event.wallTime().toEpochMilli()));
        }
        if (event.ns() != null) {
            doc.put("ns", new BsonString(event.ns().toString()));
        }
        if (event.to() != null) {
            doc.put("to", new BsonString(event.to().toString()));
        }
        putIfPresent(doc, "key", event.documentKey());
        putIfPresent(doc, "post", event.fullDocument());
        if (event.postImageExact()) {
            doc.put("exact", BsonBoolean.TRUE);
        }
        putIfPresent(doc, "pre", event.fullDocumentBeforeChange());
        if (event.updateDescription() != null) {
            doc.put("upd", event.updateDescription().toBson());
        }
        if (event.txn() != null) {
            doc.put("lsid", event.txn().lsid());
            doc.put("txn", new BsonInt64(event.txn().txnNumber()));
        }
        putIfPresent(doc, "token", event.resumeToken());
        if (!event.extra().isEmpty()) {
            doc.put("x", event.extra());
        }
        if (!event.quirks().isEmpty()) {
            BsonArray quirks = new BsonArray();
            EnumSet.copyOf(event.quirks()).forEach(q -> quirks.add(new BsonString(q.name())));
            doc.put("q", quirks);
        }
        return doc;
    }

    /** @throws MalformedEventException when the document is not a stored event of a known version */
    public static ChangeEvent read(BsonDocument stored) {
        BsonDocument doc = stored instanceof org.bson.RawBsonDocument raw ? Fields.topLevel(raw) : stored;
        BsonValue version = doc.get("v");
        if (version == null || !version.isNumber() || version.asNumber().intValue() != VERSION) {
            throw new MalformedEventException("stored event of unknown format version "
                    + (version == null ? "(none)" : version.isNumber() ? version.asNumber().intValue() : version)
                    + "; this reader knows version " + VERSION);
        }
        String type = Fields.string(doc, "op", "stored event");
        BsonValue time = doc.get("t");
        if (type == null || time == null || !time.isTimestamp()) {
            throw new MalformedEventException("stored event without op or t: " + doc.toJson());
        }
        BsonValue wall = doc.get("w");
        Instant wallTime = wall != null && wall.isDateTime() ? Instant.ofEpochMilli(wall.asDateTime().getValue()) : null;
        String ns = Fields.string(doc, "ns", "stored event");
        String to = Fields.string(doc, "to", "stored event");
        BsonDocument upd = Fields.document(doc, "upd", "stored event");
        BsonDocument lsid = Fields.document(doc, "lsid", "stored event");
        BsonValue txn = doc.get("txn");
        BsonValue exact = doc.get("exact");
        Set<Quirk> quirks = EnumSet.noneOf(Quirk.class);
        BsonArray storedQuirks = Fields.array(doc, "q", "stored event");
        if (storedQuirks != null) {
            for (BsonValue quirk : storedQuirks) {
                try {
                    quirks.add(Quirk.valueOf(quirk.asString().getValue()));
                } catch (IllegalArgumentException | org.bson.BsonInvalidOperationException unknown) {
                    // a quirk named by a newer writer says nothing this reader acts on
                }
            }
        }
        return new ChangeEvent(
                Operation.fromTypeName(type), type,
                ClusterTime.fromBson(time.asTimestamp()), wallTime,
                ns == null ? null : Namespace.parse(ns),
                to == null ? null : Namespace.parse(to),
                Fields.document(doc, "key", "stored event"),
                Fields.document(doc, "post", "stored event"),
                Fields.document(doc, "pre", "stored event"),
                upd == null ? null : UpdateDescription.fromBson(upd),
                exact != null && exact.isBoolean() && exact.asBoolean().getValue(),
                lsid == null || txn == null || !txn.isNumber() ? null : new TxnId(lsid, txn.asNumber().longValue()),
                Fields.document(doc, "token", "stored event"),
                Fields.document(doc, "x", "stored event"),
                quirks,
                null);
    }

    private static void putIfPresent(BsonDocument doc, String key, BsonDocument value) {
        if (value != null) {
            doc.put(key, value);
        }
    }
}
