package dev.rewind.event;

import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Deep copies of BSON values into mutable documents and arrays (raw documents included). */
final class Values {
    private Values() {}

    static BsonValue copy(BsonValue value) {
        if (value == null) {
            return null;
        }
        if (value.isDocument()) {
            BsonDocument copy = new BsonDocument();
            for (Map.Entry<String, BsonValue> entry : value.asDocument().entrySet()) {
                copy.put(entry.getKey(), copy(entry.getValue()));
            }
            return copy;
        }
        if (value.isArray()) {
            BsonArray source = value.asArray();
            BsonArray copy = new BsonArray(source.size());
            for (BsonValue element : source) {
                copy.add(copy(element));
            }
            return copy;
        }
        return value;
    }

    static BsonDocument copy(BsonDocument document) {
        return document == null ? null : copy((BsonValue) document).asDocument();
    }
}
