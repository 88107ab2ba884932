package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.json;
import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a {@code $v: 2} delta reads as an updateDescription, as mongod's change-stream parser reads
 * it (mongodb/mongo src/mongo/db/pipeline/change_stream_document_diff_parser.cpp).
 */
class UpdateDeltaTest {
    private static Document describe(String diff) {
        return UpdateDelta.fromOplogDiff(json(diff)).toUpdateDescription(true);
    }

    // mongodb/mongo src/mongo/db/pipeline/change_stream_test.cpp (TransformSimpleDeltaOplogUpdatedFields)
    @Test
    void updatesReadAsUpdatedFieldsAndAnEmptyDescriptionStaysComplete() {
        Document d = UpdateDelta.fromOplogDiff(json("{u: {a: 1, b: 'updated'}}")).toUpdateDescription(false);
        assertExactly(d, json("{updatedFields: {a: 1, b: 'updated'}, removedFields: [], truncatedArrays: []}"));
    }

    // mongodb/mongo src/mongo/db/pipeline/change_stream_test.cpp: with showExpandedEvents the
    // description carries disambiguatedPaths, empty when nothing is ambiguous.
    @Test
    void expandedEventsAlwaysCarryDisambiguatedPaths() {
        assertExactly(describe("{u: {y: 1}}"),
            json("{updatedFields: {y: 1}, removedFields: [], truncatedArrays: [], disambiguatedPaths: {}}"));
    }

    // change_stream_document_diff_parser.cpp: u, then i, then d, then each sub-diff.
    @Test
    void updatesComeBeforeInsertsAndRemovalsBeforeSubDiffs() {
        UpdateDelta delta = UpdateDelta.fromOplogDiff(
            json("{d: {z: false}, u: {b: 1}, i: {a: 2}, sc: {u: {x: 1}, d: {y: false}}}"));
        assertThat(delta.entries()).extracting(UpdateDelta.Entry::dottedPath)
            .containsExactly("b", "a", "z", "c.x", "c.y");
        assertExactly(delta.toUpdateDescription(false),
            json("{updatedFields: {b: 1, a: 2, 'c.x': 1}, removedFields: ['z', 'c.y'], truncatedArrays: []}"));
    }

    // mongodb/mongo src/mongo/db/pipeline/change_stream_document_diff_parser_test.cpp (DisambiguatesNumericFields)
    @Test
    void numericFieldBelowTheTopLevelIsDisambiguatedAsAString() {
        Document d = describe("{sa: {u: {'0': 1}}}");
        assertExactly(d.get("updatedFields"), json("{'a.0': 1}"));
        assertExactly(d.get("disambiguatedPaths"), json("{'a.0': ['a', '0']}"));
    }

    // change_stream_document_diff_parser_test.cpp (DisambiguatesNumericFieldsFromArrayIndices)
    @Test
    void arrayIndexesAreDisambiguatedAsIntegers() {
        Document d = describe("{sa: {s0: {a: true, u0: 1}}}");
        assertExactly(d.get("updatedFields"), json("{'a.0.0': 1}"));
        assertExactly(d.get("disambiguatedPaths"), json("{'a.0.0': ['a', '0', 0]}"));
    }

    // change_stream_document_diff_parser_test.cpp (DoesNotDisambiguateNumericFieldAtRootOfDocument,
    // DoesNotDisambiguateNumericFieldWithLeadingZeroes, DoesNotDisambiguateIfOnlyArrayIndicesPresent)
    @Test
    void rootNumbersLeadingZeroesAndArrayIndexesAloneAreNotAmbiguous() {
        assertExactly(describe("{u: {'0': 1}}").get("disambiguatedPaths"), new Document());
        assertExactly(describe("{sa: {u: {'01': 1}}}").get("disambiguatedPaths"), new Document());
        Document d = describe("{sa: {a: true, s0: {u: {b: 1}}}}");
        assertExactly(d.get("updatedFields"), json("{'a.0.b': 1}"));
        assertExactly(d.get("disambiguatedPaths"), new Document());
    }

    // change_stream_document_diff_parser_test.cpp (DisambiguatesRemovedFields)
    @Test
    void removedFieldsAreDisambiguated() {
        Document d = describe("{d: {'a.b': false}, sc: {d: {'0': false}}}");
        assertThat(d.get("removedFields")).isEqualTo(List.of("a.b", "c.0"));
        assertExactly(d.get("disambiguatedPaths"), json("{'a.b': ['a.b'], 'c.0': ['c', '0']}"));
    }

