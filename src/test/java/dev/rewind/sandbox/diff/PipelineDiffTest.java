package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.description;
import static dev.rewind.sandbox.diff.Bson.json;
import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Pipeline-style update deltas reproduce mongodb/mongo
 * src/mongo/db/update/document_diff_calculator_test.cpp (computeOplogDiff with the padding each
 * test passes) and jstests/change_streams/pipeline_style_updates.js.
 */
class PipelineDiffTest {
    private static void assertDiff(String pre, String post, int padding, String expected) {
        Document diff = PipelineDiff.oplogDiff(json(pre), json(post), padding);
        assertThat(diff).as("diff of %s -> %s", pre, post).isNotNull();
        assertExactly(diff, json(expected));
    }

    private static void assertReplacement(String pre, String post, int padding) {
        assertThat(PipelineDiff.oplogDiff(json(pre), json(post), padding)).isNull();
    }

    // document_diff_calculator_test.cpp (SameObjectsNoDiff)
    @Test
    void identicalDocumentsGiveAnEmptyDiff() {
        for (String doc : new String[] {"{field1: 1}", "{field1: []}", "{field1: [{}]}", "{field1: [0, 1, 2, 3, 4]}",
            "{field1: null}", "{field1: {}}"}) {
            assertDiff(doc, doc, 5, "{}");
            assertThat(PipelineDiff.of(json(doc), json(doc)).isEmpty()).isTrue();
        }
    }

    // document_diff_calculator_test.cpp (EmptyDocs): an empty diff is not smaller than {}.
    @Test
    void emptyDocumentsGiveNoDiff() {
        assertReplacement("{}", "{}", 0);
    }

    // document_diff_calculator_test.cpp (SimpleInsert, SimpleUpdate, SimpleDelete)
    @Test
    void simpleInsertUpdateAndDelete() {
        assertDiff("{a: {b: 1}}", "{a: {b: 1}, c: 1}", 0, "{i: {c: 1}}");
        assertDiff("{a: {b: 1}, c: 1}", "{a: {b: 1}, c: 2}", 0, "{u: {c: 2}}");
        assertDiff("{a: {b: 1}, c: 1}", "{a: {b: 1}}", 0, "{d: {c: false}}");
    }

    // document_diff_calculator_test.cpp (SimpleInsertNestedSingle, SimpleInsertNestedMultiple)
    @Test
    void subDocumentWhoseDiffIsBiggerIsUpdatedWhole() {
        assertDiff("{a: {}, e: 1, f: 1}", "{a: {b: {c: {d: 1}}}, e: 1, f: 1}", 0, "{u: {a: {b: {c: {d: 1}}}}}");
        assertDiff("{a: 1, g: 1, h: 1}", "{a: {b: 2, c: [2], d: {e: 2}, f: 1}, g: 1, h: 1}", 0,
            "{u: {a: {b: 2, c: [2], d: {e: 2}, f: 1}}}");
    }

    // document_diff_calculator_test.cpp (SimpleUpdateNestedObj, SimpleUpdateNestedArray, SimpleDeleteNestedObj)
    @Test
    void nestedChangesGetSubDiffs() {
        assertDiff("{a: {b: {c: {d: 1, e: 1, f: 1}}}}", "{a: {b: {c: {d: 2, e: 1, f: 1}}}}", 0, "{sa: {sb: {sc: {u: {d: 2}}}}}");
        assertDiff("{a: {b: {c: {d: [1], e: 1, f: 1}}}}", "{a: {b: {c: {d: [2], e: 1, f: 1}}}}", 0,
            "{sa: {sb: {sc: {u: {d: [2]}}}}}");
        assertDiff("{a: {b: {c: {d: 1}, e: 1, f: 1}}}", "{a: {b: {c: {}, e: 1, f: 1}}}", 0, "{sa: {sb: {u: {c: {}}}}}");
    }

    // document_diff_calculator_test.cpp (ReplaceAllFieldsLargeDelta, InsertFrontFieldLargeDelta,
    // EmptyPostObjLargeDelta, EmptyPreObjLargeDelta)
    @Test
    void deltaNotSmallerThanThePostImageMeansReplacement() {
        assertReplacement("{a: 1, b: 2, c: 3}", "{A: 1, B: 2, C: 3}", 0);
        assertReplacement("{b: 1, c: 1, d: 1}", "{a: 1, b: 1, c: 1, d: 1}", 0);
        for (String pre : new String[] {"{b: 1}", "{a: {b: 1}}", "{b: [1, 2, 3]}", "{b: {}}"}) {
            assertReplacement(pre, "{}", 0);
            assertReplacement("{}", pre, 0);
        }
    }

