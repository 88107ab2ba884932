package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * The {@code $v: 2} update delta applied as mongod applies it in oplog application: each case is one
 * of mongod's own, src/mongo/db/update/document_diff_applier_test.cpp (DiffApplierTest), its diff
 * written as document_diff_serialization.cpp serializes it. The result is compared as JSON, which
 * keeps the order of fields.
 */
class DiffApplierTest {
    private static void check(String pre, String diff, String post) {
        BsonDocument result = DiffApplier.apply(BsonDocument.parse(pre), BsonDocument.parse(diff));
        assertThat(result.toJson()).isEqualTo(BsonDocument.parse(post).toJson());
    }

    @Test
    void anInsertMovesTheFieldToTheEndAndAddsNewOnesAfterIt() {
        // InsertSimple
        check("{f1: 1, foo: 2, f2: 3}", "{i: {f1: 1, newField: 2}}", "{foo: 2, f2: 3, f1: 1, newField: 2}");
    }

    @Test
    void anUpdateSetsAFieldInPlaceOrAddsItAtTheEnd() {
        // UpdateSimple
        check("{f1: 0, foo: 2, f2: 3}", "{u: {f1: 1, newField: 2}}", "{f1: 1, foo: 2, f2: 3, newField: 2}");
    }

    @Test
    void updatesOfNewFieldsGoBeforeInserts() {
        // buildObjDiffTables: fieldsToInsert takes the updates, then the inserts
        check("{a: 1}", "{i: {x: 1}, u: {y: 2}}", "{a: 1, y: 2, x: 1}");
    }

    @Test
    void aSubDiffDeletesInsertsAndUpdatesInsideASubDocument() {
        // SubObjDiffSimple
        check("{obj: {dField: 0, iField: 0, uField: 0}, otherField: 0}",
                "{sobj: {d: {dField: false}, u: {uField: 2}, i: {iField: 1}}}",
                "{obj: {uField: 2, iField: 1}, otherField: 0}");
    }

    @Test
    void anArrayDiffSetsElementsAppendsTruncatesAndPadsWithNull() {
        // SubArrayDiffSimpleWithAppend, SubArrayDiffSimpleWithTruncate, SubArrayDiffSimpleWithNullPadding
        check("{arr: [999, 999, 999, 999]}", "{sarr: {a: true, u1: 1, u4: 2}}", "{arr: [999, 1, 999, 999, 2]}");
        check("{arr: [999, 999, 999, 999]}", "{sarr: {a: true, l: 3, u1: 1}}", "{arr: [999, 1, 999]}");
        check("{arr: [0]}", "{sarr: {a: true, u3: 1}}", "{arr: [0, null, null, 1]}");
    }

    @Test
    void aSubDiffOverAValueOfAnotherShapeLeavesNullForALaterEntryToOverwrite() {
        // NestedSubObjUpdateScalar
        String diff = "{ssubObj: {ssubObj: {u: {a: 1}}}}";
        check("{subObj: {subObj: {a: 0}}}", diff, "{subObj: {subObj: {a: 1}}}");
        check("{someOtherField: 1}", diff, "{someOtherField: 1}");
        check("{dummyA: 1, dummyB: 2, subObj: 'scalar!', dummyC: 3, dummyD: 4}", diff,
                "{dummyA: 1, dummyB: 2, subObj: null, dummyC: 3, dummyD: 4}");
        check("{dummyA: 1, dummyB: 2, subObj: {subDummyA: 1, subObj: 'scalar!', subDummyB: 2}, dummyC: 3}", diff,
                "{dummyA: 1, dummyB: 2, subObj: {subDummyA: 1, subObj: null, subDummyB: 2}, dummyC: 3}");
    }

