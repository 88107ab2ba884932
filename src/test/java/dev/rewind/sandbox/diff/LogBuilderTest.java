package dev.rewind.sandbox.diff;

import static dev.rewind.sandbox.diff.Bson.assertExactly;
import static dev.rewind.sandbox.diff.Bson.json;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The log builder reproduces mongodb/mongo src/mongo/db/update/v2_log_builder_test.cpp. */
class LogBuilderTest {
    /** Steps of a dotted path, digit-only components read as array indexes (the test's helper). */
    private static List<Object> indexed(String dotted) {
        List<Object> steps = new ArrayList<>();
        for (String part : dotted.split("\\.")) {
            steps.add(part.matches("0|[1-9][0-9]*") ? (Object) Integer.valueOf(part) : part);
        }
        return steps;
    }

    private static List<Object> fields(String dotted) {
        return new ArrayList<>(List.of((Object[]) dotted.split("\\.")));
    }

    // v2_log_builder_test.cpp (UpdateFieldBSONElt)
    @Test
    void updatesGroupUnderTheirParents() {
        LogBuilder lb = new LogBuilder();
        lb.logUpdatedField(fields("a.b"), json("{x: ['val', {sub: 'obj'}, 3]}").get("x"));
        lb.logUpdatedField(fields("c.d"), json("{arr: [{a: [0]}, 'val']}"));
        lb.logUpdatedField(fields("c.e"), "val");
        assertExactly(lb.serialize(),
            json("{sa: {u: {b: ['val', {sub: 'obj'}, 3]}}, sc: {u: {d: {arr: [{a: [0]}, 'val']}, e: 'val'}}}"));
    }

    // v2_log_builder_test.cpp (CreateFieldBSONElt)
    @Test
    void createdPathsNestInOneInsert() {
        LogBuilder lb = new LogBuilder();
        lb.logCreatedField(fields("a.b.d"), 0, List.of("v", "a", "l"));
        lb.logCreatedField(fields("a.c.e"), 0, json("{}"));
        lb.logCreatedField(fields("a.b.c"), 0, 2);
        assertExactly(lb.serialize(), json("{i: {a: {b: {d: ['v', 'a', 'l'], c: 2}, c: {e: {}}}}}"));
    }

    // v2_log_builder_test.cpp (CreateFieldMergeInOrder)
    @Test
    void createdFieldsUnderAnExistingDocumentKeepTheirOrder() {
        LogBuilder lb = new LogBuilder();
        Object obj = json("{arr: [{a: [0]}]}");
        lb.logCreatedField(fields("root.d"), 1, 1);
        lb.logCreatedField(fields("root.b.a"), 1, 1);
        lb.logCreatedField(fields("root.c.b"), 1, obj);
        lb.logCreatedField(fields("root.c.e"), 1, 1);
        lb.logCreatedField(fields("root.a"), 1, obj);
        assertExactly(lb.serialize(),
            json("{sroot: {i: {d: 1, b: {a: 1}, c: {b: {arr: [{a: [0]}]}, e: 1}, a: {arr: [{a: [0]}]}}}}"));
    }

    // v2_log_builder_test.cpp (BasicDelete, VerifyDeletesOrder)
    @Test
    void deletesKeepTheOrderTheyWereLoggedIn() {
        LogBuilder lb = new LogBuilder();
        lb.logDeletedField(fields("a.c"));
        lb.logDeletedField(fields("a.b"));
        lb.logDeletedField(fields("x.z"));
        lb.logDeletedField(fields("x.y"));
        assertExactly(lb.serialize(), json("{sa: {d: {c: false, b: false}}, sx: {d: {z: false, y: false}}}"));
    }

    // v2_log_builder_test.cpp (WithAllModificationTypes)
    @Test
    void deletesThenUpdatesThenInsertsThenSubDiffs() {
        LogBuilder lb = new LogBuilder();
        lb.logUpdatedField(fields("a.b.c"), 1);
        lb.logCreatedField(fields("a.b.d.e"), 3, 2);
        lb.logDeletedField(fields("a.b.e"));
        assertExactly(lb.serialize(), json("{sa: {sb: {d: {e: false}, u: {c: 1}, sd: {i: {e: 2}}}}}"));
    }

    // v2_log_builder_test.cpp (VerifySubDiffsAreOrderedCorrectly)
    @Test
    void subDiffsKeepTheOrderTheyWereCreatedIn() {
        LogBuilder lb = new LogBuilder();
        lb.logUpdatedField(fields("a.b.c"), 1);
        lb.logCreatedField(fields("a.c.d"), 2, 1);
        lb.logUpdatedField(fields("x.y.z"), 2);
        lb.logUpdatedField(fields("x.z.a"), 2);
        assertExactly(lb.serialize(), json("{sa: {sb: {u: {c: 1}}, sc: {i: {d: 1}}}, sx: {sy: {u: {z: 2}}, sz: {u: {a: 2}}}}"));
    }

    // v2_log_builder_test.cpp (ArrayModifications)
    @Test
    void arrayEntriesSerializeInIndexOrder() {
        LogBuilder lb = new LogBuilder();
        Object obj = json("{arr: [{a: [0]}]}");
        lb.logUpdatedField(indexed("a.0.c.update"), 1);
        lb.logCreatedField(indexed("a.10.insert.a"), 2, 2);
        lb.logUpdatedField(indexed("a.3"), 1);
        lb.logCreatedField(indexed("a.0.c.insert.a"), 3, 2);
        lb.logCreatedField(indexed("a.0.c.insert.f"), 3, 2);
        lb.logCreatedField(indexed("a.1"), 1, obj);
        lb.logDeletedField(indexed("a.0.c.del"));
        assertExactly(lb.serialize(), json("{sa: {a: true, s0: {sc: {d: {del: false}, u: {update: 1},"
            + " i: {insert: {a: 2, f: 2}}}}, u1: {arr: [{a: [0]}]}, u3: 1, s10: {i: {insert: {a: 2}}}}}"));
    }

    // v2_log_builder_test.cpp (ImplicityArrayElementCreationAllowed)
    @Test
    void createdArrayElementsAreLoggedAsElementUpdates() {
        LogBuilder lb = new LogBuilder();
        lb.logCreatedField(indexed("a.10.b.a"), 1, 1);
        lb.logCreatedField(indexed("a.2.b.a"), 1, 1);
        lb.logUpdatedField(indexed("a.0.b.a"), 1);
        assertExactly(lb.serialize(), json("{sa: {a: true, s0: {sb: {u: {a: 1}}}, u2: {b: {a: 1}}, u10: {b: {a: 1}}}}"));
    }
}