    // document_diff_calculator_test.cpp (DeleteAndInsertFieldAtTheEnd)
    @Test
    void movedFieldIsReinsertedOnly() {
        assertDiff("{a: 1, b: 'valueString', c: 3, d: 4}", "{b: 'valueString', c: 3, d: 4, a: 1}", 15, "{i: {a: 1}}");
    }

    // document_diff_calculator_test.cpp (DeletesRecordedInAscendingOrderOfFieldNames)
    @Test
    void trailingDeletesComeFirstThenTheOthersInByteOrder() {
        assertDiff("{b: 1, a: 2, c: 3, d: 4, e: 'valueString'}", "{c: 3, d: 4, e: 'valueString'}", 15,
            "{d: {a: false, b: false}}");
        assertDiff("{b: 1, a: 2, c: 'value', d: 'valueString', e: 'valueString', g: 1, f: 1}",
            "{c: 'value', d: 'valueString', e: 'valueString'}", 15, "{d: {g: false, f: false, a: false, b: false}}");
    }

    // document_diff_calculator_test.cpp (DataTypeChangeRecorded)
    @Test
    void numericTypeChangesAreUpdates() {
        String asDouble = "{a: 'valueString', b: 2, c: {subField1: 1, subField2: 3.0}, d: 4}";
        String asInt = "{a: 'valueString', b: 2, c: {subField1: 1, subField2: 3}, d: 4}";
        String asLong = "{a: 'valueString', b: 2, c: {subField1: 1, subField2: NumberLong(3)}, d: 4}";
        assertDiff(asDouble, asInt, 15, "{sc: {u: {subField2: 3}}}");
        assertDiff(asInt, asLong, 15, "{sc: {u: {subField2: NumberLong(3)}}}");
        assertDiff(asLong, asDouble, 15, "{sc: {u: {subField2: 3.0}}}");
    }

    // document_diff_calculator_test.cpp (NullAndMissing)
    @Test
    void removingANullFieldFromASmallDocumentIsAReplacement() {
        assertReplacement("{a: null}", "{}", 15);
    }

    // document_diff_calculator_test.cpp (FieldOrder)
    @Test
    void reorderedSubDocumentFieldIsReinserted() {
        assertDiff("{a: 1, b: 2, c: {p: 1, q: 1, s: 1, r: 2}, d: 4}", "{a: 1, b: 2, c: {p: 1, q: 1, r: 2, s: 1}, d: 4}", 10,
            "{sc: {i: {s: 1}}}");
    }

    // document_diff_calculator_test.cpp (SimpleArrayPush)
    @Test
    void appendedArrayElementIsAnIndexUpdate() {
        assertDiff("{field1: 'abcd', field2: [1, 2, 3]}", "{field1: 'abcd', field2: [1, 2, 3, 4]}", 5,
            "{sfield2: {a: true, u3: 4}}");
    }

    // document_diff_calculator_test.cpp (NestedArray)
    @Test
    void nestedArraysResizeAndUpdate() {
        assertDiff("{field1: 'abcd', field2: [1, 2, 3, [[2]]]}", "{field1: 'abcd', field2: [1, 2, 3, [[4]]]}", 0,
            "{sfield2: {a: true, u3: [[4]]}}");
        assertDiff("{field1: 'abcd', field2: [1, 2, 3, [1, 'longString', [2], 4, 5, 6], 5, 5, 5]}",
            "{field1: 'abcd', field2: [1, 2, 3, [1, 'longString', [4], 4], 5, 6]}", 0,
            "{sfield2: {a: true, l: 6, s3: {a: true, l: 4, u2: [4]}, u5: 6}}");
    }

    // document_diff_calculator_test.cpp (SubObjHasEmptyFieldName)
    @Test
    void emptyFieldNames() {
        assertDiff("{'': '1', field2: [1, 2, 3, {'': {'': 1, padding: 'largeFieldValue'}}]}",
            "{'': '2', field2: [1, 2, 3, {'': {'': 2, padding: 'largeFieldValue'}}]}", 15,
            "{u: {'': '2'}, sfield2: {a: true, s3: {s: {u: {'': 2}}}}}");
    }

    // document_diff_calculator_test.cpp (SubObjInSubArrayUpdateElements, SubObjInSubArrayDeleteElements)
    @Test
    void documentsInArraysGetSubDiffs() {
        assertDiff("{field1: 'abcd', field2: [1, 2, 3, {field3: ['veryLargeStringValueveryLargeStringValue', 2, 3, 4]}]}",
            "{field1: 'abcd', field2: [1, 2, 3, {field3: ['veryLargeStringValueveryLargeStringValue', 2, 4, 3, 5]}]}", 0,
            "{sfield2: {a: true, s3: {sfield3: {a: true, u2: 4, u3: 3, u4: 5}}}}");
        assertDiff("{field1: 'abcd', field2: [1, 2, 3, {field3: ['largeString', 2, 3, 4, 5]}]}",
            "{field1: 'abcd', field2: [1, 2, 3, {field3: ['largeString', 2, 3, 5]}]}", 15,
            "{sfield2: {a: true, s3: {sfield3: {a: true, l: 4, u3: 5}}}}");
    }

