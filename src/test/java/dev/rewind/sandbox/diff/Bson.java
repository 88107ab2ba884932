package dev.rewind.sandbox.diff;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Test helpers: mongod-test-style JSON into mongo-java-server values, and exact comparison. */
final class Bson {
    private Bson() { }

    /** Parses relaxed JSON as mongod's {@code fromjson} does ({a: 1, 'b': NumberLong(2)}). */
    static Document json(String json) {
        return (Document) convert(BsonDocument.parse(json));
    }

    private static Object convert(BsonValue v) {
        switch (v.getBsonType()) {
            case DOCUMENT: {
                Document out = new Document();
                for (Map.Entry<String, BsonValue> e : ((BsonDocument) v).entrySet()) {
                    out.put(e.getKey(), convert(e.getValue()));
                }
                return out;
            }
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                for (BsonValue x : (BsonArray) v) {
                    out.add(convert(x));
                }
                return out;
            }
            case INT32:
                return v.asInt32().getValue();
            case INT64:
                return v.asInt64().getValue();
            case DOUBLE:
                return v.asDouble().getValue();
            case STRING:
                return v.asString().getValue();
            case BOOLEAN:
                return v.asBoolean().getValue();
            case NULL:
                return null;
            case DATE_TIME:
                return Instant.ofEpochMilli(v.asDateTime().getValue());
            case OBJECT_ID:
                return new ObjectId(v.asObjectId().getValue().toByteArray());
            case DECIMAL128:
                org.bson.types.Decimal128 d = v.asDecimal128().getValue();
                return new Decimal128(d.getLow(), d.getHigh());
            default:
                throw new IllegalArgumentException("unsupported in tests: " + v.getBsonType());
        }
    }

    /** Asserts BSON-exact equality: types, values and field order. */
    static void assertExactly(Object actual, Object expected) {
        assertThat(BsonValues.same(actual, expected))
            .as("expected exactly%n  %s%nbut was%n  %s", expected, actual)
            .isTrue();
    }

    /** The updateDescription of a plain change stream (no showExpandedEvents). */
    static Document description(UpdateDelta delta) {
        return delta.toUpdateDescription(false);
    }
}
