package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.json;
import static dev.rewind.sandbox.diff.Modifiers.assertDiff;
import static dev.rewind.sandbox.diff.Modifiers.description;

import org.junit.jupiter.api.Test;

/**
 * {@code $push}, {@code $addToSet}, {@code $pop}, {@code $pull} and {@code $pullAll}
 * (mongodb/mongo src/mongo/db/update/push_node_test.cpp, addtoset_node_test.cpp,
 * pop_node_test.cpp, pull_node_test.cpp, pullall_node_test.cpp).
 */
class ModifierArrayOperatorTest {
    // push_node_test.cpp (ApplyToArrayWithOneElement, ApplyMultipleEachToArrayWithOneElement)
    @Test
    void pushThatOnlyAppendsLogsEachNewElement() {
        assertDiff("{a: [0]}", "{a: [0, 1]}", "{$push: {a: 1}}", "{sa: {a: true, u1: 1}}");
        assertDiff("{a: [0]}", "{a: [0, 1, 2]}", "{$push: {a: {$each: [1, 2]}}}", "{sa: {a: true, u1: 1, u2: 2}}");
        assertExactly(description("{a: [0]}", "{a: [0, 1, 2]}", "{$push: {a: {$each: [1, 2]}}}"),
            json("{updatedFields: {'a.1': 1, 'a.2': 2}, removedFields: [], truncatedArrays: []}"));
    }

    // push_node_test.cpp (ApplyToEmptyArray, ApplySimpleEachToEmptyArray): an empty array is logged whole
    @Test
    void pushToAnEmptyArrayLogsTheWholeArray() {
        assertDiff("{a: []}", "{a: [1]}", "{$push: {a: 1}}", "{u: {a: [1]}}");
        assertDiff("{a: []}", "{a: [1]}", "{$push: {a: {$each: [1]}}}", "{u: {a: [1]}}");
    }

    // push_node_test.cpp (ApplyToEmptyDocument, ApplyMultipleEachToEmptyDocument, ApplyEmptyEachToEmptyDocument)
    @Test
    void pushToAMissingFieldCreatesTheArray() {
        assertDiff("{}", "{a: [1]}", "{$push: {a: 1}}", "{i: {a: [1]}}");
        assertDiff("{}", "{a: [1, 2]}", "{$push: {a: {$each: [1, 2]}}}", "{i: {a: [1, 2]}}");
        assertDiff("{}", "{a: []}", "{$push: {a: {$each: []}}}", "{i: {a: []}}");
    }

    // push_node_test.cpp (ApplyToDottedPathElement)
    @Test
    void pushCreatingAnArrayBelowExistingDocuments() {
        assertDiff("{_id: 1, question: 'a', choices: {first: {choice: 'b'}, second: {choice: 'c'}}}",
            "{_id: 1, question: 'a', choices: {first: {choice: 'b', votes: [1]}, second: {choice: 'c'}}}",
            "{$push: {'choices.first.votes': 1}}", "{schoices: {sfirst: {i: {votes: [1]}}}}");
    }

    // push_node_test.cpp (ApplyEmptyEachToEmptyArray, ApplyEmptyEachToArrayWithOneElement)
    @Test
    void pushOfNothingIsANoop() {
        assertDiff("{a: []}", "{a: []}", "{$push: {a: {$each: []}}}", "{}");
        assertDiff("{a: [0]}", "{a: [0]}", "{$push: {a: {$each: []}}}", "{}");
    }

    // push_node_test.cpp (ApplyToArrayWithSlice): trimming logs the whole array even when it ends unchanged
    @Test
    void pushWithATrimmingSliceLogsTheWholeArray() {
        assertDiff("{a: [3]}", "{a: [3]}", "{$push: {a: {$each: [2, -1], $slice: 1}}}", "{u: {a: [3]}}");
        assertDiff("{a: [2, 3]}", "{a: [3, 1]}", "{$push: {a: {$each: [1], $slice: -2}}}", "{u: {a: [3, 1]}}");
    }

    // push_node.cpp (PushNode::performPush): a $slice that trims nothing keeps the append form
    @Test
    void pushWithANonTrimmingSliceStillAppends() {
        assertDiff("{a: [2, 3]}", "{a: [2, 3, 1]}", "{$push: {a: {$each: [1], $slice: 5}}}", "{sa: {a: true, u2: 1}}");
    }

