package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tree mongod parses a modifier update into (UpdateObjectNode, UpdateArrayNode and the leaf
 * modifier nodes, src/mongo/db/update/update_object_node.cpp): one object node per path level,
 * an array node where the next step is {@code $[]} or {@code $[<id>]}, the {@code $} positional
 * child kept apart, and children ordered by {@code pathsupport::cmpPathsAndArrayIndexes}, which
 * is the order mongod applies them and so the order it logs them. {@code $rename} puts a
 * placeholder at the source path and the rename leaf at the destination path.
 */
final class UpdateTree {
    private UpdateTree() { }

    /** A node of the tree. */
    sealed interface Node permits ObjectNode, ArrayNode, Leaf { }

    /** The operators of modifier updates. */
    enum Op {
        SET("$set"), UNSET("$unset"), INC("$inc"), MUL("$mul"), MIN("$min"), MAX("$max"),
        RENAME("$rename"), CURRENT_DATE("$currentDate"), PUSH("$push"), ADD_TO_SET("$addToSet"),
        POP("$pop"), PULL("$pull"), PULL_ALL("$pullAll"), BIT("$bit"), SET_ON_INSERT("$setOnInsert"),
        CONFLICT_PLACEHOLDER("");

        final String name;

        Op(String name) {
            this.name = name;
        }

        static Op named(String name) {
            for (Op op : values()) {
                if (op.name.equals(name) && op != CONFLICT_PLACEHOLDER) {
                    return op;
                }
            }
            throw new IllegalArgumentException("Unknown modifier: " + name);
        }

        /** Whether the modifier creates its path when it does not exist (ModifierNode::allowCreation). */
        boolean createsPath() {
            return switch (this) {
                case SET, INC, MUL, MIN, MAX, CURRENT_DATE, PUSH, ADD_TO_SET, BIT, RENAME -> true;
                default -> false;
            };
        }
    }

    /** A modifier at the end of a path; {@code argument} is its value in the update. */
    record Leaf(Op op, Object argument, List<String> renameSource) implements Node { }

    /** Children by field name, plus the positional ({@code $}) child. */
    static final class ObjectNode implements Node {
        final TreeMap<String, Node> children = new TreeMap<>(PATH_ORDER);
        Node positional;
    }

    /** Children by array-filter identifier ({@code ""} for {@code $[]}). */
    static final class ArrayNode implements Node {
        final TreeMap<String, Node> children = new TreeMap<>(PATH_ORDER);
    }

    /** Builds the tree of an update document such as {@code {$set: {...}, $inc: {...}}}. */
    static ObjectNode parse(Document update) {
        ObjectNode root = new ObjectNode();
        for (Map.Entry<String, Object> op : update.entrySet()) {
            Op modifier = Op.named(op.getKey());
            if (!(op.getValue() instanceof Document args)) {
                throw new IllegalArgumentException(op.getKey() + " takes a document");
            }
            for (Map.Entry<String, Object> arg : args.entrySet()) {
                List<String> path = split(arg.getKey());
                if (modifier == Op.RENAME) {
                    add(root, path, new Leaf(Op.CONFLICT_PLACEHOLDER, null, null));
                    add(root, split((String) arg.getValue()), new Leaf(Op.RENAME, null, path));
                } else {
                    add(root, path, new Leaf(modifier, arg.getValue(), null));
                }
            }
        }
        return root;
    }

    private static List<String> split(String dotted) {
        return Arrays.asList(dotted.split("\\.", -1));
    }

    private static void add(ObjectNode root, List<String> path, Leaf leaf) {
        Node current = root;
        for (int i = 0; i < path.size(); i++) {
            String part = path.get(i);
            boolean last = i == path.size() - 1;
            Node next = last ? leaf : (isArrayFilter(path.get(i + 1)) ? new ArrayNode() : new ObjectNode());
            Node existing = child(current, part);
            if (existing == null) {
                setChild(current, part, next);
                existing = next;
            } else if (last || existing.getClass() != next.getClass()) {
                throw new IllegalArgumentException("Updating the path '" + String.join(".", path) + "' would create a conflict");
            }
            current = existing;
        }
    }

    static boolean isArrayFilter(String part) {
        return part.startsWith("$[") && part.endsWith("]");
    }

    private static Node child(Node parent, String part) {
        if (parent instanceof ObjectNode object) {
            return part.equals("$") ? object.positional : object.children.get(part);
        }
        return ((ArrayNode) parent).children.get(identifier(part));
    }

    private static void setChild(Node parent, String part, Node child) {
        if (parent instanceof ObjectNode object) {
            if (part.equals("$")) {
                object.positional = child;
            } else {
                object.children.put(part, child);
            }
        } else if (parent instanceof ArrayNode array && isArrayFilter(part)) {
            array.children.put(identifier(part), child);
        } else {
            throw new IllegalArgumentException("a leaf has no children: " + part);
        }
    }

    private static String identifier(String part) {
        return part.substring(2, part.length() - 1);
    }

    /**
     * Merges two nodes that apply to the same element (UpdateNode::createUpdateNodeByMerging):
     * internal nodes of the same kind merge child by child; anything else is the conflict mongod
     * reports as "Update created a conflict".
     */
    static Node merge(Node a, Node b) {
        if (a instanceof ObjectNode x && b instanceof ObjectNode y) {
            ObjectNode merged = new ObjectNode();
            mergeChildren(x.children, y.children, merged.children);
            merged.positional = x.positional == null ? y.positional
                : y.positional == null ? x.positional : merge(x.positional, y.positional);
            return merged;
        }
        if (a instanceof ArrayNode x && b instanceof ArrayNode y) {
            ArrayNode merged = new ArrayNode();
            mergeChildren(x.children, y.children, merged.children);
            return merged;
        }
        throw new IllegalArgumentException("Update created a conflict");
    }

    private static void mergeChildren(Map<String, Node> x, Map<String, Node> y, Map<String, Node> out) {
        out.putAll(x);
        y.forEach((k, v) -> out.merge(k, v, UpdateTree::merge));
    }

    /**
     * {@code pathsupport::cmpPathsAndArrayIndexes}: canonical numbers compare by length then
     * digits (so "2" sorts before "10"), everything else by unsigned bytes.
     */
    static final Comparator<String> PATH_ORDER = (a, b) -> {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        if (x.length == 0 || y.length == 0 || !digit(x[0]) || !digit(y[0])
            || (x[0] == '0' && x.length > 1) || (y[0] == '0' && y.length > 1)) {
            return Arrays.compareUnsigned(x, y);
        }
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!digit(x[i]) || !digit(y[i])) {
                return Arrays.compareUnsigned(x, y);
            }
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    };

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }
}
