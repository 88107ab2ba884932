package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.json;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Replays mongodb/mongo jstests/change_streams/expanded_update_description.js ("Test change
 * stream 'updateDescription' with 'showExpandedEvents'", 6.1+): each update runs on the document
 * the previous ones left, and the event's updateDescription, disambiguatedPaths included, must
 * be the one the jstest expects. Comments quote the jstest's.
 */
class ExpandedEventsJsTest {
    private static final String L = "*".repeat(128);

    private static Document initial() {
        return new Document("_id", 100)
            .append("topLevelArray", list(new Document("subArray",
                list(0, list(0, list(new Document("bottomArray", list(1, 2, L)))), 2, 3, L))))
            .append("arrayForReplacement", list(0, 1, 2, 3))
            .append("arrayForResize", list(L, 1))
            .append("obj", new Document("sub.obj", new Document("d.o.t.t.e.d.a.r.r.a.y..",
                list(list(new Document("a", new Document("b.c", 1).append("field", L)), "truncated")))))
            .append("d.o.t.t.e.d.o.b.j.", new Document("sub.obj", new Document("b.c", 2)))
            .append("objectWithNumericField", new Document("0", new Document("1", "numeric").append("field", L)))
            .append("arrayWithNumericField", list(list(new Document("0", "numeric")
                .append("a", new Document("b.c", 1)).append("field", L))))
            .append("arrayWithDotted.AndNumericFields", list(list(new Document("0",
                list(new Document("1.2", new Document("a.b", null).append("c", L)))))));
    }

    private static List<Object> list(Object... values) {
        List<Object> out = new ArrayList<>();
        for (Object v : values) {
            out.add(v);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object root, Object... steps) {
        Object current = root;
        for (Object step : steps) {
            current = step instanceof Integer i ? ((List<Object>) current).get(i) : ((Document) current).get(step);
        }
        return (T) current;
    }

    private static Document copy(Document d) {
        return (Document) BsonValues.deepCopy(d);
    }

    private static Document change(Document before, UnaryOperator<Document> edit) {
        return edit.apply(copy(before));
    }

    // The jstest's updates, as the images they produce.
    private static final List<UnaryOperator<Document>> STEPS = List.of(
        d -> {
            d.put("arrayForReplacement", list(0));
            List<Object> bottom = at(d, "topLevelArray", 0, "subArray", 1, 1, 0, "bottomArray");
            bottom.set(2, 3);
            d.put("a", 2);
            return d;
        },
        d -> {
            Document element = at(d, "arrayWithNumericField", 0, 0);
            element.put("1", new Document("b.c", 1));
            return d;
        },
        d -> {
            Document numeric = at(d, "objectWithNumericField", "0");
            numeric.put("1", "updated");
            return d;
        },
        d -> {
            d.remove("arrayForReplacement");
            return d;
        },
        d -> {
            d.put("arrayForResize", list(L));
            return d;
        },
        d -> {
            d.put("d.o.t.t.e.d.o.b.j.", new Document("subObj", 1));
            d.put("new.Field.", 1);
            return d;
        },
        d -> {
            d.put("obj", new Document("sub.obj", new Document("d.o.t.t.e.d.a.r.r.a.y..",
                list(list(new Document("a", new Document("b.c", 2).append("field", L)))))));
            return d;
        },
        d -> {
            d.put("arrayWithDotted.AndNumericFields", list(list(new Document("0",
                list(new Document("1.2", new Document("a.b", true).append("c", L)))))));
            return d;
        });

    private static Document before(int step) {
        Document d = initial();
        for (int i = 0; i < step; i++) {
            d = change(d, STEPS.get(i));
        }
        return d;
    }

    private static void assertModifier(int step, String update, String expected) {
        Document before = before(step);
        Document after = change(before, STEPS.get(step));
        UpdateDelta delta = ModifierDiff.of(before, after, json(update));
        assertExactly(delta.toUpdateDescription(true), json(expected));
    }

    private static void assertPipeline(int step, String expected) {
        Document before = before(step);
        UpdateDelta delta = PipelineDiff.of(before, change(before, STEPS.get(step)));
        assertExactly(delta.toUpdateDescription(true), json(expected));
    }

    // "a path which only contains non-dotted fields and array indices is not reported"
    @Test
    void indexesAndPlainFieldsAreNotAmbiguous() {
        assertModifier(0, "{$set: {a: 2, 'topLevelArray.0.subArray.1.1.0.bottomArray.2': 3, arrayForReplacement: [0]}}",
            "{updatedFields: {arrayForReplacement: [0], a: 2, 'topLevelArray.0.subArray.1.1.0.bottomArray.2': 3},"
                + " removedFields: [], truncatedArrays: [], disambiguatedPaths: {}}");
    }

    // "a non-array numeric field name is reported as a string ... Array indexes are reported as integers"
    @Test
    void createdNumericFieldUnderArrayIndexes() {
        assertModifier(1, "{$set: {'arrayWithNumericField.0.0.1': {'b.c': 1}}}",
            "{updatedFields: {'arrayWithNumericField.0.0.1': {'b.c': 1}}, removedFields: [], truncatedArrays: [],"
                + " disambiguatedPaths: {'arrayWithNumericField.0.0.1': ['arrayWithNumericField', 0, 0, '1']}}");
    }

    // "a non-array numeric field name is reported when no array indices or dotted fields are present"
    @Test
    void numericFieldsInDocuments() {
        assertModifier(2, "{$set: {'objectWithNumericField.0.1': 'updated'}}",
            "{updatedFields: {'objectWithNumericField.0.1': 'updated'}, removedFields: [], truncatedArrays: [],"
                + " disambiguatedPaths: {'objectWithNumericField.0.1': ['objectWithNumericField', '0', '1']}}");
    }

    // "an update with $unset array does not report the array under 'disambiguatedPaths'"
    @Test
    void pipelineUnsetOfAnArray() {
        assertPipeline(3, "{updatedFields: {}, removedFields: ['arrayForReplacement'], truncatedArrays: [],"
            + " disambiguatedPaths: {}}");
    }

    // "an update with 'truncatedArrays' does not report the array under 'disambiguatedPaths'"
    @Test
    void pipelineTruncation() {
        assertPipeline(4, "{updatedFields: {}, removedFields: [], truncatedArrays: [{field: 'arrayForResize', newSize: 1}],"
            + " disambiguatedPaths: {}}");
    }

    // "top-level dotted fields are reported under 'disambiguatedPaths'"
    @Test
    void pipelineTopLevelDottedFields() {
        assertPipeline(5, "{updatedFields: {'d.o.t.t.e.d.o.b.j.': {subObj: 1}, 'new.Field.': 1}, removedFields: [],"
            + " truncatedArrays: [], disambiguatedPaths: {'d.o.t.t.e.d.o.b.j.': ['d.o.t.t.e.d.o.b.j.'],"
            + " 'new.Field.': ['new.Field.']}}");
    }

    // "a combination of dotted fields and array indices are reported in 'disambiguatedPaths'"
    @Test
    void pipelineDottedFieldsAndIndexesWithTruncation() {
        assertPipeline(6, "{updatedFields: {'obj.sub.obj.d.o.t.t.e.d.a.r.r.a.y...0.0.a.b.c': 2}, removedFields: [],"
            + " truncatedArrays: [{field: 'obj.sub.obj.d.o.t.t.e.d.a.r.r.a.y...0', newSize: 1}],"
            + " disambiguatedPaths: {'obj.sub.obj.d.o.t.t.e.d.a.r.r.a.y...0': ['obj', 'sub.obj', 'd.o.t.t.e.d.a.r.r.a.y..', 0],"
            + " 'obj.sub.obj.d.o.t.t.e.d.a.r.r.a.y...0.0.a.b.c':"
            + " ['obj', 'sub.obj', 'd.o.t.t.e.d.a.r.r.a.y..', 0, 0, 'a', 'b.c']}}");
    }

    // "distinguishes all three [dotted, numeric and array index fields] in 'disambiguatedPaths'"
    @Test
    void pipelineDottedNumericAndIndexSteps() {
        assertPipeline(7, "{updatedFields: {'arrayWithDotted.AndNumericFields.0.0.0.0.1.2.a.b': true}, removedFields: [],"
            + " truncatedArrays: [], disambiguatedPaths: {'arrayWithDotted.AndNumericFields.0.0.0.0.1.2.a.b':"
            + " ['arrayWithDotted.AndNumericFields', 0, 0, '0', 0, '1.2', 'a.b']}}");
    }

    // change_stream_event_transform.cpp: without showExpandedEvents (and before 6.1) the field is absent.
    @Test
    void plainStreamsHaveNoDisambiguatedPaths() {
        Document before = before(2);
        UpdateDelta delta = ModifierDiff.of(before, change(before, STEPS.get(2)), json("{$set: {'objectWithNumericField.0.1': 'updated'}}"));
        assertExactly(delta.toUpdateDescription(false), json("{updatedFields: {'objectWithNumericField.0.1': 'updated'},"
            + " removedFields: [], truncatedArrays: []}"));
    }
}
