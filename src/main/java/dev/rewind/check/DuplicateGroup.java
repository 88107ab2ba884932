package dev.rewind.check;

import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonValue;

/**
 * Documents that share a value (or a combination of values) that should be unique.
 *
 * @param values the shared value of each field, in the order of the fields (normalized when asked)
 * @param count how many documents share it
 * @param ids the {@code _id}s of the first of those documents (at most the configured number)
 */
public record DuplicateGroup(List<BsonValue> values, long count, List<BsonValue> ids) {

    BsonDocument toBson(List<String> fields) {
        BsonDocument key = new BsonDocument();
        for (int i = 0; i < fields.size(); i++) {
            key.append(fields.get(i), values.get(i));
        }
        return new BsonDocument("key", key).append("count", new BsonInt64(count)).append("ids", new BsonArray(ids));
    }
}
