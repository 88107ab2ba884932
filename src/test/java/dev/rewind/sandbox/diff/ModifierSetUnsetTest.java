package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.json;
import static dev.rewind.sandbox.diff.Modifiers.assertDiff;
import static dev.rewind.sandbox.diff.Modifiers.description;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code $set} and {@code $unset}, and how the update tree orders and nests what its leaves log
 * (mongodb/mongo src/mongo/db/update/set_node_test.cpp, unset_node_test.cpp,
 * update_object_node_test.cpp).
 */
class ModifierSetUnsetTest {
    // update_object_node_test.cpp (ApplyExistingField, ApplyCreateField)
    @Test
    void existingFieldIsUpdatedAndMissingFieldInserted() {
        assertDiff("{a: 5}", "{a: 6}", "{$set: {a: 6}}", "{u: {a: 6}}");
        assertDiff("{a: 5}", "{a: 5, b: 6}", "{$set: {b: 6}}", "{i: {b: 6}}");
        assertExactly(description("{a: 5}", "{a: 5, b: 6}", "{$set: {b: 6}}"),
            json("{updatedFields: {b: 6}, removedFields: [], truncatedArrays: []}"));
    }

    // set_node_test.cpp (Set6): a dotted path into an existing document logs under a sub-diff
    @Test
    void dottedPathIntoExistingDocumentLogsTheLeaf() {
        assertDiff("{_id: 1, r: {a: 1, b: 2}}", "{_id: 1, r: {a: 2, b: 2}}", "{$set: {'r.a': 2}}", "{sr: {u: {a: 2}}}");
        assertExactly(description("{_id: 1, r: {a: 1, b: 2}}", "{_id: 1, r: {a: 2, b: 2}}", "{$set: {'r.a': 2}}"),
            json("{updatedFields: {'r.a': 2}, removedFields: [], truncatedArrays: []}"));
    }

    // set_node_test.cpp (ApplyCreatePathFromRoot): the highest created component carries the new sub-document
    @Test
    void missingParentsAreLoggedAsOneInsertOfTheHighestCreatedField() {
        assertDiff("{c: 5}", "{c: 5, a: {b: 6}}", "{$set: {'a.b': 6}}", "{i: {a: {b: 6}}}");
        assertExactly(description("{c: 5}", "{c: 5, a: {b: 6}}", "{$set: {'a.b': 6}}"),
            json("{updatedFields: {a: {b: 6}}, removedFields: [], truncatedArrays: []}"));
    }

    // push_node_test.cpp (ApplyToDottedPathElement): creation below an existing document
    @Test
    void missingLeafBelowExistingDocumentsIsInsertedThere() {
        assertDiff("{_id: 1, question: 'a', choices: {first: {choice: 'b'}, second: {choice: 'c'}}}",
            "{_id: 1, question: 'a', choices: {first: {choice: 'b', votes: 1}, second: {choice: 'c'}}}",
            "{$set: {'choices.first.votes': 1}}", "{schoices: {sfirst: {i: {votes: 1}}}}");
    }

    // update_object_node_test.cpp (ApplyExistingAndNonexistingFields)
    @Test
    void updatesAndInsertsAreGroupedByKind() {
        assertDiff("{a: 0, c: 0}", "{a: 5, c: 7, b: 6, d: 8}", "{$set: {a: 5, b: 6, c: 7, d: 8}}",
            "{u: {a: 5, c: 7}, i: {b: 6, d: 8}}");
    }

    // update_object_node_test.cpp (ChildrenShouldBeAppliedInAlphabeticalOrder)
    @Test
    void childrenAreAppliedAndLoggedInFieldOrder() {
        assertDiff("{z: 0, a: 0}", "{z: 9, a: 5, b: 8, c: 7, d: 6}", "{$set: {a: 5, d: 6, c: 7, b: 8, z: 9}}",
            "{u: {a: 5, z: 9}, i: {b: 8, c: 7, d: 6}}");
    }

    // update_object_node_test.cpp (ApplyExistingNestedPaths, ApplyCreateNestedPaths, ApplyCreateDeeplyNestedPaths)
    @Test
    void nestedPathsShareTheirParents() {
        assertDiff("{a: {b: 5, c: 5}, b: {d: 5, e: 5}}", "{a: {b: 6, c: 7}, b: {d: 8, e: 9}}",
            "{$set: {'a.b': 6, 'a.c': 7, 'b.d': 8, 'b.e': 9}}", "{sa: {u: {b: 6, c: 7}}, sb: {u: {d: 8, e: 9}}}");
        assertDiff("{z: 0}", "{z: 0, a: {b: 6, c: 7}, b: {d: 8, e: 9}}",
            "{$set: {'a.b': 6, 'a.c': 7, 'b.d': 8, 'b.e': 9}}", "{i: {a: {b: 6, c: 7}, b: {d: 8, e: 9}}}");
        assertDiff("{z: 0}", "{z: 0, a: {b: {c: {d: 6, e: 7}}, f: 8}}", "{$set: {'a.b.c.d': 6, 'a.b.c.e': 7, 'a.f': 8}}",
            "{i: {a: {b: {c: {d: 6, e: 7}}, f: 8}}}");
    }

