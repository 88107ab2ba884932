package dev.rewind.diff;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** A top-level field that differs between two versions of a document; a null value means the field is absent. */
public record FieldChange(String field, BsonValue before, BsonValue after) {
    /** How long a value is shown before it is abbreviated. */
    public static final int SHOWN = 40;
    private static final JsonWriterSettings SHELL = JsonWriterSettings.builder().outputMode(JsonMode.SHELL).build();

    /**
     * The fields that differ, in the order of {@code before}'s fields, then {@code after}'s new ones; a
     * sub-document present on both sides is followed down to the fields that differ in it
     * ({@code address.city}), so the difference is never cut off. Field order alone is no difference.
     */
    public static List<FieldChange> between(BsonDocument before, BsonDocument after) {
        List<FieldChange> out = new ArrayList<>();
        between("", before, after, out);
        return out;
    }

    private static void between(String prefix, BsonDocument before, BsonDocument after, List<FieldChange> out) {
        Set<String> names = new LinkedHashSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            BsonValue a = before.get(name);
            BsonValue b = after.get(name);
            if (Objects.equals(a, b)) {
                continue;
            }
            if (a != null && b != null && a.isDocument() && b.isDocument()) {
                between(prefix + name + ".", a.asDocument(), b.asDocument(), out);
            } else {
                out.add(new FieldChange(prefix + name, a, b));
            }
        }
    }

    /** A value as mongosh would show it, cut to {@value #SHOWN} characters; {@code (absent)} for a missing field. */
    public static String show(BsonValue v) {
        if (v == null) {
            return "(absent)";
        }
        String json = new BsonDocument("v", v).toJson(SHELL);
        String text = json.substring(json.indexOf(':') + 1, json.length() - 1).strip();
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN - 1) + "…";
    }

    @Override
    public String toString() {
        return field + ": " + show(before) + " → " + show(after);
    }
}
