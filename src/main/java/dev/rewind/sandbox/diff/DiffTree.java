package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The diff tree mongod builds while it computes a {@code $v: 2} delta ({@code diff_tree} in
 * src/mongo/db/update/document_diff_serialization.h), with its approximate size tracking and its
 * serialization into the delta format: a document level writes {@code d}, {@code u}, {@code i}
 * and then one {@code s<field>} per sub-diff, in the order the changes were added; an array level
 * writes {@code a: true}, an optional {@code l: <newSize>}, then {@code u<idx>} / {@code s<idx>}
 * in ascending index order.
 */
final class DiffTree {
    private DiffTree() { }

    // Sizes mongod charges (document_diff_serialization.h / .cpp).
    static final int EMPTY_DOCUMENT_DIFF = 5;
    static final int EMPTY_ARRAY_DIFF = 9;
    private static final int SECTION_WRAPPING = 8;

    /** Any node of the tree. */
    sealed interface Node permits Leaf, Internal { }

    /** A leaf: an updated value, an inserted value or a deletion. */
    record Leaf(Kind kind, Object value) implements Node {
        enum Kind { UPDATE, INSERT, DELETE }

        static Leaf update(Object value) {
            return new Leaf(Kind.UPDATE, value);
        }

        static Leaf insert(Object value) {
            return new Leaf(Kind.INSERT, value);
        }

        static Leaf delete() {
            return new Leaf(Kind.DELETE, null);
        }
    }

    /** A node holding children: a document sub-diff, an array sub-diff or a created document. */
    abstract static sealed class Internal implements Node permits DocumentNode, ArrayNode, InsertionNode {
        int size;

        Internal(int initialSize) {
            this.size = initialSize;
        }

        abstract Node child(Object step);

        abstract Node addChild(Object step, Node node);

        /** mongod's {@code ApproxBSONSizeTracker::addEntry}. */
        final void addEntry(int fieldSize, Node node) {
            size += fieldSize + 2;
            if (node instanceof Internal internal) {
                size += internal.size;
            } else {
                Leaf leaf = (Leaf) node;
                size += leaf.kind() == Leaf.Kind.DELETE ? 1 : BsonValues.valueSize(leaf.value());
            }
        }
    }

    /** A sub-diff of a document that existed before the update ({@code DocumentSubDiffNode}). */
    static final class DocumentNode extends Internal {
        private final Map<String, Node> children = new HashMap<>();
        final List<Map.Entry<String, Object>> updates = new ArrayList<>();
        final List<Map.Entry<String, Node>> inserts = new ArrayList<>();
        final List<String> deletes = new ArrayList<>();
        final List<Map.Entry<String, Internal>> subDiffs = new ArrayList<>();

        DocumentNode(int padding) {
            super(padding + EMPTY_DOCUMENT_DIFF);
        }

        @Override
        Node child(Object step) {
            return children.get((String) step);
        }

        @Override
        Node addChild(Object step, Node node) {
            String name = (String) step;
            addEntry(BsonValues.utf8Length(name), node);
            if (children.putIfAbsent(name, node) != null) {
                throw new IllegalStateException("Document already has a field named '" + name + "'");
            }
            if (node instanceof DocumentNode || node instanceof ArrayNode) {
                size += 1;
                subDiffs.add(Map.entry(name, (Internal) node));
            } else if (node instanceof InsertionNode || ((Leaf) node).kind() == Leaf.Kind.INSERT) {
                wrapIfFirst(inserts.isEmpty());
                inserts.add(Map.entry(name, node));
            } else if (((Leaf) node).kind() == Leaf.Kind.DELETE) {
                wrapIfFirst(deletes.isEmpty());
                deletes.add(name);
            } else {
                wrapIfFirst(updates.isEmpty());
                updates.add(new java.util.AbstractMap.SimpleImmutableEntry<>(name, ((Leaf) node).value()));
            }
            return node;
        }

        private void wrapIfFirst(boolean first) {
            if (first) {
                size += SECTION_WRAPPING;
            }
        }

        boolean isEmpty() {
            return children.isEmpty();
        }

        /** The {@code $v: 2} delta this node stands for (the value of the oplog's {@code diff}). */
        Document serialize() {
            Document out = new Document();
            if (!deletes.isEmpty()) {
                Document d = new Document();
                deletes.forEach(name -> d.put(name, false));
                out.put("d", d);
            }
            if (!updates.isEmpty()) {
                Document u = new Document();
                updates.forEach(e -> u.put(e.getKey(), BsonValues.deepCopy(e.getValue())));
                out.put("u", u);
            }
            if (!inserts.isEmpty()) {
                Document i = new Document();
                inserts.forEach(e -> i.put(e.getKey(), insertedValue(e.getValue())));
                out.put("i", i);
            }
            for (Map.Entry<String, Internal> e : subDiffs) {
                out.put("s" + e.getKey(), serializeInternal(e.getValue()));
            }
            return out;
        }
    }

    /** A sub-diff of an array that existed before the update ({@code diff_tree::ArrayNode}). */
    static final class ArrayNode extends Internal {
        final TreeMap<Integer, Node> children = new TreeMap<>();
        Integer resize;

        ArrayNode() {
            super(EMPTY_ARRAY_DIFF);
        }

        @Override
        Node child(Object step) {
            return children.get(index(step));
        }

        @Override
        Node addChild(Object step, Node node) {
            int idx = index(step);
            addEntry(1 + Integer.toString(idx).length(), node);
            if (children.putIfAbsent(idx, node) != null) {
                throw new IllegalStateException("Array diff already has index " + idx);
            }
            return node;
        }

        void setResize(int newSize) {
            resize = newSize;
            size += 1 + 4 + 2;
        }

        private static int index(Object step) {
            return step instanceof Integer i ? i : Integer.parseInt((String) step);
        }

        Document serialize() {
            Document out = new Document("a", true);
            if (resize != null) {
                out.put("l", resize);
            }
            for (Map.Entry<Integer, Node> e : children.entrySet()) {
                Node child = e.getValue();
                if (child instanceof DocumentNode || child instanceof ArrayNode) {
                    out.put("s" + e.getKey(), serializeInternal((Internal) child));
                } else {
                    out.put("u" + e.getKey(), insertedValue(child));
                }
            }
            return out;
        }
    }

    /** A document created by the update along a new path ({@code DocumentInsertionNode}). */
    static final class InsertionNode extends Internal {
        private final Map<String, Node> children = new HashMap<>();
        final List<Map.Entry<String, Node>> inserts = new ArrayList<>();

        InsertionNode() {
            super(0);
        }

        @Override
        Node child(Object step) {
            return children.get((String) step);
        }

        @Override
        Node addChild(Object step, Node node) {
            String name = (String) step;
            boolean insert = node instanceof InsertionNode || (node instanceof Leaf leaf && leaf.kind() == Leaf.Kind.INSERT);
            if (!insert || children.putIfAbsent(name, node) != null) {
                throw new IllegalStateException("cannot add '" + name + "' to a created document");
            }
            inserts.add(Map.entry(name, node));
            return node;
        }

        Document serialize() {
            Document out = new Document();
            inserts.forEach(e -> out.put(e.getKey(), insertedValue(e.getValue())));
            return out;
        }
    }

    private static Object insertedValue(Node node) {
        if (node instanceof InsertionNode created) {
            return created.serialize();
        }
        return BsonValues.deepCopy(((Leaf) node).value());
    }

    private static Document serializeInternal(Internal node) {
        if (node instanceof ArrayNode array) {
            return array.serialize();
        }
        return ((DocumentNode) node).serialize();
    }
}
