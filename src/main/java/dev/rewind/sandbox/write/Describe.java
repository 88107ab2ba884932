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

    static Document modifiers(Document before, Document after, Document update, Document query, List<Document> arrayFilters) {
        Integer position = null;
        if (query != null && update.toString().contains(".$")) {
            position = new DefaultQueryMatcher().matchPosition(before, query);
        }
        return ModifierDiff.of(before, after, update, arrayFilters, position).toUpdateDescription(true);
    }

    static Document pipeline(Document before, Document after) {
        UpdateDelta delta = PipelineDiff.of(before, after);
        return delta == null ? null : delta.toUpdateDescription(true);
    }
}
