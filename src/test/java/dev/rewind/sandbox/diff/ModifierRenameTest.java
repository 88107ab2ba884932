package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.json;
import static dev.rewind.sandbox.diff.Modifiers.assertDiff;
import static dev.rewind.sandbox.diff.Modifiers.description;

import org.junit.jupiter.api.Test;

/** {@code $rename} (mongodb/mongo src/mongo/db/update/rename_node_test.cpp, rename_node.cpp). */
class ModifierRenameTest {
    // rename_node_test.cpp ({a: 2} renamed to a missing b)
    @Test
    void renameToAMissingFieldInsertsItAndDeletesTheSource() {
        assertDiff("{a: 2}", "{b: 2}", "{$rename: {a: 'b'}}", "{d: {a: false}, i: {b: 2}}");
        assertExactly(description("{a: 2}", "{b: 2}", "{$rename: {a: 'b'}}"),
            json("{updatedFields: {b: 2}, removedFields: ['a'], truncatedArrays: []}"));
    }

    // rename_node_test.cpp (ToExistsAtSameLevel, ToAndFromHaveSameValue, RenameToFieldWithSameValueButDifferentType):
    // an existing destination is always logged, even with an identical value
    @Test
    void renameOntoAnExistingFieldAlwaysLogsIt() {
        assertDiff("{a: 2, b: 1}", "{b: 2}", "{$rename: {a: 'b'}}", "{d: {a: false}, u: {b: 2}}");
        assertDiff("{a: 2, b: 2}", "{b: 2}", "{$rename: {a: 'b'}}", "{d: {a: false}, u: {b: 2}}");
        assertDiff("{a: 1, b: NumberLong(1)}", "{b: 1}", "{$rename: {a: 'b'}}", "{d: {a: false}, u: {b: 1}}");
    }

    // rename_node_test.cpp (FromDottedElement)
    @Test
    void renameFromADottedPath() {
        assertDiff("{a: {c: {d: 6}}, b: 1}", "{a: {}, b: {d: 6}}", "{$rename: {'a.c': 'b'}}",
            "{u: {b: {d: 6}}, sa: {d: {c: false}}}");
        assertExactly(description("{a: {c: {d: 6}}, b: 1}", "{a: {}, b: {d: 6}}", "{$rename: {'a.c': 'b'}}"),
            json("{updatedFields: {b: {d: 6}}, removedFields: ['a.c'], truncatedArrays: []}"));
    }

    // rename_node_test.cpp (RenameToExistingNestedFieldDoesNotReorderFields)
    @Test
    void renameToAnExistingNestedField() {
        assertDiff("{a: {b: {c: 1, d: 2}}, b: 3, c: {d: 4}}", "{a: {b: {c: 4, d: 2}}, b: 3, c: {}}",
            "{$rename: {'c.d': 'a.b.c'}}", "{sa: {sb: {u: {c: 4}}}, sc: {d: {d: false}}}");
    }

    // rename_node_test.cpp (MissingCompleteTo, ToIsCompletelyMissing, ToMissingDottedField)
    @Test
    void renameCreatesTheMissingDestinationPath() {
        assertDiff("{a: 2, b: 1, c: {}}", "{b: 1, c: {r: {d: 2}}}", "{$rename: {a: 'c.r.d'}}",
            "{d: {a: false}, sc: {i: {r: {d: 2}}}}");
        assertDiff("{a: 2}", "{b: {c: {d: 2}}}", "{$rename: {a: 'b.c.d'}}", "{d: {a: false}, i: {b: {c: {d: 2}}}}");
        assertDiff("{a: [{a: 2, b: 1}]}", "{b: {c: {d: [{a: 2, b: 1}]}}}", "{$rename: {a: 'b.c.d'}}",
            "{d: {a: false}, i: {b: {c: {d: [{a: 2, b: 1}]}}}}");
    }

    // rename_node_test.cpp (ReplaceArrayField, ReplaceWithArrayField)
    @Test
    void renameReplacingArrays() {
        assertDiff("{a: 2, b: []}", "{b: 2}", "{$rename: {a: 'b'}}", "{d: {a: false}, u: {b: 2}}");
        assertDiff("{a: [], b: 2}", "{b: []}", "{$rename: {a: 'b'}}", "{d: {a: false}, u: {b: []}}");
    }

    // rename_node_test.cpp (CanRenameFromInvalidFieldName, ApplyCanRemoveRequiredPartOfDBRefIfValidateForStorageIsFalse)
    @Test
    void renameOfDollarFields() {
        assertDiff("{$a: 2}", "{a: 2}", "{$rename: {'$a': 'a'}}", "{d: {$a: false}, i: {a: 2}}");
        assertDiff("{a: {$ref: 'c', $id: 0}}", "{a: {$ref: 'c'}, b: 0}", "{$rename: {'a.$id': 'b'}}",
            "{i: {b: 0}, sa: {d: {$id: false}}}");
    }

    // rename_node_test.cpp (RenameFromNonExistentPathIsNoOp)
    @Test
    void renameOfAMissingSourceIsANoop() {
        assertDiff("{b: 2}", "{b: 2}", "{$rename: {a: 'b'}}", "{}");
    }

    // update_object_node.cpp (parseAndMerge for MOD_RENAME): the rename applies at its destination,
    // so the source's delete is logged in the destination's turn
    @Test
    void renameLogsWhenTheTraversalReachesTheDestination() {
        assertDiff("{x: {y: 1}, z: 0}", "{x: {}, z: 0, a: 1, m: 5}", "{$rename: {'x.y': 'a'}, $set: {m: 5}}",
            "{i: {a: 1, m: 5}, sx: {d: {y: false}}}");
    }
}
