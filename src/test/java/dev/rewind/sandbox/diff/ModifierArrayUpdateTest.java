package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.json;
import static dev.rewind.sandbox.diff.Modifiers.assertDiff;
import static dev.rewind.sandbox.diff.Modifiers.description;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Positional updates: {@code $[]}, {@code $[<id>]} with arrayFilters, and {@code $}
 * (mongodb/mongo src/mongo/db/update/update_array_node_test.cpp, update_object_node_test.cpp,
 * set_node_test.cpp).
 */
class ModifierArrayUpdateTest {
    private static Document diff(String before, String after, String update, List<String> filters, Integer match) {
        List<Document> arrayFilters = filters == null ? null : filters.stream().map(Bson::json).toList();
        return Modifiers.diff(json(before), json(after), json(update), arrayFilters, match);
    }

    // update_array_node_test.cpp (UpdateIsAppliedToAllMatchingElements): several modified elements log the array
    @Test
    void severalModifiedElementsLogTheWholeArray() {
        assertExactly(diff("{a: [0, 1, 0]}", "{a: [2, 1, 2]}", "{$set: {'a.$[i]': 2}}", List.of("{i: 0}"), null),
            json("{u: {a: [2, 1, 2]}}"));
    }

    // update_array_node_test.cpp (UpdateForEmptyIdentifierIsAppliedToAllArrayElements)
    @Test
    void allPositionalLogsTheWholeArrayWhenSeveralChange() {
        assertDiff("{a: [0, 0, 0]}", "{a: [1, 1, 1]}", "{$set: {'a.$[]': 1}}", "{u: {a: [1, 1, 1]}}");
    }

    // update_array_node_test.cpp (ApplyMultipleUpdatesToArrayElement): one matched element logs itself
    @Test
    void singleMatchedElementLogsItsOwnFields() {
        Document d = diff("{a: [{b: 0, c: 0, d: 0}]}", "{a: [{b: 1, c: 1, d: 1}]}",
            "{$set: {'a.$[i].b': 1, 'a.$[j].c': 1, 'a.$[k].d': 1}}", List.of("{'i.b': 0}", "{'j.c': 0}", "{'k.d': 0}"), null);
        assertExactly(d, json("{sa: {a: true, s0: {u: {b: 1, c: 1, d: 1}}}}"));
        assertExactly(UpdateDelta.fromOplogDiff(d).toUpdateDescription(false),
            json("{updatedFields: {'a.0.b': 1, 'a.0.c': 1, 'a.0.d': 1}, removedFields: [], truncatedArrays: []}"));
    }

    // update_array_node_test.cpp (ApplyMultipleUpdatesToArrayElementsUsingMergedChildrenCache,
    // ApplyMultipleUpdatesToArrayElementsWithoutMergedChildrenCache)
    @Test
    void mergedUpdatesOnSeveralElementsLogTheWholeArray() {
        assertExactly(diff("{a: [{b: 0, c: 0}, {b: 0, c: 0}]}", "{a: [{b: 1, c: 1}, {b: 1, c: 1}]}",
                "{$set: {'a.$[i].b': 1, 'a.$[j].c': 1}}", List.of("{'i.b': 0}", "{'j.c': 0}"), null),
            json("{u: {a: [{b: 1, c: 1}, {b: 1, c: 1}]}}"));
        assertExactly(diff("{a: [{b: 0, c: 0, d: 1}, {b: 1, c: 0, d: 0}]}", "{a: [{b: 2, c: 2, d: 1}, {b: 1, c: 2, d: 2}]}",
                "{$set: {'a.$[i].b': 2, 'a.$[j].c': 2, 'a.$[k].d': 2}}", List.of("{'i.b': 0}", "{'j.c': 0}", "{'k.d': 0}"), null),
            json("{u: {a: [{b: 2, c: 2, d: 1}, {b: 1, c: 2, d: 2}]}}"));
    }

    // update_array_node_test.cpp (ApplyMultipleUpdatesToArrayElementWithEmptyIdentifiers)
    @Test
    void allPositionalOnASingleElementLogsItsFields() {
        assertDiff("{a: [{b: 0, c: 0}]}", "{a: [{b: 1, c: 1}]}", "{$set: {'a.$[].b': 1, 'a.$[].c': 1}}",
            "{sa: {a: true, s0: {u: {b: 1, c: 1}}}}");
    }

