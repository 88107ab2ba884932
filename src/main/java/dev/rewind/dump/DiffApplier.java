package dev.rewind.dump;

import dev.rewind.RewindException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * Applies an update's {@code $v: 2} delta, as the oplog holds it, to a document: mongod's
 * {@code doc_diff::applyDiff} (src/mongo/db/update/document_diff_applier.cpp). At a document level,
 * {@code d} removes fields, {@code u} sets a field in place (or, when the document has none, adds it
 * at the end), {@code i} removes a field and adds it at the end, {@code b} rewrites a binary value
 * from an offset, and {@code s<field>} applies a sub-delta to a sub-document or array ({@code a:
 * true}; {@code l} its new length, {@code u<i>} an element set, {@code s<i>} a sub-delta into one).
 * Where the document does not have the shape a delta expects, mongod writes null and leaves the
 * value to a later entry (oplog application is idempotent); so does this.
 */
final class DiffApplier {
    private DiffApplier() { }

    /** The document {@code pre} with {@code diff} applied; {@code pre} is not changed. */
    static BsonDocument apply(BsonDocument pre, BsonDocument diff) {
        return document(pre, diff);
    }

    private static BsonDocument document(BsonDocument pre, BsonDocument diff) {
        Map<String, Object> table = new HashMap<>();
        Map<String, BsonValue> updates = new LinkedHashMap<>();
        Map<String, BsonValue> inserts = new LinkedHashMap<>();
        for (Map.Entry<String, BsonValue> section : diff.entrySet()) {
            String key = section.getKey();
            BsonValue v = section.getValue();
            switch (key) {
                case "d" -> section(v, key).keySet().forEach(f -> put(table, f, Delete.INSTANCE));
                case "u" -> section(v, key).forEach((f, value) -> {
                    put(table, f, new Update(value));
                    updates.put(f, value);
                });
                case "i" -> section(v, key).forEach((f, value) -> {
                    put(table, f, Insert.INSTANCE);
                    inserts.put(f, value);
                });
                case "b" -> section(v, key).forEach((f, value) -> put(table, f, new Binary(binary(value))));
                default -> {
                    if (key.length() < 2 || key.charAt(0) != 's' || !v.isDocument()) {
                        throw unreadable("a delta's section '" + key + "'");
                    }
                    put(table, key.substring(1), new Sub(v.asDocument()));
                }
            }
        }
        BsonDocument out = new BsonDocument();
        Set<String> kept = new HashSet<>();
        for (Map.Entry<String, BsonValue> e : pre.entrySet()) {
            String field = e.getKey();
            Object mod = table.get(field);
            BsonValue value = e.getValue();
            if (mod == null) {
                out.put(field, value);
            } else if (mod instanceof Update u) {
                out.put(field, u.value());
                kept.add(field);
            } else if (mod instanceof Binary b) {
                out.put(field, b.applyTo(value));
            } else if (mod instanceof Sub s) {
                out.put(field, sub(value, s.diff()));
            }
            // Delete: left out; Insert: added at the end
        }
        // what is new goes at the end: the updates of fields the document lacked, then the inserts
        updates.forEach((field, value) -> {
            if (!kept.contains(field)) {
                out.put(field, value);
            }
        });
        inserts.forEach(out::put);
        return out;
    }

    /** A sub-delta applied to the value it names; null when the value is not of the delta's kind. */
    private static BsonValue sub(BsonValue value, BsonDocument diff) {
        boolean arrayDiff = isArrayDiff(diff);
        if (arrayDiff && value.isArray()) {
            return array(value.asArray(), diff);
        }
        if (!arrayDiff && value.isDocument()) {
            return document(value.asDocument(), diff);
        }
        return BsonNull.VALUE;
    }

    private static boolean isArrayDiff(BsonDocument diff) {
        BsonValue a = diff.get("a");
        return a != null && a.isBoolean() && a.asBoolean().getValue();
    }

