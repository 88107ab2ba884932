package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * updateDescription as mongod derives it from its $v:2 oplog delta, end to end through the driver.
 * Sources (notes §1.1, §1.2): manual https://www.mongodb.com/docs/v7.0/reference/change-events/update/
 * (updatedFields, removedFields, truncatedArrays); jstests/change_streams/expanded_update_description.js
 * (with showExpandedEvents, disambiguatedPaths is always present, {} when nothing is ambiguous, a
 * numeric field name reported as a string: ['objectWithNumericField', '0', '1']); change_stream_event_transform.cpp
 * ({"disambiguatedPaths", getShowExpandedEvents() ? ... : Value()}); the field is 6.1+ (Node driver
 * docs "@since 6.1.0"), so absent on 6.0; manual "Updates with Aggregation Pipeline".
 */
class UpdateEventTest {
    private static final String PAD = "x".repeat(200);

    /** Applies {@code update} to {@code doc} and returns the update event's updateDescription. */
    private static BsonDocument describe(MongoRelease release, boolean expanded, String doc, Bson filter,
                                         java.util.function.Consumer<MongoCollection<Document>> update) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(Document.parse(doc));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch().showExpandedEvents(expanded))) {
                update.accept(coll);
                RawBsonDocument e = next(stream);
                assertThat(e.getString("operationType").getValue()).as(e.toJson()).isEqualTo("update");
                return e.getDocument("updateDescription");
            }
        }
    }

    private static BsonDocument describe(MongoRelease release, String doc, String update) {
        return describe(release, false, doc, null, c -> c.updateOne(Filters.eq("_id", 1), BsonDocument.parse(update)));
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void pushGivesTheNewArrayElement(MongoRelease release) {
        assertThat(describe(release, "{_id: 1, arr: [1, 2]}", "{$push: {arr: 3}}"))
                .isEqualTo(BsonDocument.parse("{updatedFields: {'arr.2': 3}, removedFields: [], truncatedArrays: []}"));
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void nestedSetGivesDottedPaths(MongoRelease release) {
        assertThat(describe(release, "{_id: 1, a: {b: 1, c: {d: 1}}}", "{$set: {'a.b': 2, 'a.c.d': 3}}"))
                .isEqualTo(BsonDocument.parse("{updatedFields: {'a.b': 2, 'a.c.d': 3}, removedFields: [], truncatedArrays: []}"));
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void unsetGivesRemovedFields(MongoRelease release) {
        assertThat(describe(release, "{_id: 1, a: 1, b: {c: 1, d: 2}}", "{$unset: {a: '', 'b.c': ''}}"))
                .isEqualTo(BsonDocument.parse("{updatedFields: {}, removedFields: ['a', 'b.c'], truncatedArrays: []}"));
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aPipelineThatShortensAnArrayGivesTruncatedArrays(MongoRelease release) {
        BsonDocument d = describe(release, false, "{_id: 1, arr: [1, 2, 3, 4], pad: '" + PAD + "'}", null,
                c -> c.updateOne(Filters.eq("_id", 1), List.of(BsonDocument.parse("{$set: {arr: {$slice: ['$arr', 2]}}}"))));
        assertThat(d).isEqualTo(BsonDocument.parse(
                "{updatedFields: {}, removedFields: [], truncatedArrays: [{field: 'arr', newSize: 2}]}"));
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void pipelineUpdatesWork(MongoRelease release) {
        try (Server s = Server.start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(Document.parse("{_id: 1, a: 1, b: 2, pad: '" + PAD + "'}"));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                coll.updateOne(Filters.eq("_id", 1), List.of(
                        BsonDocument.parse("{$set: {c: {$add: ['$a', '$b']}}}"), BsonDocument.parse("{$unset: 'a'}")));
                RawBsonDocument e = next(stream);
                assertThat(coll.find(Filters.eq("_id", 1)).first()).isEqualTo(Document.parse("{_id: 1, b: 2, pad: '" + PAD + "', c: 3}"));
                assertThat(e.getString("operationType").getValue()).isEqualTo("update");
                assertThat(e.getDocument("updateDescription")).isEqualTo(
                        BsonDocument.parse("{updatedFields: {c: 3}, removedFields: ['a'], truncatedArrays: []}"));
            }
        }
    }

    /** disambiguatedPaths: {} under showExpandedEvents on 6.1+; absent without it and on 6.0. */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void disambiguatedPathsIsEmptyWhenNothingIsAmbiguous(MongoRelease release) {
        BsonDocument d = describe(release, true, "{_id: 1, a: 1}", null,
                c -> c.updateOne(Filters.eq("_id", 1), BsonDocument.parse("{$set: {a: 2}}")));
        String expected = release == MongoRelease.V6_0
                ? "{updatedFields: {a: 2}, removedFields: [], truncatedArrays: []}"
                : "{updatedFields: {a: 2}, removedFields: [], truncatedArrays: [], disambiguatedPaths: {}}";
        assertThat(d).isEqualTo(BsonDocument.parse(expected));
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void disambiguatedPathsNamesNumericFieldNames(MongoRelease release) {
        String doc = "{_id: 1, o: {'0': {x: 1}}}";
        String update = "{$set: {'o.0.x': 2}}";
        BsonDocument expanded = describe(release, true, doc, null,
                c -> c.updateOne(Filters.eq("_id", 1), BsonDocument.parse(update)));
        BsonDocument plain = describe(release, doc, update);
        assertThat(plain).isEqualTo(BsonDocument.parse("{updatedFields: {'o.0.x': 2}, removedFields: [], truncatedArrays: []}"));
        if (release == MongoRelease.V6_0) {
            assertThat(expanded).isEqualTo(plain);
        } else {
            assertThat(expanded).isEqualTo(BsonDocument.parse("{updatedFields: {'o.0.x': 2}, removedFields: [],"
                    + " truncatedArrays: [], disambiguatedPaths: {'o.0.x': ['o', '0', 'x']}}"));
        }
    }
}