    @Test
    void anArrayOfSubDiffsOverPreImagesOfEveryShape() {
        // UpdateArrayOfObjectsSubDiff
        String diff = "{d: {dFieldA: false, dFieldB: false}, u: {uField: 999},"
                + " sarr: {a: true, s1: {u: {a: 1}}, s2: {u: {b: 2}}, s3: {u: {c: 3}}, u4: {x: 1}}}";
        check("{uField: 1, dFieldA: 1, arr: [null, {a: 0}, {b: 0}, {c: 0}], dFieldB: 1}", diff,
                "{uField: 999, arr: [null, {a: 1}, {b: 2}, {c: 3}, {x: 1}]}");
        check("{uField: 1, dFieldA: 1, arr: [{a: 0}, {b: 0}, {c: 0}, {}], dFieldB: 1}", diff,
                "{uField: 999, arr: [{a: 0}, {b: 0, a: 1}, {c: 0, b: 2}, {c: 3}, {x: 1}]}");
        check("{arr: [null, {a: 1}, {b: 2}, {c: 3}, {x: 1}], uField: 999}", diff,
                "{arr: [null, {a: 1}, {b: 2}, {c: 3}, {x: 1}], uField: 999}");
        check("{arr: [0, 0, 0, 0, {x: 2}], uField: 1}", diff, "{arr: [0, null, null, null, {x: 1}], uField: 999}");
        check("{arr: [], uField: 1}", diff, "{arr: [null, null, null, null, {x: 1}], uField: 999}");
        check("{arr: [0, {}, {}, {}, 4, 5, 6], uField: 1}", diff, "{arr: [0, {a: 1}, {b: 2}, {c: 3}, {x: 1}, 5, 6], uField: 999}");
        check("{dummyA: 1, arr: {foo: 1}, dummyB: 1}", diff, "{dummyA: 1, arr: null, dummyB: 1, uField: 999}");
        check("{dummyA: 1, arr: 1, dummyB: 1}", diff, "{dummyA: 1, arr: null, dummyB: 1, uField: 999}");
    }

    @Test
    void aBinaryDiffRewritesFromItsOffsetKeepsTheSubtypeAndIsIdempotent() {
        // BinaryAppendSimple, BinaryOverwriteSimple, BinaryIsIdempotentMultipleWithShrink, ...NonColumnSubtype
        BsonDocument pre = new BsonDocument("b1", new BsonBinary((byte) 7, "abc".getBytes()));
        BsonDocument append = new BsonDocument("b", new BsonDocument("b1",
                new BsonDocument("o", new org.bson.BsonInt32(3)).append("d", new BsonBinary("def".getBytes()))));
        BsonDocument overwrite = new BsonDocument("b", new BsonDocument("b1",
                new BsonDocument("o", new org.bson.BsonInt32(2)).append("d", new BsonBinary("def".getBytes()))));
        BsonDocument shrink = new BsonDocument("b", new BsonDocument("b1",
                new BsonDocument("o", new org.bson.BsonInt32(1)).append("d", new BsonBinary("x".getBytes()))));
        BsonDocument appended = DiffApplier.apply(pre, append);
        assertThat(appended.getBinary("b1").getData()).isEqualTo("abcdef".getBytes());
        assertThat(appended.getBinary("b1").getType()).isEqualTo((byte) 7);
        assertThat(DiffApplier.apply(pre, overwrite).getBinary("b1").getData()).isEqualTo("abdef".getBytes());
        BsonDocument shrunk = DiffApplier.apply(appended, shrink);
        assertThat(shrunk.getBinary("b1").getData()).isEqualTo("ax".getBytes());
        assertThat(DiffApplier.apply(shrunk, append)).isEqualTo(shrunk);
        assertThat(DiffApplier.apply(shrunk, shrink)).isEqualTo(shrunk);
    }

    @Test
    void aDeltaThatIsNotOneIsRefusedNamingWhatIsWrong() {
        // document_diff_serialization.cpp uasserts on these; so does the applier's safeInsert (4728000)
        for (String bad : new String[] {"{x: {a: 1}}", "{u: {a: 1}, i: {a: 2}}", "{sarr: {a: true, l: 1, u3: 1}}",
                "{sarr: {a: true, q1: 1}}"}) {
            assertThatThrownBy(() -> DiffApplier.apply(BsonDocument.parse("{arr: [1], a: 0}"), BsonDocument.parse(bad)))
                    .as(bad).isInstanceOfSatisfying(RewindException.class,
                            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.REFUSED))
                    .hasMessageContaining("cannot replay the dump's oplog");
        }
    }
}
