package dev.rewind.restore;

import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * A TTL index, as {@code listIndexes} or a snapshot describes it: a single field (not {@code _id})
 * with {@code expireAfterSeconds} (manual, "TTL Indexes"). A document expires when that field
 * holds a date, or an array of dates by the earliest, more than {@code seconds} in the past.
 */
public record TtlIndex(String name, String field, long seconds) {
    /** The TTL index an index specification describes, or null when it is not one. */
    public static TtlIndex of(Document spec) {
        if (spec.get("expireAfterSeconds") instanceof Number s && spec.get("key") instanceof Document key && key.size() == 1
                && !key.containsKey("_id")) {
            return new TtlIndex(spec.getString("name"), key.keySet().iterator().next(), s.longValue());
        }
        return null;
    }

    /** Whether a document whose field's earliest date is {@code millis} has expired at {@code now}. */
    public boolean expired(long millis, Instant now) {
        return millis + seconds * 1000 < now.toEpochMilli();
    }

    /** The filter of the documents expired at {@code now}: a date before the cutoff ({@code $type} keeps other types out). */
    public Document expiredFilter(Instant now) {
        return new Document(field, new Document("$lt", Date.from(now.minusSeconds(seconds))).append("$type", "date"));
    }
}
