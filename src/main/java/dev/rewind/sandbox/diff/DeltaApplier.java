package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.ServerError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@code $v: 2} oplog delta applied to a document, as a secondary (and {@code applyOps}) applies
 * it: mongod's {@code doc_diff::applyDiff} (src/mongo/db/update/document_diff_applier.cpp). At a
 * document level, {@code d} removes a field, {@code u} sets one in place or adds it at the end,
 * {@code i} moves or adds one at the end (updates of missing fields first, then inserts), and
 * {@code s<field>} applies a sub-delta to a sub-document or an array ({@code a: true}, {@code l} its
 * new length, {@code u<i>} and {@code s<i>} its elements); where the document has another shape
 * than the delta expects, null is written for a later entry to overwrite. The binary section
 * ({@code b}, 8.0's column deltas) is not applied: the sandbox never logs one.
 */
public final class DeltaApplier {
    private DeltaApplier() { }

    public static Document apply(Document pre, Document diff) {
        Map<String, Object> table = new HashMap<>();
        Map<String, Object> updates = new LinkedHashMap<>();
        Map<String, Object> inserts = new LinkedHashMap<>();
        for (Map.Entry<String, Object> section : diff.entrySet()) {
            String key = section.getKey();
            Object v = section.getValue();
            switch (key) {
                case "d" -> section(v, key).keySet().forEach(f -> put(table, f, "delete"));
                case "u" -> section(v, key).forEach((f, value) -> {
                    put(table, f, new Object[] {value});
                    updates.put(f, value);
                });
                case "i" -> section(v, key).forEach((f, value) -> {
                    put(table, f, "insert");
                    inserts.put(f, value);
                });
                default -> {
                    if (key.length() < 2 || key.charAt(0) != 's' || !(v instanceof Document sub)) {
                        throw bad("section '" + key + "'");
                    }
                    put(table, key.substring(1), sub);
                }
            }
        }
        Document out = new Document();
        Set<String> kept = new HashSet<>();
        for (Map.Entry<String, Object> e : pre.entrySet()) {
            Object mod = table.get(e.getKey());
            if (mod == null) {
                out.put(e.getKey(), e.getValue());
            } else if (mod instanceof Object[] update) {
                out.put(e.getKey(), update[0]);
                kept.add(e.getKey());
            } else if (mod instanceof Document sub) {
                out.put(e.getKey(), sub(e.getValue(), sub));
            }
            // "delete": left out; "insert": added at the end
        }
        updates.forEach((f, value) -> {
            if (!kept.contains(f)) {
                out.put(f, value);
            }
        });
        inserts.forEach(out::put);
        return out;
    }

    private static Object sub(Object value, Document diff) {
        boolean arrayDiff = Boolean.TRUE.equals(diff.get("a"));
        if (arrayDiff && value instanceof List<?> list) {
            return array(list, diff);
        }
        if (!arrayDiff && value instanceof Document d) {
            return apply(d, diff);
        }
        return null;
    }

    private static List<Object> array(List<?> pre, Document diff) {
        Integer resize = null;
        TreeMap<Integer, Object> mods = new TreeMap<>();
        for (Map.Entry<String, Object> e : diff.entrySet()) {
            String key = e.getKey();
            if (key.equals("a")) {
                continue;
            }
            if (key.equals("l")) {
                if (!(e.getValue() instanceof Number n)) {
                    throw bad("array length");
                }
                resize = n.intValue();
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(key.substring(1));
            } catch (NumberFormatException x) {
                throw bad("array entry '" + key + "'");
            }
            if (key.charAt(0) == 'u') {
                mods.put(index, new Object[] {e.getValue()});
            } else if (key.charAt(0) == 's' && e.getValue() instanceof Document sub) {
                mods.put(index, sub);
            } else {
                throw bad("array entry '" + key + "'");
            }
        }
        int last = mods.isEmpty() ? -1 : mods.lastKey();
        int size = resize != null ? resize : Math.max(pre.size(), last + 1);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Object before = i < pre.size() ? pre.get(i) : null;
            Object mod = mods.get(i);
            if (mod instanceof Object[] update) {
                out.add(update[0]);
            } else if (mod instanceof Document sub) {
                out.add(i < pre.size() ? sub(before, sub) : null);
            } else {
                out.add(before);
            }
        }
        return out;
    }

    private static Document section(Object v, String name) {
        if (!(v instanceof Document d)) {
            throw bad("section '" + name + "'");
        }
        return d;
    }

    private static void put(Map<String, Object> table, String field, Object mod) {
        if (table.put(field, mod) != null) {
            throw new ServerError(4728000, "Location4728000", "duplicate field name in diff: " + field);
        }
    }

    private static ServerError bad(String what) {
        return new ServerError(4770503, "Location4770503", "the $v: 2 delta has an unreadable " + what);
    }
}
