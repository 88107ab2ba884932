package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.json;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/** Runs a modifier update through ModifierDiff, checking the replay reached the post-image. */
final class Modifiers {
    private Modifiers() { }

    static Document diff(String before, String after, String update) {
        return diff(json(before), json(after), json(update), null, null);
    }

    static Document diff(Document before, Document after, Document update, List<Document> arrayFilters,
                         Integer positionalMatch) {
        ModifierApplier applier = new ModifierApplier(before, after, arrayFilters, positionalMatch);
        LogBuilder log = new LogBuilder();
        applier.apply(UpdateTree.parse(update), log);
        assertExactly(applier.state(), after);
        Document diff = ModifierDiff.oplogDiff(before, after, update, arrayFilters, positionalMatch);
        assertExactly(diff, log.serialize());
        return diff;
    }

    /** Asserts the oplog diff, the way mongod's tests assert {$v: 2, diff: ...}. */
    static void assertDiff(String before, String after, String update, String expectedDiff) {
        assertExactly(diff(before, after, update), json(expectedDiff));
    }

    /** The plain updateDescription of the event. */
    static Document description(String before, String after, String update) {
        return ModifierDiff.of(json(before), json(after), json(update)).toUpdateDescription(false);
    }
}
