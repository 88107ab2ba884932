package dev.rewind.check;

import java.util.Set;
import java.util.stream.Collectors;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * Restricts a reference check to part of the data, so that it can follow a change instead of
 * scanning everything (for example after an undo: only the restored documents, or only the
 * references to the restored {@code _id}s).
 *
 * @param sourceFilter a query on the source documents (for example {@code {_id: {$in: [...]}}}), or null for all
 * @param targetIds only references to these {@code _id}s are checked, or null for all
 */
public record CheckScope(Bson sourceFilter, Set<BsonValue> targetIds) {
    public static final CheckScope ALL = new CheckScope(null, null);

    public CheckScope {
        if (targetIds != null) {
            targetIds = targetIds.stream().map(MatchKey::of).collect(Collectors.toUnmodifiableSet());
        }
    }

    public static CheckScope sources(Bson sourceFilter) {
        return new CheckScope(sourceFilter, null);
    }

    public static CheckScope targets(Set<BsonValue> targetIds) {
        return new CheckScope(null, targetIds);
    }

    boolean includes(BsonValue key) {
        return targetIds == null || targetIds.contains(key);
    }
}
