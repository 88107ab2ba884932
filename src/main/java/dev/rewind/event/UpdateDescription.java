package dev.rewind.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * An update event's {@code updateDescription}: what changed, as dotted paths relative to the
 * document before the update. {@code disambiguatedPaths} (MongoDB 6.1+, with
 * {@code showExpandedEvents} before 8.2) is null when the server did not send it.
 *
 * <p>The BSON form uses MongoDB's field names, so {@link #fromBson} reads the server's
 * {@code updateDescription} and {@link #toBson} writes the same shape.
 */
public record UpdateDescription(
        BsonDocument updatedFields,
        List<String> removedFields,
        List<TruncatedArray> truncatedArrays,
        BsonDocument disambiguatedPaths) {

    public UpdateDescription {
        updatedFields = updatedFields == null ? new BsonDocument() : updatedFields;
        removedFields = List.copyOf(Objects.requireNonNullElse(removedFields, List.of()));
        truncatedArrays = List.copyOf(Objects.requireNonNullElse(truncatedArrays, List.of()));
    }

    public static UpdateDescription of(BsonDocument updatedFields, List<String> removedFields) {
        return new UpdateDescription(updatedFields, removedFields, List.of(), null);
    }

    public static UpdateDescription fromBson(BsonDocument description) {
        BsonDocument updated = Fields.document(description, "updatedFields", "updateDescription");
        List<String> removed = new ArrayList<>();
        BsonArray removedArray = Fields.array(description, "removedFields", "updateDescription");
        if (removedArray != null) {
            for (BsonValue field : removedArray) {
                if (!field.isString()) {
                    throw new MalformedEventException("updateDescription.removedFields holds a "
                            + field.getBsonType() + ", expected strings");
                }
                removed.add(field.asString().getValue());
            }
        }
        List<TruncatedArray> truncated = new ArrayList<>();
        BsonArray truncatedArray = Fields.array(description, "truncatedArrays", "updateDescription");
        if (truncatedArray != null) {
            for (BsonValue entry : truncatedArray) {
                if (!entry.isDocument()) {
                    throw new MalformedEventException("updateDescription.truncatedArrays holds a "
                            + entry.getBsonType() + ", expected {field, newSize}");
                }
                BsonDocument doc = entry.asDocument();
                String field = Fields.string(doc, "field", "truncatedArrays entry");
                BsonValue newSize = doc.get("newSize");
                if (field == null || newSize == null || !newSize.isNumber()) {
                    throw new MalformedEventException("truncatedArrays entry without field or newSize: " + doc.toJson());
                }
                truncated.add(new TruncatedArray(field, newSize.asNumber().intValue()));
            }
        }
        BsonDocument disambiguated = Fields.document(description, "disambiguatedPaths", "updateDescription");
        return new UpdateDescription(updated, removed, truncated, disambiguated);
    }

    public BsonDocument toBson() {
        BsonDocument doc = new BsonDocument("updatedFields", updatedFields);
        BsonArray removed = new BsonArray();
        removedFields.forEach(field -> removed.add(new BsonString(field)));
        doc.put("removedFields", removed);
        BsonArray truncated = new BsonArray();
        for (TruncatedArray entry : truncatedArrays) {
            truncated.add(new BsonDocument("field", new BsonString(entry.field()))
                    .append("newSize", new BsonInt32(entry.newSize())));
        }
        doc.put("truncatedArrays", truncated);
        if (disambiguatedPaths != null) {
            doc.put("disambiguatedPaths", disambiguatedPaths);
        }
        return doc;
    }

    /** The path for a key of updatedFields, removedFields or truncatedArrays, disambiguated when the server said how. */
    public Path path(String dotted) {
        BsonValue components = disambiguatedPaths == null ? null : disambiguatedPaths.get(dotted);
        if (components == null) {
            return Path.parse(dotted);
        }
        if (!components.isArray()) {
            throw new MalformedEventException("disambiguatedPaths." + dotted + " is a "
                    + components.getBsonType() + ", expected an array");
        }
        return Path.of(components.asArray());
    }
}
