package dev.rewind.event;

import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;

/**
 * Applies an update event's {@link UpdateDescription} to the document as it was before the
 * update, by MongoDB's documented semantics. Pure: the prior document is not modified.
 *
 * <p>Order: truncations first, then removals, then updated fields. This is the order in which
 * the server's own delta applier works (an array diff resizes the array, then sets elements by
 * index, so an updated field {@code a.3} after a truncation of {@code a} to 2 elements extends the
 * array again); removals and updates never touch the same path in one event, so their order
 * does not change the result.
 *
 * <p>Paths: a key of {@code disambiguatedPaths} is followed exactly. Otherwise a numeric step
 * indexes an array parent and names a field of a document parent; setting past the end of an
 * array pads it with nulls (as {@code $set} on {@code a.5} does); a missing parent is created as
 * a document; and where a document has no field for the next step but has one whose name is the
 * next steps joined by dots, that dotted field is used (change events carry such paths for
 * field names with dots, and a missing parent would have been reported whole, not as a path).
 * A removal of a path that is absent is a no-op; removing an array element sets it to null, as
 * {@code $unset} does.
 *
 * @throws PathConflictException when the description does not fit the prior document
 */
public final class UpdateApplier {
    /** MongoDB refuses to pad an array by more than this many elements in one update. */
    static final int MAX_PADDING = 1_500_000;

    private UpdateApplier() {}

    public static BsonDocument apply(BsonDocument prior, UpdateDescription description) {
        BsonDocument result = Values.copy(prior).asDocument();
        for (TruncatedArray truncation : description.truncatedArrays()) {
            truncate(result, description.path(truncation.field()), truncation.newSize());
        }
        for (String removed : description.removedFields()) {
            remove(result, description.path(removed));
        }
        for (Map.Entry<String, BsonValue> updated : description.updatedFields().entrySet()) {
            set(result, description.path(updated.getKey()), Values.copy(updated.getValue()));
        }
        return result;
    }

    /**
     * Applies a description to a base that may be from later than the update: the document as a
     * snapshot scan read it, while the log replays from the scan's start. Each path that does not
     * fit is skipped, and a truncation to more elements than the array has is skipped too. That is
     * exact once every event up to the end of the scan has been replayed: a path can only stop
     * fitting because a later event replaced one of its ancestors (or shortened its array), and
     * that event is replayed after this one, so what this one would have written there is
     * overwritten anyway; every path that fits gets the value the update gave it, and any later
     * update of that path is replayed after it.
     */
    public static BsonDocument applyOver(BsonDocument later, UpdateDescription description) {
        BsonDocument result = Values.copy(later).asDocument();
        for (TruncatedArray truncation : description.truncatedArrays()) {
            BsonValue target = find(result, description.path(truncation.field()));
            if (target != null && target.isArray() && target.asArray().size() >= truncation.newSize()) {
                truncate(result, description.path(truncation.field()), truncation.newSize());
            }
        }
        for (String removed : description.removedFields()) {
            remove(result, description.path(removed));
        }
        for (Map.Entry<String, BsonValue> updated : description.updatedFields().entrySet()) {
            BsonDocument attempt = Values.copy(result).asDocument();
            try {
                set(attempt, description.path(updated.getKey()), Values.copy(updated.getValue()));
                result = attempt;
            } catch (PathConflictException laterShapeDiffers) {
                // a later event replaced an ancestor of this path; it is replayed after this one
            }
        }
        return result;
    }

    static void set(BsonDocument root, Path path, BsonValue value) {
        BsonValue container = root;
        int i = 0;
        while (true) {
            if (container.isDocument()) {
                BsonDocument doc = container.asDocument();
                Key key = key(doc, path, i);
                if (key.next == path.size()) {
                    doc.put(key.name, value);
                    return;
                }
                BsonValue child = doc.get(key.name);
                if (child == null) {
                    child = new BsonDocument();
                    doc.put(key.name, child);
                }
                container = descend(child, path, key.next);
                i = key.next;
            } else {
                BsonArray array = container.asArray();
                int index = index(path, i);
                if (i == path.size() - 1) {
                    padTo(array, index, path);
                    array.set(index, value);
                    return;
                }
                BsonValue child;
                if (index >= array.size()) {
                    padTo(array, index, path);
                    child = new BsonDocument();
                    array.set(index, child);
                } else {
                    child = array.get(index);
                }
                container = descend(child, path, i + 1);
                i++;
            }
        }
    }

