package dev.rewind.check;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * One reference to a document that does not exist.
 *
 * @param sourceId the {@code _id} of the document holding the reference
 * @param place where in that document, with array indexes ({@code memberIds.2})
 * @param target the collection the referenced document should be in
 * @param missing the referenced {@code _id} that is not there
 */
public record DanglingRef(BsonValue sourceId, String place, Namespace target, BsonValue missing) {

    BsonDocument toBson() {
        return new BsonDocument("sourceId", sourceId)
                .append("place", new BsonString(place))
                .append("target", new BsonString(target.toString()))
                .append("missing", missing);
    }
}
