package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;

/**
 * What each modifier leaf logs (ModifierNode::apply / logUpdate and the per-operator overrides in
 * src/mongo/db/update/*_node.cpp), deciding from the pre-image state and the post-image instead
 * of recomputing the operator:
 * <ul>
 * <li>an existing value that ends up binary-identical is a no-op and logs nothing, except for
 * {@code $currentDate}, {@code $unset}, the destination of {@code $rename} and {@code $push}
 * with {@code $sort} or a trimming {@code $slice}, which always log;</li>
 * <li>otherwise an existing value logs an update of its whole new value (so {@code $pop},
 * {@code $pull}, {@code $pullAll} and {@code $addToSet} log the whole array), {@code $unset}
 * logs a removal (or, on an array element, an update to null), and a {@code $push} that only
 * appends to a non-empty array logs each new element at its index;</li>
 * <li>a missing path is created by {@code $set}, {@code $inc}, {@code $mul}, {@code $min},
 * {@code $max}, {@code $bit}, {@code $currentDate}, {@code $push}, {@code $addToSet} and the
 * destination of {@code $rename}: the log is an insert of the full path, mongod folding the
 * created components into the first one's new value; the other modifiers do nothing;</li>
 * <li>{@code $rename} sets its destination as above, then logs the removal of its source;
 * {@code $setOnInsert} never applies to an update.</li>
 * </ul>
 */
final class LeafApplier {
    private final Document state;
    private final Document after;

    LeafApplier(Document state, Document after) {
        this.state = state;
        this.after = after;
    }

    /** Applies one leaf; returns true when it was a no-op. */
    boolean apply(UpdateTree.Leaf leaf, List<Object> pathTaken, List<String> pathToCreate, LogBuilder log) {
        switch (leaf.op()) {
            case CONFLICT_PLACEHOLDER, SET_ON_INSERT:
                return true;
            case RENAME:
                return rename(leaf, pathTaken, pathToCreate, log);
            default:
                break;
        }
        if (!pathToCreate.isEmpty()) {
            if (!leaf.op().createsPath()) {
                return true;
            }
            create(pathTaken, pathToCreate, log);
            return false;
        }
        List<Object> path = List.copyOf(pathTaken);
        Object current = DocState.get(state, path);
        Object target = DocState.get(after, path);
        switch (leaf.op()) {
            case UNSET:
                if (path.get(path.size() - 1) instanceof Integer) {
                    logUpdate(log, path, null);
                    DocState.set(state, path, null);
                } else {
                    if (log != null) {
                        log.logDeletedField(path);
                    }
                    DocState.remove(state, path);
                }
                return false;
            case CURRENT_DATE:
                return update(path, target, log);
            case PUSH:
                return push(leaf, path, current, target, log);
            default:
                return BsonValues.same(current, target) || update(path, target, log);
        }
    }

    private boolean update(List<Object> path, Object target, LogBuilder log) {
        logUpdate(log, path, require(target, path));
        DocState.set(state, path, BsonValues.deepCopy(target));
        return false;
    }

    private static void logUpdate(LogBuilder log, List<Object> path, Object value) {
        if (log != null) {
            log.logUpdatedField(path, value);
        }
    }

    /**
     * applyToNonexistentElement: the full path is logged as created from the first missing
     * component on; that component is an array index when its parent is an array (mongod then
     * pads the array with nulls, which it does not log).
     */
    private void create(List<Object> pathTaken, List<String> pathToCreate, LogBuilder log) {
        Object parent = DocState.get(state, pathTaken);
        List<Object> full = new ArrayList<>(pathTaken);
        String first = pathToCreate.get(0);
        if (parent instanceof List<?>) {
            Integer idx = DocState.parseIndex(first);
            if (idx == null) {
                throw new IllegalArgumentException("Cannot create field '" + first + "' in an array at " + pathTaken);
            }
            full.add(idx);
        } else if (parent instanceof Document) {
            full.add(first);
        } else {
            throw new IllegalArgumentException("Cannot create field '" + first + "' in a non-document at " + pathTaken);
        }
        full.addAll(pathToCreate.subList(1, pathToCreate.size()));
        Object value = require(DocState.get(after, full), full);
        if (log != null) {
            log.logCreatedField(full, pathTaken.size(), value);
        }
        Object created = BsonValues.deepCopy(value);
        for (int k = pathToCreate.size() - 1; k >= 1; k--) {
            created = new Document(pathToCreate.get(k), created);
        }
        DocState.set(state, full.subList(0, pathTaken.size() + 1), created);
    }

    /**
     * PushNode: appending to a non-empty array without {@code $sort} and without trimming logs
     * each new element at {@code arr.N}; any other change logs the whole array.
     */
    private boolean push(UpdateTree.Leaf leaf, List<Object> path, Object current, Object target, LogBuilder log) {
        if (!(current instanceof List<?> array) || !(target instanceof List<?> result)) {
            throw new IllegalArgumentException("The field '" + path + "' must be an array");
        }
        List<?> values;
        long position = Long.MAX_VALUE;
        long slice = Long.MAX_VALUE;
        boolean sort = false;
        if (leaf.argument() instanceof Document spec && spec.containsKey("$each")) {
            values = (List<?>) spec.get("$each");
            position = spec.get("$position") instanceof Number p ? p.longValue() : position;
            slice = spec.get("$slice") instanceof Number s ? s.longValue() : slice;
            sort = spec.containsKey("$sort");
        } else {
            values = List.of(new Object[] {leaf.argument()});
        }
        int n = values.size();
        int size = array.size();
        boolean normal = n > 0 && (size == 0 || position <= size);
        boolean append = n > 0 && !normal;
        long sliceAbs = slice == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(slice);
        if (sort || size + (long) n > sliceAbs) {
            normal = true;
            append = false;
        }
        if (!normal && !append) {
            return true;
        }
        if (normal) {
            logUpdate(log, path, result);
        } else if (log != null) {
            for (int k = 0; k < n; k++) {
                List<Object> element = new ArrayList<>(path);
                element.add(result.size() - n + k);
                log.logCreatedField(element, path.size(), result.get(result.size() - n + k));
            }
        }
        DocState.set(state, path, BsonValues.deepCopy(result));
        return false;
    }

    /**
     * RenameNode: a no-op without a source; else set the destination (logged even when it already
     * held the same value), then remove the source.
     */
    private boolean rename(UpdateTree.Leaf leaf, List<Object> pathTaken, List<String> pathToCreate, LogBuilder log) {
        List<Object> source = new ArrayList<>(leaf.renameSource());
        if (DocState.get(state, source) == DocState.MISSING) {
            return true;
        }
        if (pathToCreate.isEmpty()) {
            // SetElementNode does not check for an identical value: the destination always logs.
            List<Object> path = List.copyOf(pathTaken);
            update(path, DocState.get(after, path), log);
        } else {
            create(pathTaken, pathToCreate, log);
        }
        DocState.remove(state, source);
        if (log != null) {
            log.logDeletedField(source);
        }
        return false;
    }

    private static Object require(Object value, List<Object> path) {
        if (value == DocState.MISSING) {
            throw new IllegalArgumentException("the post-image has no value at " + path + ": it does not match the update");
        }
        return value;
    }
}