    static void remove(BsonDocument root, Path path) {
        BsonValue container = root;
        int i = 0;
        while (true) {
            if (container.isDocument()) {
                BsonDocument doc = container.asDocument();
                if (path.step(i).kind() == Path.Kind.INDEX) {
                    return;
                }
                Key key = key(doc, path, i);
                if (key.next == path.size()) {
                    doc.remove(key.name);
                    return;
                }
                container = doc.get(key.name);
                i = key.next;
            } else if (container.isArray()) {
                BsonArray array = container.asArray();
                Path.Step step = path.step(i);
                if (step.kind() == Path.Kind.FIELD || step.index() >= array.size()) {
                    return;
                }
                if (i == path.size() - 1) {
                    array.set(step.index(), BsonNull.VALUE);
                    return;
                }
                container = array.get(step.index());
                i++;
            } else {
                return;
            }
            if (container == null) {
                return;
            }
        }
    }

    static void truncate(BsonDocument root, Path path, int newSize) {
        BsonValue target = find(root, path);
        if (target == null || !target.isArray()) {
            throw new PathConflictException(path.toString(), "truncatedArrays names "
                    + (target == null ? "a missing field" : "a " + target.getBsonType()) + ", not an array");
        }
        BsonArray array = target.asArray();
        if (array.size() < newSize) {
            throw new PathConflictException(path.toString(), "the array has " + array.size()
                    + " elements, fewer than its truncated size " + newSize);
        }
        while (array.size() > newSize) {
            array.remove(array.size() - 1);
        }
    }

    /** The value at a path, or null when absent. */
    static BsonValue find(BsonDocument root, Path path) {
        BsonValue container = root;
        int i = 0;
        while (i < path.size()) {
            if (container.isDocument()) {
                if (path.step(i).kind() == Path.Kind.INDEX) {
                    return null;
                }
                Key key = key(container.asDocument(), path, i);
                container = container.asDocument().get(key.name);
                i = key.next;
            } else if (container.isArray()) {
                Path.Step step = path.step(i);
                if (step.kind() == Path.Kind.FIELD || step.index() >= container.asArray().size()) {
                    return null;
                }
                container = container.asArray().get(step.index());
                i++;
            } else {
                return null;
            }
            if (container == null) {
                return null;
            }
        }
        return container;
    }

    private record Key(String name, int next) {}

    /** The field of {@code doc} that steps i.. name, and the step after it. */
    private static Key key(BsonDocument doc, Path path, int i) {
        Path.Step step = path.step(i);
        if (step.kind() == Path.Kind.INDEX) {
            throw new PathConflictException(path.toString(), "array index " + step.name() + " into a document");
        }
        if (!path.exact() && !doc.containsKey(step.name())) {
            StringBuilder joined = new StringBuilder(step.name());
            String longest = null;
            int next = i + 1;
            for (int j = i + 1; j < path.size(); j++) {
                joined.append('.').append(path.step(j).name());
                if (doc.containsKey(joined.toString())) {
                    longest = joined.toString();
                    next = j + 1;
                }
            }
            if (longest != null) {
                return new Key(longest, next);
            }
        }
        return new Key(step.name(), i + 1);
    }

    private static int index(Path path, int i) {
        Path.Step step = path.step(i);
        if (step.kind() == Path.Kind.FIELD) {
            throw new PathConflictException(path.toString(), "field name '" + step.name() + "' into an array");
        }
        return step.index();
    }

    private static BsonValue descend(BsonValue child, Path path, int next) {
        if (child.isDocument() || child.isArray()) {
            return child;
        }
        throw new PathConflictException(path.toString(), "step '" + path.step(next).name()
                + "' runs into a " + child.getBsonType());
    }

    private static void padTo(BsonArray array, int index, Path path) {
        if (index - array.size() > MAX_PADDING) {
            throw new PathConflictException(path.toString(), "would pad the array with "
                    + (index - array.size()) + " nulls");
        }
        while (array.size() <= index) {
            array.add(BsonNull.VALUE);
        }
    }
}
