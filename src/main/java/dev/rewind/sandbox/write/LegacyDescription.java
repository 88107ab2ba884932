package dev.rewind.sandbox.write;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes a change event's {@code updateDescription} from a document's exact pre- and
 * post-image, as MongoDB documents it: {@code updatedFields} (path → new value), {@code
 * removedFields} (paths) and {@code truncatedArrays} (always empty here: a changed array is
 * reported whole, which MongoDB also does for many array updates).
 *
 * <p>Applying it the way MongoDB's own consumers must (remove the removed paths; set each updated
 * path, in place if it exists, else appended at the end of its parent) gives exactly the
 * post-image, field order and BSON types included. The sandbox's backend keeps existing fields in
 * place and appends new ones, so that holds at the top level; the diff only descends into a
 * sub-document (dotted paths) when the sub-document's change has that same shape and its field
 * names make unambiguous paths, and otherwise reports the whole field.
 */
final class LegacyDescription {
    private LegacyDescription() { }

    static Document between(Document before, Document after) {
        Document updated = new Document();
        List<String> removed = new ArrayList<>();
        diff("", before, after, updated, removed);
        return new Document("updatedFields", updated)
            .append("removedFields", removed)
            .append("truncatedArrays", new ArrayList<>());
    }

    private static void diff(String prefix, Document before, Document after, Document updated, List<String> removed) {
        for (String key : before.keySet()) {
            if (!after.containsKey(key)) {
                removed.add(prefix + key);
            }
        }
        for (Map.Entry<String, Object> field : after.entrySet()) {
            String key = field.getKey();
            Object value = field.getValue();
            if (!before.containsKey(key)) {
                updated.put(prefix + key, value);
                continue;
            }
            Object old = before.get(key);
            if (same(old, value)) {
                continue;
            }
            if (old instanceof Document oldDoc && value instanceof Document newDoc && canDescend(oldDoc, newDoc)) {
                diff(prefix + key + ".", oldDoc, newDoc, updated, removed);
            } else {
                updated.put(prefix + key, value);
            }
        }
    }

    /**
     * True when {@code after} is {@code before} with fields removed, values replaced in place and
     * new fields appended (so dotted paths reproduce it), with no field name that would make a
     * path ambiguous (empty, containing '.', starting with '$' or all digits, read as array index).
     */
    private static boolean canDescend(Document before, Document after) {
        for (String key : after.keySet()) {
            if (!plainName(key)) {
                return false;
            }
        }
        for (String key : before.keySet()) {
            if (!plainName(key)) {
                return false;
            }
        }
        Iterator<String> kept = before.keySet().stream().filter(after::containsKey).iterator();
        boolean appending = false;
        for (String key : after.keySet()) {
            if (before.containsKey(key)) {
                if (appending || !kept.hasNext() || !kept.next().equals(key)) {
                    return false;
                }
            } else {
                appending = true;
            }
        }
        return true;
    }

    private static boolean plainName(String key) {
        return !key.isEmpty() && key.indexOf('.') < 0 && !key.startsWith("$") && !key.chars().allMatch(Character::isDigit);
    }

    /** Exact equality: same BSON types, same values, same field order in sub-documents. */
    static boolean same(Object a, Object b) {
        if (a instanceof Document da && b instanceof Document db) {
            if (da.size() != db.size()) {
                return false;
            }
            Iterator<Map.Entry<String, Object>> ib = db.entrySet().iterator();
            for (Map.Entry<String, Object> ea : da.entrySet()) {
                Map.Entry<String, Object> eb = ib.next();
                if (!ea.getKey().equals(eb.getKey()) || !same(ea.getValue(), eb.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!same(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return a == null ? b == null : b != null && a.getClass() == b.getClass() && Objects.equals(a, b);
    }
}