    // update_array_node_test.cpp (ApplyNestedArrayUpdates)
    @Test
    void nestedArrayFilters() {
        assertExactly(diff("{a: [{x: 0, b: [{c: 0, d: 0}]}]}", "{a: [{x: 0, b: [{c: 1, d: 1}]}]}",
                "{$set: {'a.$[i].b.$[j].c': 1, 'a.$[k].b.$[l].d': 1}}",
                List.of("{'i.x': 0}", "{'j.c': 0}", "{'k.x': 0}", "{'l.d': 0}"), null),
            json("{sa: {a: true, s0: {sb: {a: true, s0: {u: {c: 1, d: 1}}}}}}"));
    }

    // update_array_node_test.cpp (ApplyUpdatesWithMergeConflictToArrayElementFails)
    @Test
    void twoLeavesOnOneMatchedElementConflict() {
        assertThatThrownBy(() -> diff("{a: [0]}", "{a: [1]}", "{$set: {'a.$[i]': 1, 'a.$[j]': 1}}",
            List.of("{i: 0}", "{j: 0}"), null)).isInstanceOf(IllegalArgumentException.class);
    }

    // update_array_node_test.cpp (NoArrayElementsMatch, UpdatesToAllArrayElementsAreNoops, ArrayUpdateOnEmptyArrayIsANoop)
    @Test
    void unmatchedOrUnchangedElementsAreNoops() {
        assertExactly(diff("{a: [2, 2, 2]}", "{a: [2, 2, 2]}", "{$set: {'a.$[i]': 1}}", List.of("{i: 0}"), null), new Document());
        assertExactly(diff("{a: [1, 1, 1]}", "{a: [1, 1, 1]}", "{$set: {'a.$[i]': 1}}", List.of("{i: 1}"), null), new Document());
        assertDiff("{a: []}", "{a: []}", "{$set: {'a.$[]': 0}}", "{}");
    }

    // update_array_node_test.cpp (NoArrayElementAffectsIndexes)
    @Test
    void createdFieldsInSeveralElementsLogTheWholeArray() {
        assertExactly(diff("{a: [{c: 0}, {c: 0}, {c: 0}]}", "{a: [{c: 0, b: 0}, {c: 0, b: 0}, {c: 0, b: 0}]}",
                "{$set: {'a.$[i].b': 0}}", List.of("{'i.c': 0}"), null),
            json("{u: {a: [{c: 0, b: 0}, {c: 0, b: 0}, {c: 0, b: 0}]}}"));
    }

    // update_array_node_test.cpp (WhenOneElementIsMatchedLogElementUpdateDirectly)
    @Test
    void oneMatchedElementLogsTheCreatedField() {
        Document d = diff("{a: [{c: 1}, {c: 0}, {c: 1}]}", "{a: [{c: 1}, {c: 0, b: 0}, {c: 1}]}", "{$set: {'a.$[i].b': 0}}",
            List.of("{'i.c': 0}"), null);
        assertExactly(d, json("{sa: {a: true, s1: {i: {b: 0}}}}"));
        assertExactly(UpdateDelta.fromOplogDiff(d).toUpdateDescription(false),
            json("{updatedFields: {'a.1.b': 0}, removedFields: [], truncatedArrays: []}"));
    }

    // update_array_node_test.cpp (WhenOneElementIsModifiedLogElement): two matched, one modified,
    // so the modified element is logged whole
    @Test
    void oneModifiedAmongSeveralMatchedLogsTheWholeElement() {
        Document d = diff("{a: [{c: 0, b: 0}, {c: 0}, {c: 1}]}", "{a: [{c: 0, b: 0}, {c: 0, b: 0}, {c: 1}]}",
            "{$set: {'a.$[i].b': 0}}", List.of("{'i.c': 0}"), null);
        assertExactly(d, json("{sa: {a: true, u1: {c: 0, b: 0}}}"));
    }