    // document_diff_calculator_test.cpp (NestedSubObjs)
    @Test
    void updatesPrecedeSubDiffsAtEachLevel() {
        assertDiff("{level1Field1: 'abcd', level1Field2: {level2Field1: {level3Field1: {p: 1}, level3Field2: {q: 1}},"
                + " level2Field2: 2}, level1Field3: 3, level1Field4: {level2Field1: {level3Field1: {p: 1},"
                + " level3Field2: {q: 1}}}}",
            "{level1Field1: 'abcd', level1Field2: {level2Field1: {level3Field1: {q: 1}, level3Field2: {q: 1}},"
                + " level2Field2: 2}, level1Field3: '3', level1Field4: {level2Field1: {level3Field1: {q: 1},"
                + " level3Field2: {q: 1}}}}", 15,
            "{u: {level1Field3: '3'}, slevel1Field2: {slevel2Field1: {u: {level3Field1: {q: 1}}}},"
                + " slevel1Field4: {slevel2Field1: {u: {level3Field1: {q: 1}}}}}");
    }

    // document_diff_calculator_test.cpp (SubArrayInSubArrayLargeDelta, SubObjInSubArrayLargeDelta,
    // SubObjInSubObjLargeDelta, SubArrayInSubObjLargeDelta)
    @Test
    void subDiffsLargerThanTheirValueBecomeUpdates() {
        assertDiff("{field1: 'abcd', field2: [1, 2, 3, {field3: [2, 3, 4, 5]}]}",
            "{field1: 'abcd', field2: [1, 2, 3, {field3: [1, 2, 3, 4, 5]}]}", 15,
            "{sfield2: {a: true, u3: {field3: [1, 2, 3, 4, 5]}}}");
        assertDiff("{field1: [1, 2, 3, 4, 5, 6, {a: 1, b: 2, c: 3, d: 4}, 7]}", "{field1: [1, 2, 3, 4, 5, 6, {p: 1, q: 2}, 7]}", 0,
            "{sfield1: {a: true, u6: {p: 1, q: 2}}}");
        assertDiff("{field: {p: 'someString', q: 2, r: {a: 1, b: 2, c: 3, 'd': 4}, s: 3}}",
            "{field: {p: 'someString', q: 2, r: {p: 1, q: 2}, s: 3}}", 0, "{sfield: {u: {r: {p: 1, q: 2}}}}");
        assertDiff("{field: {p: 'someString', q: 2, r: [1, 3, 4, 5], s: 3}}",
            "{field: {p: 'someString', q: 2, r: [1, 2, 3, 4], s: 3}}", 0, "{sfield: {u: {r: [1, 2, 3, 4]}}}");
    }

    private static final int MAX_DEPTH = 100;
    private static final String LARGE = "a".repeat(50);

    private static void deepObject(Document builder, String name, int depth, int maxDepth,
                                   BiConsumer<Document, Integer> fill) {
        if (depth >= maxDepth) {
            return;
        }
        Document sub = new Document();
        builder.put(name, sub);
        fill.accept(sub, depth);
        deepObject(sub, name, depth + 1, maxDepth, fill);
    }

    // document_diff_calculator_test.cpp (DeeplyNestObjectGenerateDiff)
    @Test
    void deeplyNestedObjects() {
        Document pre = new Document("largeField", LARGE);
        deepObject(pre, "subObj", 0, MAX_DEPTH, (d, depth) -> d.put("largeField", LARGE));
        assertExactly(PipelineDiff.oplogDiff(pre, new Document("largeField", LARGE), 0), json("{d: {subObj: false}}"));

        Document post = new Document("largeField", LARGE);
        deepObject(post, "subObj", 0, MAX_DEPTH - 1, (d, depth) -> d.put("largeField", LARGE));
        Document expected = new Document();
        deepObject(expected, "ssubObj", 0, MAX_DEPTH - 1, (d, depth) -> {
            if (depth == MAX_DEPTH - 2) {
                d.put("d", new Document("subObj", false));
            }
        });
        assertExactly(PipelineDiff.oplogDiff(pre, post, 0), expected);
    }