    // update_object_node_test.cpp (ApplyNoop, ApplySomeChildrenNoops); set_node_test.cpp (ApplyCanPerformNoopOnImmutablePath)
    @Test
    void unchangedValuesLogNothing() {
        assertDiff("{a: 5, b: 6, c: 7}", "{a: 5, b: 6, c: 7}", "{$set: {a: 5, b: 6, c: 7}}", "{}");
        assertThat(ModifierDiff.of(json("{a: 5}"), json("{a: 5}"), json("{$set: {a: 5}}")).isEmpty()).isTrue();
        assertDiff("{a: 5, b: 0, c: 7}", "{a: 5, b: 6, c: 7}", "{$set: {a: 5, b: 6, c: 7}}", "{u: {b: 6}}");
    }

    // set_node.cpp (SetNode::updateExistingElement): a no-op only when binaryEqualValues, so a new
    // numeric type or a new field order is a change
    @Test
    void sameNumberOfAnotherTypeIsAChange() {
        assertDiff("{a: 1}", "{a: 1.0}", "{$set: {a: 1.0}}", "{u: {a: 1.0}}");
        assertDiff("{a: {x: 1, y: 2}}", "{a: {y: 2, x: 1}}", "{$set: {a: {y: 2, x: 1}}}", "{u: {a: {y: 2, x: 1}}}");
    }

    // set_node_test.cpp (ApplyCanOverwritePrefixToCreateImmutablePath): replacing a value with a document
    @Test
    void replacingAValueByADocumentIsAnUpdate() {
        assertDiff("{a: 1}", "{a: {b: 2}}", "{$set: {a: {b: 2}}}", "{u: {a: {b: 2}}}");
    }

    // set_node_test.cpp (ApplyLogDottedPath, LogEmptyArray): creating past an array's end logs only the new element
    @Test
    void creatingPastTheEndOfAnArrayLogsTheElementNotThePadding() {
        assertDiff("{a: [{b: 0}, {b: 1}]}", "{a: [{b: 0}, {b: 1}, {b: 2}]}", "{$set: {'a.2.b': 2}}",
            "{sa: {a: true, u2: {b: 2}}}");
        assertDiff("{a: []}", "{a: [null, null, {b: 2}]}", "{$set: {'a.2.b': 2}}", "{sa: {a: true, u2: {b: 2}}}");
        assertExactly(description("{a: []}", "{a: [null, null, {b: 2}]}", "{$set: {'a.2.b': 2}}"),
            json("{updatedFields: {'a.2': {b: 2}}, removedFields: [], truncatedArrays: []}"));
    }

    // set_node_test.cpp (ApplyPositional): an array element's update is an index entry of an array diff
    @Test
    void arrayElementUpdateIsAnIndexEntry() {
        assertDiff("{a: [0, 1, 2]}", "{a: [0, 6, 2]}", "{$set: {'a.1': 6}}", "{sa: {a: true, u1: 6}}");
    }

    // update_object_node_test.cpp (ApplyMultipleArrayUpdates): "2" sorts before "10"
    @Test
    void arrayIndexesApplyInNumericOrder() {
        assertDiff("{a: []}", "{a: [null, null, 2, null, null, null, null, null, null, null, 10]}",
            "{$set: {'a.2': 2, 'a.10': 10}}", "{sa: {a: true, u2: 2, u10: 10}}");
    }

    // update_object_node_test.cpp (ApplyMultipleUpdatesToDocumentInArray)
    @Test
    void fieldsCreatedInANewArrayElementNestInOneElement() {
        assertDiff("{a: []}", "{a: [null, null, {b: 1, c: 1}]}", "{$set: {'a.2.b': 1, 'a.2.c': 1}}",
            "{sa: {a: true, u2: {b: 1, c: 1}}}");
    }

    // update_object_node_test.cpp (ApplyToArrayByIndexWithLeadingZero)
    @Test
    void leadingZeroIndexReachesTheArrayElement() {
        assertDiff("{a: [0, 0, 0, 0, 0]}", "{a: [0, 0, 2, 0, 0]}", "{$set: {'a.02': 2}}", "{sa: {a: true, u2: 2}}");
    }

