package dev.rewind.check;

import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;

/**
 * The result of a uniqueness check.
 *
 * @param normalized whether strings were compared lower-cased and trimmed
 * @param method how the groups were found: {@code "server $group"} or {@code "streaming, N pass(es)"}
 * @param withoutFields documents that have none of the fields (not grouped; a sparse index skips them)
 * @param groups how many values are shared by more than one document
 * @param duplicateDocuments documents in those groups
 * @param shown the largest groups, at most the configured number
 * @param uniqueIndex the name of a unique index on exactly these fields, or null
 * @param createIndex the mongosh command that creates the unique index once the duplicates are resolved
 */
public record UniqueReport(Namespace ns, List<String> fields, boolean normalized, String method, long withoutFields,
                           long groups, long duplicateDocuments, List<DuplicateGroup> shown, String uniqueIndex,
                           String createIndex) {

    public boolean clean() {
        return groups == 0;
    }

    public BsonDocument toBson() {
        BsonArray g = new BsonArray();
        shown.forEach(x -> g.add(x.toBson(fields)));
        BsonArray f = new BsonArray();
        fields.forEach(x -> f.add(new BsonString(x)));
        return new BsonDocument("ns", new BsonString(ns.toString()))
                .append("fields", f)
                .append("normalized", BsonBoolean.valueOf(normalized))
                .append("method", new BsonString(method))
                .append("clean", BsonBoolean.valueOf(clean()))
                .append("groups", new BsonInt64(groups))
                .append("duplicateDocuments", new BsonInt64(duplicateDocuments))
                .append("withoutFields", new BsonInt64(withoutFields))
                .append("uniqueIndex", uniqueIndex == null ? BsonNull.VALUE : new BsonString(uniqueIndex))
                .append("createIndex", new BsonString(createIndex))
                .append("duplicates", g);
    }
}