    // change_stream_document_diff_parser_test.cpp (DisambiguatesTruncatedArrays)
    @Test
    void truncatedArraysAreDisambiguated() {
        Document d = describe("{'sa.b': {a: true, l: 5}, sc: {s0: {a: true, l: 5}}}");
        assertExactly(d.get("truncatedArrays"), List.of(json("{field: 'a.b', newSize: 5}"), json("{field: 'c.0', newSize: 5}")));
        assertExactly(d.get("disambiguatedPaths"), json("{'a.b': ['a.b'], 'c.0': ['c', '0']}"));
    }

    // change_stream_document_diff_parser_test.cpp (DisambiguatesCombinationOfAmbiguousFields)
    @Test
    void combinationsOfDottedNumericAndIndexSteps() {
        Document d = describe("{'sa.b': {a: true, s0: {u: {'1': 1}}},"
            + " sc: {a: true, s0: {u: {'d.e': 1}}, s1: {u: {'2': 1}}},"
            + " sf: {s1: {u: {'g.h': 1}, s2: {a: true, u3: 1, s4: {u: {'5': 1}}}}}}");
        assertExactly(d.get("updatedFields"),
            json("{'a.b.0.1': 1, 'c.0.d.e': 1, 'c.1.2': 1, 'f.1.g.h': 1, 'f.1.2.3': 1, 'f.1.2.4.5': 1}"));
        assertExactly(d.get("disambiguatedPaths"), json("{'a.b.0.1': ['a.b', 0, '1'], 'c.0.d.e': ['c', 0, 'd.e'],"
            + " 'c.1.2': ['c', 1, '2'], 'f.1.g.h': ['f', '1', 'g.h'], 'f.1.2.3': ['f', '1', '2', 3],"
            + " 'f.1.2.4.5': ['f', '1', '2', 4, '5']}"));
    }

    // change_stream_document_diff_parser_test.cpp (DoesNotFullyDisambiguateWithDuplicateFieldsInDiff):
    // mongod emits "a.b" twice; a Document keeps one key (the later value), the entries keep both.
    @Test
    void duplicateDottedPathsKeepBothEntries() {
        UpdateDelta delta = UpdateDelta.fromOplogDiff(json("{u: {'a.b': 2}, sa: {u: {b: 1}}}"));
        assertThat(delta.entries()).hasSize(2);
        assertThat(delta.entries().get(0).path()).isEqualTo(List.of("a.b"));
        assertThat(delta.entries().get(1).path()).isEqualTo(List.of("a", "b"));
        Document d = delta.toUpdateDescription(true);
        assertExactly(d.get("updatedFields"), json("{'a.b': 1}"));
        assertExactly(d.get("disambiguatedPaths"), json("{'a.b': ['a.b']}"));
    }

    // change_stream_document_diff_parser.cpp: an array level reports its resize before its elements.
    @Test
    void resizeIsReportedBeforeTheArrayElements() {
        UpdateDelta delta = UpdateDelta.fromOplogDiff(json("{sarr: {a: true, l: 100, u0: 'X'}}"));
        assertThat(delta.entries()).extracting(UpdateDelta.Entry::kind)
            .containsExactly(UpdateDelta.Kind.TRUNCATE, UpdateDelta.Kind.UPDATE);
        assertExactly(delta.toUpdateDescription(false),
            json("{updatedFields: {'arr.0': 'X'}, removedFields: [], truncatedArrays: [{field: 'arr', newSize: 100}]}"));
    }

    @Test
    void emptyDiffIsAnEmptyDelta() {
        assertThat(UpdateDelta.fromOplogDiff(new Document()).isEmpty()).isTrue();
        assertThat(UpdateDelta.fromOplogDiff(json("{u: {a: 1}}")).isEmpty()).isFalse();
    }

    @Test
    void entriesAreImmutableCopies() {
        Document value = json("{x: 1}");
        UpdateDelta delta = new UpdateDelta(List.of(UpdateDelta.Entry.update(List.of("a"), value)));
        value.put("x", 2);
        ((Document) delta.entries().get(0).value()).put("x", 3);
        assertExactly(delta.entries().get(0).value(), json("{x: 1}"));
    }
}