    // push_node_test.cpp (ApplyWithNumericSort, ApplyWithEmbeddedFieldSort); push_node.cpp: $sort
    // always makes the update a whole-array one
    @Test
    void pushWithSortLogsTheWholeArray() {
        assertDiff("{a: [3]}", "{a: [-1, 2, 3]}", "{$push: {a: {$each: [2, -1], $sort: 1}}}", "{u: {a: [-1, 2, 3]}}");
        assertDiff("{a: [3, 't', {b: 1}, {a: 1}]}", "{a: [3, 't', {b: 1}, 4, -1, {a: 1}]}",
            "{$push: {a: {$each: [4, -1], $sort: {a: 1}}}}", "{u: {a: [3, 't', {b: 1}, 4, -1, {a: 1}]}}");
        assertDiff("{a: [1, 2]}", "{a: [1, 2]}", "{$push: {a: {$each: [], $sort: 1}}}", "{u: {a: [1, 2]}}");
    }

    // push_node_test.cpp (ApplyToSingletonArrayWithPositionZero, ApplyToSingletonArrayWithLargePosition,
    // ApplyToPopulatedArrayWithNegativePosition, ApplyToPopulatedArrayWithOutOfBoundsNegativePosition)
    @Test
    void pushPositionDecidesBetweenAppendAndWholeArray() {
        assertDiff("{a: [0]}", "{a: [1, 0]}", "{$push: {a: {$each: [1], $position: 0}}}", "{u: {a: [1, 0]}}");
        assertDiff("{a: [0]}", "{a: [0, 1]}", "{$push: {a: {$each: [1], $position: 1000}}}", "{sa: {a: true, u1: 1}}");
        assertDiff("{a: [0, 1, 2, 3, 4]}", "{a: [0, 1, 2, 5, 3, 4]}", "{$push: {a: {$each: [5], $position: -2}}}",
            "{u: {a: [0, 1, 2, 5, 3, 4]}}");
        assertDiff("{a: [0, 1, 2, 3, 4]}", "{a: [5, 0, 1, 2, 3, 4]}", "{$push: {a: {$each: [5], $position: -1000}}}",
            "{u: {a: [5, 0, 1, 2, 3, 4]}}");
    }

    // push_node.cpp (insertElementsWithPosition): a position equal to the size inserts, it does not append
    @Test
    void pushAtPositionEqualToTheSizeLogsTheWholeArray() {
        assertDiff("{a: [0]}", "{a: [0, 1]}", "{$push: {a: {$each: [1], $position: 1}}}", "{u: {a: [0, 1]}}");
    }

    // push_node.cpp (PushNode::logUpdate, kArrayAppendUpdate) under a document in an array
    @Test
    void pushIntoANestedArrayLogsIndexesBelowIt() {
        assertDiff("{a: [{b: [1]}]}", "{a: [{b: [1, 2]}]}", "{$push: {'a.0.b': 2}}",
            "{sa: {a: true, s0: {sb: {a: true, u1: 2}}}}");
        assertExactly(description("{a: [{b: [1]}]}", "{a: [{b: [1, 2]}]}", "{$push: {'a.0.b': 2}}"),
            json("{updatedFields: {'a.0.b.1': 2}, removedFields: [], truncatedArrays: []}"));
    }

    // addtoset_node_test.cpp (ApplyNonEachArray, ApplyEach, ApplyToEmptyArray): 6.0-8.0 log the whole array
    @Test
    void addToSetLogsTheWholeArray() {
        assertDiff("{a: [0]}", "{a: [0, 1]}", "{$addToSet: {a: 1}}", "{u: {a: [0, 1]}}");
        assertDiff("{a: [0]}", "{a: [0, 1, 2]}", "{$addToSet: {a: {$each: [1, 2]}}}", "{u: {a: [0, 1, 2]}}");
        assertDiff("{a: []}", "{a: [1, 2]}", "{$addToSet: {a: {$each: [1, 2]}}}", "{u: {a: [1, 2]}}");
        assertDiff("{a: [0]}", "{a: [0, [1]]}", "{$addToSet: {a: [1]}}", "{u: {a: [0, [1]]}}");
    }

