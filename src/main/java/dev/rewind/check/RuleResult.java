package dev.rewind.check;

import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * What checking one reference rule found.
 *
 * @param documents source documents that hold at least one value at the rule's path
 * @param references values checked (an array of three ids counts three)
 * @param dangling references whose target does not exist
 * @param documentsWithDangling source documents holding at least one dangling reference
 * @param missingTargets distinct missing target ids (a lower bound when {@code missingTargetsCapped})
 * @param samples the first dangling references found, at most the configured number
 */
public record RuleResult(ReferenceRule rule, long documents, long references, long dangling,
                         long documentsWithDangling, long missingTargets, boolean missingTargetsCapped,
                         List<DanglingRef> samples) {

    public boolean clean() {
        return dangling == 0;
    }

    BsonDocument toBson() {
        BsonDocument d = RefsFile.toBson(rule);
        d.remove("note");
        BsonArray s = new BsonArray();
        samples.forEach(x -> s.add(x.toBson()));
        d.append("documents", new BsonInt64(documents))
                .append("references", new BsonInt64(references))
                .append("dangling", new BsonInt64(dangling))
                .append("documentsWithDangling", new BsonInt64(documentsWithDangling))
                .append("missingTargets", new BsonInt64(missingTargets))
                .append("missingTargetsIsLowerBound", BsonBoolean.valueOf(missingTargetsCapped))
                .append("samples", s);
        if (rule.note() != null) {
            d.append("note", new BsonString(rule.note()));
        }
        return d;
    }
}