    // update_object_node_test.cpp (ApplyOrderMergedPositionalChild, ApplyDoNotMergePositionalChild):
    // numeric names under a missing field create a document, not an array
    @Test
    void numericNamesUnderAMissingFieldCreateADocument() {
        assertDiff("{}", "{a: {'0': 5, '1': 7, '2': 6}}", "{$set: {'a.0': 5, 'a.2': 6, 'a.1': 7}}",
            "{i: {a: {'0': 5, '1': 7, '2': 6}}}");
    }

    // update_object_node_test.cpp (SetAndPopModifiersWithCommonPrefixApplySuccessfully)
    @Test
    void differentModifiersUnderOneParentShareItsSubDiff() {
        assertDiff("{a: {b: 3, c: [1, 2, 3, 4]}}", "{a: {b: 5, c: [2, 3, 4]}}", "{$set: {'a.b': 5}, $pop: {'a.c': -1}}",
            "{sa: {u: {b: 5, c: [2, 3, 4]}}}");
    }

    // unset_node.cpp (UnsetNode::logUpdate): removing a field logs a delete; unset_node_test.cpp
    @Test
    void unsetLogsARemoval() {
        assertDiff("{a: 5, b: 6}", "{b: 6}", "{$unset: {a: true}}", "{d: {a: false}}");
        assertDiff("{a: {b: 1, c: 2}}", "{a: {c: 2}}", "{$unset: {'a.b': 1}}", "{sa: {d: {b: false}}}");
        assertExactly(description("{a: {b: 1, c: 2}}", "{a: {c: 2}}", "{$unset: {'a.b': 1}}"),
            json("{updatedFields: {}, removedFields: ['a.b'], truncatedArrays: []}"));
    }

    // unset_node_test.cpp (UnsetEntireArray); unset_node.cpp for a field of an array element
    @Test
    void unsetOfAWholeArrayOrAFieldInAnArrayElement() {
        assertDiff("{a: [0, 1, 2]}", "{}", "{$unset: {a: 1}}", "{d: {a: false}}");
        assertDiff("{a: [{b: 1}]}", "{a: [{}]}", "{$unset: {'a.0.b': 1}}", "{sa: {a: true, s0: {d: {b: false}}}}");
    }

    // unset_node_test.cpp ($unset 'a.0' on {a: [1], b: 1}; UnsetPositional): an array element becomes null
    @Test
    void unsetOfAnArrayElementLogsNull() {
        assertDiff("{a: [1], b: 1}", "{a: [null], b: 1}", "{$unset: {'a.0': 1}}", "{sa: {a: true, u0: null}}");
        assertExactly(description("{a: [0, 1, 2]}", "{a: [0, null, 2]}", "{$unset: {'a.1': 1}}"),
            json("{updatedFields: {'a.1': null}, removedFields: [], truncatedArrays: []}"));
    }

    // unset_node.cpp (UnsetNode::updateExistingElement always returns kNormalUpdate): even an
    // element that is already null logs
    @Test
    void unsetOfANullArrayElementStillLogs() {
        assertDiff("{a: [null]}", "{a: [null]}", "{$unset: {'a.0': 1}}", "{sa: {a: true, u0: null}}");
    }

    // unset_node_test.cpp (UnsetNoOp); modifier_node.cpp (applyToNonexistentElement without creation)
    @Test
    void unsetOfAMissingPathIsANoop() {
        assertDiff("{b: 5}", "{b: 5}", "{$unset: {a: 1}}", "{}");
        assertDiff("{a: 5}", "{a: 5}", "{$unset: {'a.b': 1}}", "{}");
    }

    // v2_log_builder.cpp serialization: deletes, then updates, then inserts; the change-stream parser
    // reads updates and inserts into updatedFields and deletes into removedFields
    @Test
    void setAndUnsetTogether() {
        assertDiff("{a: 1, b: 2, c: 3}", "{a: 9, c: 3, d: 4}", "{$set: {a: 9, d: 4}, $unset: {b: ''}}",
            "{d: {b: false}, u: {a: 9}, i: {d: 4}}");
        assertExactly(description("{a: 1, b: 2, c: 3}", "{a: 9, c: 3, d: 4}", "{$set: {a: 9, d: 4}, $unset: {b: ''}}"),
            json("{updatedFields: {a: 9, d: 4}, removedFields: ['b'], truncatedArrays: []}"));
    }

    // set_node_test.cpp (ApplyCanCreateDollarPrefixedFieldNameWhenValidateForStorageIsFalse)
    @Test
    void dollarPrefixedNamesAreOrdinaryFields() {
        assertDiff("{}", "{$bad: 1}", "{$set: {$bad: 1}}", "{i: {$bad: 1}}");
    }
}
