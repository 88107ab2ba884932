package dev.rewind.check;

import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Walks documents by field path. A <em>path</em> is MongoDB dot notation with arrays transparent
 * ({@code owner.familyId}, {@code memberIds}); a <em>place</em> is the exact location of one value,
 * with array indexes ({@code memberIds.2}, {@code guardians.0.familyId}). DBRefs
 * ({@code {$ref, $id[, $db]}}) are values, never walked into.
 */
final class Paths {
    private Paths() { }

    /** Receives one value found in a document. */
    interface Visitor {
        void visit(String path, String place, BsonValue value);
    }

    /** Visits every value (leaf, DBRef, or element of an array) in {@code doc}, except {@code _id}. */
    static void leaves(BsonDocument doc, Visitor visitor) {
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            if (!e.getKey().equals("_id")) {
                walk(e.getKey(), e.getKey(), e.getValue(), visitor);
            }
        }
    }

    private static void walk(String path, String place, BsonValue value, Visitor visitor) {
        if (value.isDocument() && !isDbRef(value)) {
            for (Map.Entry<String, BsonValue> e : value.asDocument().entrySet()) {
                walk(path + "." + e.getKey(), place + "." + e.getKey(), e.getValue(), visitor);
            }
        } else if (value.isArray()) {
            BsonArray array = value.asArray();
            for (int i = 0; i < array.size(); i++) {
                walk(path, place + "." + i, array.get(i), visitor);
            }
        } else {
            visitor.visit(path, place, value);
        }
    }

    /** Visits the values at {@code path} in {@code doc}; arrays on the way and at the end are entered. */
    static void values(BsonDocument doc, String path, Visitor visitor) {
        follow(doc, path.split("\\."), 0, "", path, visitor);
    }

    private static void follow(BsonValue at, String[] parts, int i, String place, String path, Visitor visitor) {
        if (at.isArray()) {
            BsonArray array = at.asArray();
            for (int k = 0; k < array.size(); k++) {
                follow(array.get(k), parts, i, place + "." + k, path, visitor);
            }
            return;
        }
        if (i == parts.length) {
            visitor.visit(path, place, at);
            return;
        }
        if (!at.isDocument() || isDbRef(at)) {
            return;
        }
        BsonValue next = at.asDocument().get(parts[i]);
        if (next != null) {
            follow(next, parts, i + 1, place.isEmpty() ? parts[i] : place + "." + parts[i], path, visitor);
        }
    }

    /** A sub-document of the form {@code {$ref: name, $id: value[, $db: name]}}. */
    static boolean isDbRef(BsonValue value) {
        if (!value.isDocument()) {
            return false;
        }
        BsonDocument d = value.asDocument();
        return d.containsKey("$ref") && d.containsKey("$id") && d.get("$ref").isString();
    }
}