    // The same update without its arrayFilters: matches are inferred from the changed elements, so
    // the unchanged matched element is missed and the finer path is logged (documented approximation).
    @Test
    void withoutArrayFiltersMatchesAreInferredFromChangedElements() {
        assertExactly(diff("{a: [{c: 0, b: 0}, {c: 0}, {c: 1}]}", "{a: [{c: 0, b: 0}, {c: 0, b: 0}, {c: 1}]}",
                "{$set: {'a.$[i].b': 0}}", null, null),
            json("{sa: {a: true, s1: {i: {b: 0}}}}"));
        // Where every matched element changed, inference is exact.
        assertExactly(diff("{a: [0, 1, 0]}", "{a: [2, 1, 2]}", "{$set: {'a.$[i]': 2}}", null, null),
            json("{u: {a: [2, 1, 2]}}"));
    }

    // Inference attributes an element to the identifiers whose own fields changed there, so a second
    // identifier's creating $set is not merged onto an element it did not touch
    // (update_array_node.cpp merges only the children whose filters match).
    @Test
    void inferredMatchesFollowEachIdentifiersOwnChanges() {
        String update = "{$set: {'a.$[i].b': 1, 'a.$[j].c': 1}}";
        String before = "{a: [{b: 0}, {x: 1}, {x: 2}]}";
        String after = "{a: [{b: 1}, {x: 1, c: 1}, {x: 2}]}";
        Document exact = diff(before, after, update, List.of("{'i.b': 0}", "{'j.x': 1}"), null);
        assertExactly(exact, json("{u: {a: [{b: 1}, {x: 1, c: 1}, {x: 2}]}}"));
        assertExactly(diff(before, after, update, null, null), exact);
        // One element changed by one identifier: it logs its own field either way.
        assertExactly(diff("{a: [{b: 0}, {x: 2}]}", "{a: [{b: 1}, {x: 2}]}", update, null, null),
            json("{sa: {a: true, s0: {u: {b: 1}}}}"));
    }

    // update_array_node_test.cpp (ApplyPositionalInsideArrayUpdate)
    @Test
    void positionalInsideAnArrayFilter() {
        assertExactly(diff("{a: [{b: [0, 0], c: 0}]}", "{a: [{b: [0, 1], c: 0}]}", "{$set: {'a.$[i].b.$': 1}}",
                List.of("{'i.c': 0}"), 1),
            json("{sa: {a: true, s0: {sb: {a: true, u1: 1}}}}"));
    }

    // set_node_test.cpp (ApplyPositional); unset_node_test.cpp (UnsetPositional); arithmetic_node_test.cpp (ApplyPositional)
    @Test
    void positionalLogsTheResolvedIndex() {
        assertDiff("{a: [0, 1, 2]}", "{a: [0, 6, 2]}", "{$set: {'a.$': 6}}", "{sa: {a: true, u1: 6}}");
        assertDiff("{a: [0, 1, 2]}", "{a: [0, null, 2]}", "{$unset: {'a.$': 1}}", "{sa: {a: true, u1: null}}");
        assertDiff("{a: [0, 1, 2]}", "{a: [0, 7, 2]}", "{$inc: {'a.$': 6}}", "{sa: {a: true, u1: 7}}");
        assertExactly(description("{a: [0, 1, 2]}", "{a: [0, 6, 2]}", "{$set: {'a.$': 6}}"),
            json("{updatedFields: {'a.1': 6}, removedFields: [], truncatedArrays: []}"));
    }

    // update_object_node_test.cpp (ApplyMergePositionalChild)
    @Test
    void positionalMergesWithTheSameExplicitIndex() {
        assertExactly(diff("{a: [{b: 0, c: 0}]}", "{a: [{b: 5, c: 6}]}", "{$set: {'a.0.b': 5, 'a.$.c': 6}}", null, 0),
            json("{sa: {a: true, s0: {u: {b: 5, c: 6}}}}"));
    }

