package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/**
 * mongod's {@code V2LogBuilder} (src/mongo/db/update/v2_log_builder.cpp): the sink modifier
 * updates log into. A path is a list of steps, a {@code String} for a field name and an
 * {@code Integer} for an array index (mongod's {@code RuntimeUpdatePath} component types).
 *
 * <p>Intermediate nodes are created on first use: an array node when the next step is an index,
 * a created-document node when the step lies at or past {@code idxOfFirstNewComponent} of a
 * created field, a document sub-diff node otherwise.
 */
final class LogBuilder {
    private final DiffTree.DocumentNode root = new DiffTree.DocumentNode(0);

    void logUpdatedField(List<Object> path, Object value) {
        addNodeAtPath(path, DiffTree.Leaf.update(value), null);
    }

    void logCreatedField(List<Object> path, int idxOfFirstNewComponent, Object value) {
        addNodeAtPath(path, DiffTree.Leaf.insert(value), idxOfFirstNewComponent);
    }

    void logDeletedField(List<Object> path) {
        addNodeAtPath(path, DiffTree.Leaf.delete(), null);
    }

    /** The {@code diff} of the {@code $v: 2} oplog entry, {@code {}} when nothing was logged. */
    Document serialize() {
        return root.serialize();
    }

    boolean isEmpty() {
        return root.isEmpty();
    }

    private void addNodeAtPath(List<Object> path, DiffTree.Node toAdd, Integer idxOfFirstNewComponent) {
        DiffTree.Internal node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object part = path.get(i);
            DiffTree.Node child = node.child(part);
            if (child == null) {
                boolean newPath = idxOfFirstNewComponent != null && i >= idxOfFirstNewComponent;
                child = node.addChild(part, createInternalNode(path, i, newPath));
            }
            if (!(child instanceof DiffTree.Internal internal)) {
                throw new IllegalStateException("path " + path + " crosses a logged value");
            }
            node = internal;
        }
        node.addChild(path.get(path.size() - 1), toAdd);
    }

    private static DiffTree.Internal createInternalNode(List<Object> path, int i, boolean newPath) {
        if (path.get(i + 1) instanceof Integer) {
            if (newPath) {
                throw new IllegalStateException("cannot create an array implicitly at " + path);
            }
            return new DiffTree.ArrayNode();
        }
        return newPath ? new DiffTree.InsertionNode() : new DiffTree.DocumentNode(0);
    }
}
