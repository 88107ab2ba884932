package dev.rewind.sandbox.write;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.diff.ModifierDiff;
import dev.rewind.sandbox.diff.PipelineDiff;
import dev.rewind.sandbox.diff.UpdateDelta;
import java.util.List;

/**
 * The {@code updateDescription} of an update, as mongod derives it from its {@code $v: 2} oplog
 * delta (see the {@code diff} package): for update operators, from what each operator logs; for a
 * pipeline, from the difference of the two documents, or null when mongod logs the update as a
 * replacement (a {@code replace} event). The description keeps {@code disambiguatedPaths}; streams
 * drop it where the release or the stream's options do not show it.
 */
final class Describe {
    private Describe() { }

    /** An update as the oplog logs it ({@code diff}, the {@code $v: 2} delta) and as a change event describes it. */
    record Described(Document diff, Document description) {
        static Described of(Document diff) {
            return new Described(diff, UpdateDelta.fromOplogDiff(diff).toUpdateDescription(true));
        }
    }

    static Described modifiers(Document before, Document after, Document update, Document query, List<Document> arrayFilters) {
        Integer position = null;
        if (query != null && update.toString().contains(".$")) {
            position = new DefaultQueryMatcher().matchPosition(before, query);
        }
        return Described.of(ModifierDiff.oplogDiff(before, after, update, arrayFilters, position));
    }

    /** Null when mongod logs the update as a replacement. */
    static Described pipeline(Document before, Document after) {
        if (dev.rewind.sandbox.diff.BsonValues.same(before, after)) {
            return Described.of(new Document());   // PipelineExecutor::applyUpdate: a no-op is caught before any diff
        }
        Document diff = PipelineDiff.oplogDiff(before, after, PipelineDiff.DELTA_METADATA_PADDING);
        return diff == null ? null : Described.of(diff);
    }
}
