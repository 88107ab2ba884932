package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.json;
import static dev.rewind.sandbox.diff.Modifiers.assertDiff;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code $inc}, {@code $mul}, {@code $min}, {@code $max}, {@code $bit}, {@code $currentDate} and
 * {@code $setOnInsert} (mongodb/mongo src/mongo/db/update/arithmetic_node_test.cpp,
 * compare_node_test.cpp, bit_node_test.cpp, current_date_node_test.cpp).
 */
class ModifierScalarOperatorTest {
    // arithmetic_node_test.cpp (ApplyPositional, ApplyCreatePathFromRoot)
    @Test
    void incUpdatesAnExistingNumberAndCreatesAMissingPath() {
        assertDiff("{a: [0, 1, 2]}", "{a: [0, 7, 2]}", "{$inc: {'a.1': 6}}", "{sa: {a: true, u1: 7}}");
        assertDiff("{c: 5}", "{c: 5, a: {b: 6}}", "{$inc: {'a.b': 6}}", "{i: {a: {b: 6}}}");
    }

    // arithmetic_node_test.cpp (ApplyLogDottedPath, LogEmptyArray)
    @Test
    void incCreatingPastAnArraysEndLogsTheNewElement() {
        assertDiff("{a: [{b: 0}, {b: 1}]}", "{a: [{b: 0}, {b: 1}, {b: 2}]}", "{$inc: {'a.2.b': 2}}", "{sa: {a: true, u2: {b: 2}}}");
        assertDiff("{a: []}", "{a: [null, null, {b: 2}]}", "{$inc: {'a.2.b': 2}}", "{sa: {a: true, u2: {b: 2}}}");
    }

    // arithmetic_node.cpp (ArithmeticNode::updateExistingElement): an identical result is a no-op
    @Test
    void incByZeroIsANoop() {
        assertDiff("{a: 5}", "{a: 5}", "{$inc: {a: 0}}", "{}");
    }

    // arithmetic_node.cpp (ArithmeticNode::updateExistingElement): identical means same type and
    // value, so a type change with an equal number is still logged
    @Test
    void incThatOnlyChangesTheTypeIsLogged() {
        assertDiff("{a: 2}", "{a: 2.0}", "{$inc: {a: 0.0}}", "{u: {a: 2.0}}");
        assertDiff("{a: 2}", "{a: NumberLong(2)}", "{$inc: {a: NumberLong(0)}}", "{u: {a: NumberLong(2)}}");
    }

    // arithmetic_node.cpp / modifier_node.cpp (applyToNonexistentElement): $mul creates a zero;
    // multiplying by one is an identical result
    @Test
    void mulUpdatesOrCreatesZero() {
        assertDiff("{a: 3}", "{a: 6}", "{$mul: {a: 2}}", "{u: {a: 6}}");
        assertDiff("{}", "{a: 0}", "{$mul: {a: 2}}", "{i: {a: 0}}");
        assertDiff("{a: 3}", "{a: 3}", "{$mul: {a: 1}}", "{}");
    }

    // compare_node.cpp (CompareNode::updateExistingElement): an equal value (1 == 1.0) or one on the
    // wrong side is a no-op; compare_node_test.cpp
    @Test
    void minAndMaxLogOnlyWhenTheValueMoves() {
        assertDiff("{a: 1}", "{a: 2}", "{$max: {a: 2}}", "{u: {a: 2}}");
        assertDiff("{a: 1}", "{a: 1}", "{$max: {a: 0}}", "{}");
        assertDiff("{a: 1}", "{a: 1}", "{$max: {a: 1.0}}", "{}");
        assertDiff("{a: 1}", "{a: 0}", "{$min: {a: 0}}", "{u: {a: 0}}");
        assertDiff("{}", "{a: 0}", "{$min: {a: 0}}", "{i: {a: 0}}");
    }

    // bit_node_test.cpp (ApplyAndLogEmptyDocumentXor, ApplyAndLogSimpleDocumentAnd, ApplyShouldReportNoOp)
    @Test
    void bitLogsTheResultCreatesMissingAndSkipsNoops() {
        assertDiff("{}", "{a: 1}", "{$bit: {a: {xor: 1}}}", "{i: {a: 1}}");
        assertDiff("{a: 5}", "{a: 4}", "{$bit: {a: {and: 6}}}", "{u: {a: 4}}");
        assertDiff("{a: 1}", "{a: 1}", "{$bit: {a: {and: 1}}}", "{}");
    }

    // current_date_node.cpp (CurrentDateNode::updateExistingElement returns kNormalUpdate): it always
    // logs, even a value equal to the old one, and creates the field when missing
    @Test
    void currentDateAlwaysLogs() {
        Instant now = Instant.ofEpochMilli(1_700_000_000_000L);
        Document update = json("{$currentDate: {a: true}}");
        Document existing = new Document("a", now);
        assertExactly(Modifiers.diff(existing, existing, update, null, null), new Document("u", new Document("a", now)));
        assertExactly(Modifiers.diff(new Document(), existing, update, null, null), new Document("i", new Document("a", now)));

        BsonTimestamp ts = new BsonTimestamp(now, 1);
        Document stamped = new Document("b", new Document("c", ts));
        assertExactly(Modifiers.diff(new Document("b", new Document("c", 1)), stamped,
                json("{$currentDate: {'b.c': {$type: 'timestamp'}}}"), null, null),
            new Document("sb", new Document("u", new Document("c", ts))));
    }

    // modifier_node.cpp (ModifierNode::apply, Context::kInsertOnly): $setOnInsert does nothing on update
    @Test
    void setOnInsertNeverLogsOnAnUpdate() {
        assertDiff("{a: 1}", "{a: 2}", "{$setOnInsert: {b: 5}, $set: {a: 2}}", "{u: {a: 2}}");
    }
}
