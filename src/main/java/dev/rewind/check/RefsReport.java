package dev.rewind.check;

import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * The result of a reference check over a database.
 *
 * @param db the database checked
 * @param rulesFrom where the rules came from: {@code inferred} or the refs file's name
 */
public record RefsReport(String db, String rulesFrom, List<RuleResult> results) {

    public long dangling() {
        return results.stream().mapToLong(RuleResult::dangling).sum();
    }

    public long references() {
        return results.stream().mapToLong(RuleResult::references).sum();
    }

    public boolean clean() {
        return dangling() == 0;
    }

    public BsonDocument toBson() {
        BsonArray rules = new BsonArray();
        results.forEach(r -> rules.add(r.toBson()));
        return new BsonDocument("db", new BsonString(db))
                .append("rulesFrom", new BsonString(rulesFrom))
                .append("clean", BsonBoolean.valueOf(clean()))
                .append("references", new BsonInt64(references()))
                .append("dangling", new BsonInt64(dangling()))
                .append("rules", rules);
    }
}