    private static BsonArray array(BsonArray pre, BsonDocument diff) {
        Integer resize = null;
        java.util.TreeMap<Integer, BsonValue> updates = new java.util.TreeMap<>();
        java.util.TreeMap<Integer, BsonDocument> subs = new java.util.TreeMap<>();
        for (Map.Entry<String, BsonValue> e : diff.entrySet()) {
            String key = e.getKey();
            if (key.equals("a")) {
                continue;
            }
            if (key.equals("l")) {
                if (!e.getValue().isNumber()) {
                    throw unreadable("an array delta's length");
                }
                resize = e.getValue().asNumber().intValue();
                continue;
            }
            int index = index(key);
            if (key.charAt(0) == 'u') {
                updates.put(index, e.getValue());
            } else if (key.charAt(0) == 's' && e.getValue().isDocument()) {
                subs.put(index, e.getValue().asDocument());
            } else {
                throw unreadable("an array delta's entry '" + key + "'");
            }
        }
        int last = Math.max(updates.isEmpty() ? -1 : updates.lastKey(), subs.isEmpty() ? -1 : subs.lastKey());
        int size = resize != null ? resize : Math.max(pre.size(), last + 1);
        if (resize != null && last >= resize) {
            throw unreadable("an array delta that writes past its own length");
        }
        BsonArray out = new BsonArray();
        for (int i = 0; i < size; i++) {
            BsonValue before = i < pre.size() ? pre.get(i) : null;
            if (updates.containsKey(i)) {
                out.add(updates.get(i));
            } else if (subs.containsKey(i)) {
                out.add(before == null ? BsonNull.VALUE : sub(before, subs.get(i)));
            } else {
                out.add(before == null ? BsonNull.VALUE : before);   // null pads a pre-image too short
            }
        }
        return out;
    }

    private static int index(String key) {
        try {
            int i = Integer.parseInt(key.substring(1));
            if (i >= 0 && key.substring(1).equals(Integer.toString(i))) {
                return i;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw unreadable("an array delta's entry '" + key + "'");
    }

    private static BsonDocument section(BsonValue v, String name) {
        if (!v.isDocument()) {
            throw unreadable("a delta's section '" + name + "'");
        }
        return v.asDocument();
    }

    private static void put(Map<String, Object> table, String field, Object mod) {
        if (table.put(field, mod) != null) {
            throw unreadable("a delta naming the field '" + field + "' twice");
        }
    }

    private static BsonDocument binary(BsonValue v) {
        if (!v.isDocument() || !v.asDocument().isNumber("o") || !v.asDocument().isBinary("d")) {
            throw unreadable("a delta's binary section");
        }
        return v.asDocument();
    }

    static RewindException unreadable(String what) {
        return new RewindException(dev.rewind.ExitCode.REFUSED, "cannot replay the dump's oplog: " + what
                + " is not a $v: 2 update delta as MongoDB 6.0 to 8.0 write it",
                "import the dump without --oplog-replay (its documents are then as mongodump read them), or restore it"
                        + " with mongorestore --oplogReplay");
    }

    private enum Delete { INSTANCE }

    private enum Insert { INSTANCE }

    private record Update(BsonValue value) { }

    private record Sub(BsonDocument diff) { }

    /** {@code {o: offset, d: bytes}}: the value's bytes up to the offset, then these (mongod: idempotent, so an offset past the end changes nothing). */
    private record Binary(BsonDocument spec) {
        BsonValue applyTo(BsonValue value) {
            if (!value.isBinary()) {
                return value;
            }
            BsonBinary pre = value.asBinary();
            int offset = spec.getNumber("o").intValue();
            byte[] data = spec.getBinary("d").getData();
            if (offset < 0 || offset > pre.getData().length) {
                return value;
            }
            byte[] out = Arrays.copyOf(pre.getData(), offset + data.length);
            System.arraycopy(data, 0, out, offset, data.length);
            return new BsonBinary(pre.getType(), out);
        }
    }
}
