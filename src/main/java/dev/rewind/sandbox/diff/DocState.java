package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/**
 * Navigation in a tree of {@link Document}s and {@link List}s by path steps ({@code String}
 * field names, {@code Integer} array indexes), with the mutations a modifier makes: set (in
 * place, appended at the end of a document, or past an array's end with null padding, as
 * mongod's {@code createPathAt} pads) and remove.
 */
final class DocState {
    /** The value at a path that does not exist. */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    private DocState() { }

    static Object get(Object root, List<Object> path) {
        Object current = root;
        for (Object step : path) {
            current = child(current, step);
            if (current == MISSING) {
                return MISSING;
            }
        }
        return current;
    }

    /**
     * The child of a value as mongod's update traversal finds it: a field of a document, or, for
     * an array, the element at a step that is an index or a string of digits.
     */
    static Object child(Object container, Object step) {
        if (container instanceof Document d) {
            String name = step.toString();
            return d.containsKey(name) ? d.get(name) : MISSING;
        }
        if (container instanceof List<?> list) {
            Integer idx = step instanceof Integer i ? i : parseIndex((String) step);
            return idx != null && idx < list.size() ? list.get(idx) : MISSING;
        }
        return MISSING;
    }

    /** {@code parseUnsignedBase10Integer}: a string of digits, or null. */
    static Integer parseIndex(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Integer.parseInt(s);
    }

    @SuppressWarnings("unchecked")
    static void set(Object root, List<Object> path, Object value) {
        Object parent = get(root, path.subList(0, path.size() - 1));
        Object step = path.get(path.size() - 1);
        if (parent instanceof Document d) {
            d.put(step.toString(), value);
        } else if (parent instanceof List<?> list) {
            List<Object> array = (List<Object>) list;
            int idx = step instanceof Integer i ? i : Integer.parseInt((String) step);
            while (array.size() < idx) {
                array.add(null);
            }
            if (idx < array.size()) {
                array.set(idx, value);
            } else {
                array.add(value);
            }
        } else {
            throw new IllegalArgumentException("cannot set " + path + ": the parent is neither a document nor an array");
        }
    }

    static void remove(Object root, List<Object> path) {
        Object parent = get(root, path.subList(0, path.size() - 1));
        if (parent instanceof Document d) {
            d.remove(path.get(path.size() - 1).toString());
        }
    }
}
