package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.rewind.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sandbox's {@code local.oplog.rs} entries for pipeline updates, and Rewind's replay of them:
 * every case of mongod's jstests/replsets/v2_delta_oplog_entries.js (pre-image, pipeline,
 * post-image, and whether mongod logs a {@code $v: 2} delta, a replacement or nothing), read back
 * with that test's own query (the newest entry of the document: {@code hint: {$natural: -1}},
 * {@code limit: 1}). The delta must have that test's shape ({@code o} is exactly {@code $v} and
 * {@code diff}; the diff's sections start with i, u, s or d), and {@link DiffApplier} applied to the
 * pre-image must give the post-image byte for byte, as must the sandbox's {@code applyOps} of the
 * entry on a copy of the pre-image: as a secondary applying the entry does (the jstest compares the
 * secondary's document with it).
 */
class DeltaOplogEntriesTest {
    private static final String GIANT = "_".repeat(100);
    private static final String MEDIUM = "zzzzzzzzzzzzzzzzzzzzzzzzzz";

    private static Sandbox sandbox;
    private static MongoClient client;
    private static int nextId;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    enum Expect { DELTA, REPLACEMENT, NO_ENTRY }

    static List<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("removing fields", "{x: 3, y: 3, padding: '" + GIANT + "'}", "[{$unset: ['x', 'y']}]",
                "{padding: '" + GIANT + "'}", Expect.DELTA));
        c.add(Arguments.of("adding a field and updating one", "{x: 'notSoLargeString', y: 0}", "[{$set: {a: 'foo', y: 999}}]",
                "{x: 'notSoLargeString', y: 999, a: 'foo'}", Expect.DELTA));
        c.add(Arguments.of("a subfield to a string", "{x: 'notSoLargeString', subObj: {a: 1, b: 2}}",
                "[{$set: {'subObj.a': 'foo', y: 1}}]", "{x: 'notSoLargeString', subObj: {a: 'foo', b: 2}, y: 1}", Expect.DELTA));
        c.add(Arguments.of("same value, another type", "{x: 'notSoLargeString', subObj: {a: {$numberLong: '1'}, b: 2}}",
                "[{$set: {'subObj.a': 1, y: 1}}]", "{x: 'notSoLargeString', subObj: {a: 1, b: 2}, y: 1}", Expect.DELTA));
        c.add(Arguments.of("a subfield to an object", "{x: 'notSoLargeString', subObj: {a: {$numberLong: '1'}, b: 2}}",
                "[{$set: {'subObj.a': {$const: {newObj: {subField: 1}}}, y: 1}}]",
                "{x: 'notSoLargeString', subObj: {a: {newObj: {subField: 1}}, b: 2}, y: 1}", Expect.DELTA));
        c.add(Arguments.of("a field added to a sub-object", "{subObj: {a: 1, b: 2}}", "[{$set: {'subObj.c': 'foo'}}]",
                "{subObj: {a: 1, b: 2, c: 'foo'}}", Expect.DELTA));
        c.add(Arguments.of("added below, removed at the top", "{subObj: {a: 1, b: 2}, toRemove: 'foo', padding: '" + GIANT + "'}",
                "[{$project: {subObj: 1, padding: 1}}, {$set: {'subObj.c': 'foo'}}]",
                "{subObj: {a: 1, b: 2, c: 'foo'}, padding: '" + GIANT + "'}", Expect.DELTA));
        c.add(Arguments.of("dropped by an inclusion projection", "{toRemove: 'foo', subObj: {a: 1, b: 2}}", "[{$project: {subObj: 1}}]",
                "{subObj: {a: 1, b: 2}}", Expect.DELTA));
        c.add(Arguments.of("a subfield dropped by a projection", "{x: 'foo', subObj: {a: 1, toRemove: 2}, padding: '" + GIANT + "'}",
                "[{$project: {subObj: {a: 1}, padding: 1}}]", "{subObj: {a: 1}, padding: '" + GIANT + "'}", Expect.DELTA));
        c.add(Arguments.of("$replaceRoot, identical", "{x: 'foo', subObj: {a: 1, b: 2}}",
                "[{$replaceRoot: {newRoot: {_id: ID, x: 'foo', subObj: {a: 1, b: 2}}}}]", "{x: 'foo', subObj: {a: 1, b: 2}}",
                Expect.NO_ENTRY));
        c.add(Arguments.of("$replaceRoot, similar", "{x: 'foo', subObj: {a: 1, b: 2}, padding: '" + GIANT + "'}",
                "[{$replaceRoot: {newRoot: {x: 'bar', subObj: {a: 1, b: 2}, padding: '" + GIANT + "'}}}]",
                "{x: 'bar', subObj: {a: 1, b: 2}, padding: '" + GIANT + "'}", Expect.DELTA));
        c.add(Arguments.of("$replaceRoot, very different", "{x: 'foo', subObj: {a: 1, b: 2}}",
                "[{$replaceRoot: {newRoot: {_id: ID, newField: '" + MEDIUM + "'}}}]", "{newField: '" + MEDIUM + "'}",
                Expect.REPLACEMENT));
        c.add(Arguments.of("updates and new fields", "{padding: '" + GIANT + "', a: 1, b: {c: 2, d: {e: 3, f: 6}}, z: 3}",
                "[{$unset: ['b.d.f']}, {$set: {'b.a': 5, 'b.b': 3, 'b.c': 2, 'b.d.d': 2, 'b.d.e': 10, z: 7}}]",
                "{padding: '" + GIANT + "', a: 1, b: {c: 2, d: {e: 10, d: 2}, a: 5, b: 3}, z: 7}", Expect.DELTA));
        c.add(Arguments.of("a sub-object inside an array", "{padding: '" + GIANT + "', arrField: [{x: 1}, {x: 2}]}",
                "[{$set: {'arrField.x': 5}}]", "{padding: '" + GIANT + "', arrField: [{x: 5}, {x: 5}]}", Expect.DELTA));
        c.add(Arguments.of("fields reordered", "{x: 'foo', y: 'bar', z: 'baz'}",
                "[{$replaceRoot: {newRoot: {_id: ID, z: 'baz', y: 'bar', x: 'foo'}}}]", "{z: 'baz', y: 'bar', x: 'foo'}", Expect.DELTA));
        c.add(Arguments.of("two small fields reordered", "{padding: '" + GIANT + "', x: 'foo', y: 'bar'}",
                "[{$replaceRoot: {newRoot: {_id: ID, padding: '" + GIANT + "', y: 'bar', x: 'foo'}}}]",
                "{padding: '" + GIANT + "', y: 'bar', x: 'foo'}", Expect.DELTA));
        c.add(Arguments.of("fields reordered, again", "{padding: '" + GIANT + "', a: 1, b: 1, c: 1, d: 1}",
                "[{$replaceRoot: {newRoot: {_id: ID, padding: '" + GIANT + "', a: 1, c: 1, b: 1, d: 1}}}]",
                "{padding: '" + GIANT + "', a: 1, c: 1, b: 1, d: 1}", Expect.DELTA));
        c.add(Arguments.of("an element in the middle of an array", "{padding: '" + GIANT + "', a: [1, 2, 3, 4, 5]}",
                "[{$set: {a: [1, 2, 999, 4, 5]}}]", "{padding: '" + GIANT + "', a: [1, 2, 999, 4, 5]}", Expect.DELTA));
        c.add(Arguments.of("an object inside an array", "{padding: '" + GIANT + "', a: [1, 2, 3, {b: 1}, 5]}",
                "[{$set: {a: [1, 2, 3, {b: 2}, 5]}}]", "{padding: '" + GIANT + "', a: [1, 2, 3, {b: 2}, 5]}", Expect.DELTA));
        c.add(Arguments.of("arrays in objects in arrays", "{padding: '" + GIANT + "', a: [1, 2, 3, {b: [{c: 1}]}, 5]}",
                "[{$set: {a: [1, 2, 3, {b: [{c: 999}]}, 5]}}]", "{padding: '" + GIANT + "', a: [1, 2, 3, {b: [{c: 999}]}, 5]}",
                Expect.DELTA));
        c.add(Arguments.of("appended to an array", "{padding: '" + GIANT + "', a: [1, 2, 3]}", "[{$set: {a: [1, 2, 3, 4, 5]}}]",
                "{padding: '" + GIANT + "', a: [1, 2, 3, 4, 5]}", Expect.DELTA));
        c.add(Arguments.of("an array made shorter", "{padding: '" + GIANT + "', a: [1, 2, 3]}", "[{$set: {a: [1, 2]}}]",
                "{padding: '" + GIANT + "', a: [1, 2]}", Expect.DELTA));
        c.add(Arguments.of("an element changed and the array shortened", "{padding: '" + GIANT + "', a: [1, {b: 10}, 3]}",
                "[{$set: {a: [1, {b: 9}]}}]", "{padding: '" + GIANT + "', a: [1, {b: 9}]}", Expect.DELTA));
        c.add(Arguments.of("an element removed from the middle", "{padding: '" + GIANT + "', a: [1, 2, 999, 3, 4]}",
                "[{$set: {a: [1, 2, 3, 4]}}]", "{padding: '" + GIANT + "', a: [1, 2, 3, 4]}", Expect.DELTA));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theEntryOfAPipelineUpdateReplaysToItsPostImage(String name, String pre, String pipeline, String post, Expect expect) {
        int id = nextId++;
        MongoCollection<BsonDocument> coll = client.getDatabase("test").getCollection("coll", BsonDocument.class);
        BsonDocument preImage = withId(id, pre);
        coll.insertOne(preImage);
        List<BsonDocument> stages = new ArrayList<>();
        for (BsonValue v : BsonArray.parse(pipeline.replace("ID", Integer.toString(id)))) {
            stages.add(doubles(v).asDocument());
        }
        coll.updateOne(Filters.eq("_id", (double) id), stages);
        BsonDocument postImage = withId(id, post);
        assertThat(coll.find(Filters.eq("_id", (double) id)).first().toJson()).as("the sandbox's update").isEqualTo(postImage.toJson());

        Document filter = Document.parse("{$and: [{ns: 'test.coll'}, {$or: [{'o._id': " + id + ".0}, {'o2._id': " + id + ".0}]}]}");
        List<BsonDocument> newest = client.getDatabase("local").getCollection("oplog.rs", BsonDocument.class).find(filter)
                .limit(1).hint(new Document("$natural", -1)).into(new ArrayList<>());
        assertThat(newest).hasSize(1);
        BsonDocument entry = newest.get(0);
        if (expect != Expect.NO_ENTRY) {
            // the jstest's secondary: the same pre-image, the entry applied (applyOps applies it as a secondary does)
            MongoCollection<BsonDocument> secondary = client.getDatabase("test").getCollection("secondary", BsonDocument.class);
            secondary.insertOne(preImage);
            BsonDocument applied = entry.clone();
            applied.put("ns", new org.bson.BsonString("test.secondary"));
            applied.remove("ui");
            client.getDatabase("admin").runCommand(new BsonDocument("applyOps", new BsonArray(List.of(applied))));
            assertThat(secondary.find(Filters.eq("_id", (double) id)).first().toJson()).as("applied by applyOps")
                    .isEqualTo(postImage.toJson());
        }
        switch (expect) {
            case NO_ENTRY -> {
                assertThat(entry.getString("op").getValue()).isEqualTo("i");
                assertThat(entry.getDocument("o").get("_id")).isEqualTo(new BsonDouble(id));
            }
            case REPLACEMENT -> {
                assertThat(entry.getString("op").getValue()).isEqualTo("u");
                assertThat(entry.getDocument("o").containsKey("$v")).isFalse();
                assertThat(entry.getDocument("o").toJson()).isEqualTo(postImage.toJson());
            }
            case DELTA -> {
                assertThat(entry.getString("op").getValue()).isEqualTo("u");
                assertThat(entry.getDocument("o2").get("_id")).isEqualTo(new BsonDouble(id));
                BsonDocument o = entry.getDocument("o");
                assertThat(o.keySet()).containsExactly("$v", "diff");
                assertThat(o.getInt32("$v").getValue()).isEqualTo(2);
                assertThat(o.getDocument("diff").keySet()).allSatisfy(k -> assertThat(k.substring(0, 1)).isIn("i", "u", "s", "d"));
                assertThat(DiffApplier.apply(preImage, o.getDocument("diff")).toJson()).as("replayed: %s", o.toJson())
                        .isEqualTo(postImage.toJson());
            }
        }
    }

    /** The document with its {@code _id}, every plain number a double, as the jstest's shell writes them. */
    private static BsonDocument withId(int id, String json) {
        BsonDocument d = new BsonDocument("_id", new BsonDouble(id));
        d.putAll(BsonDocument.parse(json));
        return (BsonDocument) doubles(d);
    }

    private static BsonValue doubles(BsonValue v) {
        if (v.isInt32()) {
            return new BsonDouble(v.asInt32().getValue());
        }
        if (v.isDocument()) {
            BsonDocument out = new BsonDocument();
            v.asDocument().forEach((k, x) -> out.put(k, doubles(x)));
            return out;
        }
        if (v.isArray()) {
            BsonArray out = new BsonArray();
            v.asArray().forEach(x -> out.add(doubles(x)));
            return out;
        }
        return v;
    }
}