    // document_diff_calculator_test.cpp (DeepestObjectSubDiff)
    @Test
    void deepestChangeGetsNestedSubDiffs() {
        Document pre = new Document();
        deepObject(pre, "subObj", 0, MAX_DEPTH, (d, depth) -> {
            d.put("largeField", LARGE);
            if (depth == MAX_DEPTH - 1) {
                d.put("field", 1);
            }
        });
        Document post = new Document();
        deepObject(post, "subObj", 0, MAX_DEPTH, (d, depth) -> {
            d.put("largeField", LARGE);
            if (depth == MAX_DEPTH - 1) {
                d.put("field", 2);
            }
        });
        Document expected = new Document();
        deepObject(expected, "ssubObj", 0, MAX_DEPTH, (d, depth) -> {
            if (depth == MAX_DEPTH - 1) {
                d.put("u", new Document("field", 2));
            }
        });
        assertExactly(PipelineDiff.oplogDiff(pre, post, 0), expected);
    }

    private static final String L512 = "*".repeat(512);

    private static Document initial() {
        return new Document("_id", 100).append("a", 1).append("b", 2)
            .append("obj", new Document("a", 1).append("b", 2).append("str", L512));
    }

    // jstests/change_streams/pipeline_style_updates.js: [{$set: {a: 2}}]
    @Test
    void pipelineSetReportsTheUpdatedField() {
        Document after = initial();
        after.put("a", 2);
        assertExactly(description(PipelineDiff.of(initial(), after)),
            json("{updatedFields: {a: 2}, removedFields: [], truncatedArrays: []}"));
    }

    // jstests/change_streams/pipeline_style_updates.js: [{$unset: ['a']}]
    @Test
    void pipelineUnsetReportsTheRemovedField() {
        Document after = initial();
        after.remove("a");
        assertExactly(description(PipelineDiff.of(initial(), after)),
            json("{updatedFields: {}, removedFields: ['a'], truncatedArrays: []}"));
    }

    // jstests/change_streams/pipeline_style_updates.js: $replaceRoot keeping most of the document
    @Test
    void pipelineReplaceRootReportsTheNestedChange() {
        Document before = initial();
        before.remove("a");
        Document after = new Document("_id", 100).append("b", 2)
            .append("obj", new Document("a", 2).append("b", 2).append("str", L512));
        assertExactly(description(PipelineDiff.of(before, after)),
            json("{updatedFields: {'obj.a': 2}, removedFields: [], truncatedArrays: []}"));
    }

    // pipeline_style_updates.js logs a replacement (a 'replace' event) when no delta is used;
    // with deltas, mongod still replaces when the delta is not smaller than the document
    // (document_diff_calculator.cpp computeOplogDiff).
    @Test
    void pipelineRewritingTheDocumentIsAReplacement() {
        Document before = initial();
        before.remove("a");
        assertThat(PipelineDiff.of(before, new Document("_id", 100).append("a", 1).append("b", 2))).isNull();
    }

    // A shortened array reports truncatedArrays (document_diff_calculator.cpp computeArrayDiff;
    // change_stream_document_diff_parser.cpp addToTruncatedArrays).
    @Test
    void pipelineSlicingAnArrayReportsItTruncated() {
        Document before = new Document("_id", 1).append("arr", java.util.List.of("a", "b", "c")).append("keep", "value");
        Document after = new Document("_id", 1).append("arr", java.util.List.of("a", "b")).append("keep", "value");
        assertExactly(description(PipelineDiff.of(before, after)),
            json("{updatedFields: {}, removedFields: [], truncatedArrays: [{field: 'arr', newSize: 2}]}"));
    }

    // Truncation and an element update of the same array in one event ({sarr: {a: true, l: 100, u0: 'X'}}),
    // as computeArrayDiff produces for [{$set: {arr: {$concatArrays: [['X'], {$slice: ['$arr', 1, 99]}]}}}].
    @Test
    void pipelineReplacingTheHeadAndCuttingTheTail() {
        java.util.List<Object> arr = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            arr.add(i);
        }
        java.util.List<Object> cut = new java.util.ArrayList<>(arr.subList(0, 100));
        cut.set(0, "X");
        Document diff = PipelineDiff.oplogDiff(new Document("_id", 1).append("arr", arr),
            new Document("_id", 1).append("arr", cut), PipelineDiff.DELTA_METADATA_PADDING);
        assertExactly(diff, json("{sarr: {a: true, l: 100, u0: 'X'}}"));
        assertExactly(description(UpdateDelta.fromOplogDiff(diff)),
            json("{updatedFields: {'arr.0': 'X'}, removedFields: [], truncatedArrays: [{field: 'arr', newSize: 100}]}"));
    }
}
