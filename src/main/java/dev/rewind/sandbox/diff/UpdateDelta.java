package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;

/**
 * What a change event's {@code updateDescription} is made of: the entries mongod's change-stream
 * parser reads out of a {@code $v: 2} oplog delta, in the order it emits them.
 *
 * <p>Each entry has a path (steps: a {@code String} field name or an {@code Integer} array index)
 * and a kind: {@link Kind#UPDATE} with the new value (updated and inserted fields alike),
 * {@link Kind#REMOVE}, or {@link Kind#TRUNCATE} with the array's new size. An empty delta means
 * mongod writes no oplog entry and emits no event. Instances are immutable; values are private
 * deep copies.
 */
public final class UpdateDelta {
    /** The kind of change an entry records. */
    public enum Kind { UPDATE, REMOVE, TRUNCATE }

    /**
     * One change: {@code value} is the new value for {@link Kind#UPDATE} (else null) and
     * {@code newSize} the array's new length for {@link Kind#TRUNCATE} (else -1).
     */
    public record Entry(List<Object> path, Kind kind, Object value, int newSize) {
        public Entry {
            for (Object step : path) {
                if (!(step instanceof String) && !(step instanceof Integer)) {
                    throw new IllegalArgumentException("path steps are field names or array indexes: " + path);
                }
            }
            path = List.copyOf(path);
            value = BsonValues.deepCopy(value);
        }

        public static Entry update(List<Object> path, Object value) {
            return new Entry(path, Kind.UPDATE, value, -1);
        }

        public static Entry remove(List<Object> path) {
            return new Entry(path, Kind.REMOVE, null, -1);
        }

        public static Entry truncate(List<Object> path, int newSize) {
            return new Entry(path, Kind.TRUNCATE, null, newSize);
        }

        @Override
        public Object value() {
            return BsonValues.deepCopy(value);
        }

        /** The path as the change event spells it: steps joined with dots. */
        public String dottedPath() {
            StringBuilder sb = new StringBuilder();
            for (Object step : path) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(step);
            }
            return sb.toString();
        }

        /**
         * True when the dotted path does not say which steps are field names and which are
         * array indexes: some field name below the top level is a canonical number ("0", "12",
         * not "01"), or some field name contains a dot. Array indexes alone are not ambiguous.
         */
        public boolean ambiguous() {
            for (int i = 0; i < path.size(); i++) {
                if (path.get(i) instanceof String name) {
                    boolean numeric = i > 0 && isCanonicalNumber(name);
                    if (numeric || name.indexOf('.') >= 0) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static boolean isCanonicalNumber(String s) {
            if (s.isEmpty() || (s.length() > 1 && s.charAt(0) == '0')) {
                return false;
            }
            return s.chars().allMatch(c -> c >= '0' && c <= '9');
        }
    }

    private final List<Entry> entries;

    /** A delta made of these entries, in this order. */
    public UpdateDelta(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads a {@code $v: 2} delta (the oplog entry's {@code diff}) the way change streams do. */
    public static UpdateDelta fromOplogDiff(Document diff) {
        return DiffParser.parse(diff);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** True when there is nothing to report: mongod logs no oplog entry and emits no event. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The change event's {@code updateDescription}: {@code {updatedFields: {dotted: value},
     * removedFields: [dotted], truncatedArrays: [{field, newSize}]}}, and, when
     * {@code disambiguate} is true (a stream opened with {@code showExpandedEvents}, mongod
     * 6.1+), {@code disambiguatedPaths: {dotted: [steps]}} for every ambiguous path, in entry
     * order. As in mongod that field is then present even when empty; without it, it is absent.
     * Two entries with the same dotted path collapse into one {@code updatedFields} key (mongod
     * would emit the key twice, which a {@link Document} cannot hold); the later value wins.
     */
    public Document toUpdateDescription(boolean disambiguate) {
        Document updated = new Document();
        List<String> removed = new ArrayList<>();
        List<Document> truncated = new ArrayList<>();
        Document disambiguated = new Document();
        for (Entry e : entries) {
            String dotted = e.dottedPath();
            switch (e.kind()) {
                case UPDATE -> updated.put(dotted, e.value());
                case REMOVE -> removed.add(dotted);
                case TRUNCATE -> truncated.add(new Document("field", dotted).append("newSize", e.newSize()));
                default -> throw new IllegalStateException();
            }
            if (e.ambiguous()) {
                disambiguated.put(dotted, new ArrayList<>(e.path()));
            }
        }
        Document description = new Document("updatedFields", updated)
            .append("removedFields", removed)
            .append("truncatedArrays", truncated);
        if (disambiguate) {
            description.append("disambiguatedPaths", disambiguated);
        }
        return description;
    }

    @Override
    public String toString() {
        return toUpdateDescription(true).toString();
    }
}