    // addtoset_node_test.cpp (ApplyNoElementsToAdd, ApplyNoNonDuplicateElementsToAdd)
    @Test
    void addToSetOfPresentElementsIsANoop() {
        assertDiff("{a: [0]}", "{a: [0]}", "{$addToSet: {a: {$each: []}}}", "{}");
        assertDiff("{a: [0]}", "{a: [0]}", "{$addToSet: {a: {$each: [0]}}}", "{}");
    }

    // addtoset_node_test.cpp (ApplyCreateArray, ApplyCreateEmptyArrayIsNotNoop)
    @Test
    void addToSetCreatesAMissingArray() {
        assertDiff("{}", "{a: [0, 1]}", "{$addToSet: {a: {$each: [0, 1]}}}", "{i: {a: [0, 1]}}");
        assertDiff("{}", "{a: []}", "{$addToSet: {a: {$each: []}}}", "{i: {a: []}}");
    }

    // addtoset_node_test.cpp (ApplyNestedArray)
    @Test
    void addToSetOnAnArrayElement() {
        assertDiff("{_id: 1, a: [1, []]}", "{_id: 1, a: [1, [1]]}", "{$addToSet: {'a.1': 1}}", "{sa: {a: true, u1: [1]}}");
    }

    // pop_node_test.cpp (PopsSingleElementFromTheBack, NoopWhenPathContainsAnEmptyArray)
    @Test
    void popLogsTheWholeArrayAndPoppingEmptyIsANoop() {
        assertDiff("{a: {b: [1]}}", "{a: {b: []}}", "{$pop: {'a.b': 1}}", "{sa: {u: {b: []}}}");
        assertDiff("{a: [1, 2, 3]}", "{a: [2, 3]}", "{$pop: {a: -1}}", "{u: {a: [2, 3]}}");
        assertDiff("{a: {b: []}}", "{a: {b: []}}", "{$pop: {'a.b': 1}}", "{}");
    }

    // modifier_node.cpp (applyToNonexistentElement): $pop, $pull and $pullAll do not create paths
    @Test
    void cullingAMissingArrayIsANoop() {
        assertDiff("{b: 1}", "{b: 1}", "{$pop: {a: 1}}", "{}");
        assertDiff("{b: 1}", "{b: 1}", "{$pull: {a: 1}}", "{}");
        assertDiff("{b: 1}", "{b: 1}", "{$pullAll: {a: [1]}}", "{}");
    }

    // pull_node_test.cpp (ApplyToArrayMatchingOne, ApplyToArrayMatchingNone)
    @Test
    void pullLogsTheWholeArrayWhenItRemovesSomething() {
        assertDiff("{a: [0, 1, 2, 3]}", "{a: [1, 2, 3]}", "{$pull: {a: {$lt: 1}}}", "{u: {a: [1, 2, 3]}}");
        assertDiff("{a: [2, 3, 4, 5]}", "{a: [2, 3, 4, 5]}", "{$pull: {a: {$lt: 1}}}", "{}");
        assertExactly(description("{a: [0, 1, 2, 3]}", "{a: [1, 2, 3]}", "{$pull: {a: {$lt: 1}}}"),
            json("{updatedFields: {a: [1, 2, 3]}, removedFields: [], truncatedArrays: []}"));
    }

    // pullall_node_test.cpp: $pullAll culls like $pull (ArrayCullingNode) and logs the whole array
    @Test
    void pullAllLogsTheWholeArray() {
        assertDiff("{a: [1, 'a', {r: 1, b: 2}]}", "{a: ['a', {r: 1, b: 2}]}", "{$pullAll: {a: [1]}}",
            "{u: {a: ['a', {r: 1, b: 2}]}}");
        assertDiff("{a: [1, 2]}", "{a: [1, 2]}", "{$pullAll: {a: [3]}}", "{}");
    }

    // $pull inside a document in an array: the culled array is logged at its full path
    @Test
    void pullBelowAnArrayElement() {
        assertDiff("{a: [{b: [1, 2]}, {b: [3]}]}", "{a: [{b: [2]}, {b: [3]}]}", "{$pull: {'a.0.b': 1}}",
            "{sa: {a: true, s0: {u: {b: [2]}}}}");
    }
}