    // update_object_node_test.cpp (ApplyDoNotUseStoredMergedPositional)
    @Test
    void positionalMatchDecidesWhichElementMerges() {
        String update = "{$set: {'a.0.b': 5, 'a.$.c': 6, 'a.1.d': 7}}";
        assertExactly(diff("{a: [{b: 0, c: 0}, {c: 0, d: 0}]}", "{a: [{b: 5, c: 6}, {c: 0, d: 7}]}", update, null, 0),
            json("{sa: {a: true, s0: {u: {b: 5, c: 6}}, s1: {u: {d: 7}}}}"));
        assertExactly(diff("{a: [{b: 0, c: 0}, {c: 0, d: 0}]}", "{a: [{b: 5, c: 0}, {c: 6, d: 7}]}", update, null, 1),
            json("{sa: {a: true, s0: {u: {b: 5}}, s1: {u: {c: 6, d: 7}}}}"));
        // Inferred: both changed elements are named explicitly; the first mergeable one is chosen.
        assertExactly(diff("{a: [{b: 0, c: 0}, {c: 0, d: 0}]}", "{a: [{b: 5, c: 6}, {c: 0, d: 7}]}", update, null, null),
            json("{sa: {a: true, s0: {u: {b: 5, c: 6}}, s1: {u: {d: 7}}}}"));
    }

    // update_object_node_test.cpp (ApplyOrderMergedPositionalChild, ApplyDoNotMergePositionalChild,
    // ApplyPositionalChildLast): the positional child is applied in its matched field's place
    @Test
    void positionalIsAppliedInItsMatchedFieldsPlace() {
        assertExactly(diff("{}", "{a: {'0': 7, '1': {b: 6, c: 8}, '2': 5}}", "{$set: {'a.2': 5, 'a.1.b': 6, 'a.0': 7, 'a.$.c': 8}}",
            null, 1), json("{i: {a: {'0': 7, '1': {b: 6, c: 8}, '2': 5}}}"));
        assertExactly(diff("{}", "{a: {'0': 5, '1': 7, '2': 6}}", "{$set: {'a.0': 5, 'a.2': 6, 'a.$': 7}}", null, 1),
            json("{i: {a: {'0': 5, '1': 7, '2': 6}}}"));
        assertExactly(diff("{}", "{a: {'0': 6, '1': 7, '2': 5}}", "{$set: {'a.$': 5, 'a.0': 6, 'a.1': 7}}", null, 2),
            json("{i: {a: {'0': 6, '1': 7, '2': 5}}}"));
    }

    // update_object_node_test.cpp (ApplyMergeConflictWithPositionalChild)
    @Test
    void positionalLeafOnAnExplicitLeafConflicts() {
        assertThatThrownBy(() -> diff("{}", "{a: {'0': 5}}", "{$set: {'a.0': 5, 'a.$': 6}}", null, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    // update_object_node.cpp: a positional no-op logs nothing (no element changed, nothing to resolve).
    @Test
    void positionalNoopLogsNothing() {
        assertThat(ModifierDiff.of(json("{a: [1, 2]}"), json("{a: [1, 2]}"), json("{$set: {'a.$': 2}}")).isEmpty()).isTrue();
    }

    // update_array_node.cpp (UpdateArrayNode::apply) at two levels of a nested array of documents:
    // one element per level logs itself; two changed elements log their array.
    @Test
    void allPositionalOverNestedDocuments() {
        assertDiff("{a: [{b: [{c: 1}]}]}", "{a: [{b: [{c: 2}]}]}", "{$inc: {'a.$[].b.$[].c': 1}}",
            "{sa: {a: true, s0: {sb: {a: true, s0: {u: {c: 2}}}}}}");
        assertDiff("{a: [{b: [{c: 1}, {c: 5}]}]}", "{a: [{b: [{c: 2}, {c: 6}]}]}", "{$inc: {'a.$[].b.$[].c': 1}}",
            "{sa: {a: true, s0: {u: {b: [{c: 2}, {c: 6}]}}}}");
        assertExactly(description("{a: [{b: [{c: 1}, {c: 5}]}]}", "{a: [{b: [{c: 2}, {c: 6}]}]}", "{$inc: {'a.$[].b.$[].c': 1}}"),
            json("{updatedFields: {'a.0.b': [{c: 2}, {c: 6}]}, removedFields: [], truncatedArrays: []}"));
    }
}
