package dev.rewind.event;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.bson.BsonArray;
import org.bson.BsonValue;

/**
 * A path into a document, as a list of steps. A dotted path from an update description is
 * ambiguous: {@code a.1} names field "1" of a document {@code a}, or element 1 of an array
 * {@code a}, and {@code a.b} may be one field whose name contains a dot. So a numeric step from
 * a dotted string is {@link Kind#EITHER} (an index when its parent is an array, a field name
 * when it is a document, as MongoDB resolves it). A path built from a
 * {@code disambiguatedPaths} entry is {@link #exact()}: strings are field names, integers array
 * indexes, and a name containing a dot is one field.
 */
public record Path(List<Step> steps, boolean exact) {
    /** How a step is read. */
    public enum Kind { FIELD, INDEX, EITHER }

    /** One step: a field name, an array index, or a numeric name whose reading depends on the parent. */
    public record Step(String name, Kind kind) {
        public static Step field(String name) { return new Step(name, Kind.FIELD); }

        public static Step index(int index) {
            if (index < 0) {
                throw new MalformedEventException("negative array index " + index + " in a path");
            }
            return new Step(Integer.toString(index), Kind.INDEX);
        }

        /** The array index; only for INDEX and EITHER steps. */
        public int index() {
            return Integer.parseInt(name);
        }
    }

    public Path {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new MalformedEventException("empty path");
        }
    }

    /** Splits a dotted path; numeric steps (digits, no leading zero) become {@link Kind#EITHER}. */
    public static Path parse(String dotted) {
        List<Step> steps = new ArrayList<>();
        for (String part : dotted.split("\\.", -1)) {
            steps.add(new Step(part, isArrayIndex(part) ? Kind.EITHER : Kind.FIELD));
        }
        return new Path(steps, false);
    }

    /** A path from a {@code disambiguatedPaths} array: strings are field names, integers indexes. */
    public static Path of(BsonArray components) {
        List<Step> steps = new ArrayList<>();
        for (BsonValue component : components) {
            if (component.isString()) {
                steps.add(Step.field(component.asString().getValue()));
            } else if (component.isInt32() || component.isInt64()) {
                long index = component.asNumber().longValue();
                if (index > Integer.MAX_VALUE) {
                    throw new MalformedEventException("array index " + index + " out of range in a path");
                }
                steps.add(Step.index((int) index));
            } else {
                throw new MalformedEventException("a disambiguated path component is a "
                        + component.getBsonType() + ", expected a string or an integer");
            }
        }
        return new Path(steps, true);
    }

    /** MongoDB's strict reading of an array index: decimal digits, no leading zero, fits an int. */
    static boolean isArrayIndex(String part) {
        if (part.isEmpty() || part.length() > 10 || (part.length() > 1 && part.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Long.parseLong(part) <= Integer.MAX_VALUE;
    }

    public int size() {
        return steps.size();
    }

    public Step step(int i) {
        return steps.get(i);
    }

    @Override
    public String toString() {
        return steps.stream().map(Step::name).collect(Collectors.joining("."));
    }
}
