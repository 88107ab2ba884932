package dev.rewind.event;

import static dev.rewind.event.Json.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.changestream.FullDocument;
import java.util.List;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventFormatTest {

    static Stream<String> manualShapes() {
        return Stream.of(ChangeEventsTest.INSERT, ChangeEventsTest.UPDATE, ChangeEventsTest.REPLACE,
                ChangeEventsTest.DELETE, ChangeEventsTest.DROP, ChangeEventsTest.RENAME,
                ChangeEventsTest.DROP_DATABASE, ChangeEventsTest.INVALIDATE, ChangeEventsTest.CREATE_INDEXES,
                ChangeEventsTest.IN_TRANSACTION, """
                {"operationType": "update", "clusterTime": {"$timestamp": {"t": 4294967295, "i": 4294967295}},
                 "ns": {"db": "test", "coll": "with.dots"}, "documentKey": {"_id": {"a": 1}},
                 "updateDescription": {"updatedFields": {"a.0": 1}, "removedFields": ["b"],
                   "truncatedArrays": [{"field": "c", "newSize": 0}], "disambiguatedPaths": {"a.0": ["a", "0"]}},
                 "fullDocument": {"_id": {"a": 1}, "a": {"0": 1}, "c": []},
                 "fullDocumentBeforeChange": {"_id": {"a": 1}, "a": {}, "b": 2, "c": [1]}}
                """, """
                {"operationType": "update", "clusterTime": {"$timestamp": {"t": 1, "i": 1}},
                 "documentKey": {"name": "d", "_id": 1}, "fullDocument": {}}
                """);
    }

    @ParameterizedTest
    @MethodSource("manualShapes")
    void readsBackWhatItWrites(String json) {
        ChangeEvent event = ChangeEvents.fromBson(doc(json), Namespace.of("shop", "families"), FullDocument.WHEN_AVAILABLE);

        BsonDocument stored = EventFormat.write(event);
        ChangeEvent back = EventFormat.read(RawBsonDocument.parse(stored.toJson()));

        assertThat(back).isEqualTo(event.withoutRaw());
    }

    @Test
    void writesShortFieldsAndLeavesOutAbsentOnes() {
        ChangeEvent delete = Json.event(ChangeEventsTest.DELETE);

        BsonDocument stored = EventFormat.write(delete);

        assertThat(List.copyOf(stored.keySet())).containsExactly("v", "op", "t", "w", "ns", "key", "token");
        assertThat(stored.getString("ns")).isEqualTo(new BsonString("engineering.users"));
        assertThat(stored.get("v")).isEqualTo(new BsonInt32(1));
    }

    @Test
    void refusesAnUnknownFormatVersion() {
        BsonDocument stored = EventFormat.write(Json.event(ChangeEventsTest.DELETE));
        stored.put("v", new BsonInt32(2));

        assertThatThrownBy(() -> EventFormat.read(stored))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> EventFormat.read(doc("{\"op\": \"insert\"}")))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void ignoresQuirksNamedByANewerWriter() {
        BsonDocument stored = EventFormat.write(Json.event(ChangeEventsTest.DELETE));
        stored.put("q", doc("{\"q\": [\"NO_WALL_TIME\", \"SOMETHING_NEW\"]}").getArray("q"));

        assertThat(EventFormat.read(stored).quirks()).containsExactly(Quirk.NO_WALL_TIME);
    }

    @Test
    void readsAFieldNamedTwiceInAStoredEventAsItsFirstValueAsARawDocumentWould() {
        BsonDocument stored = EventFormat.write(Json.event(ChangeEventsTest.DELETE));
        org.bson.io.BasicOutputBuffer buffer = new org.bson.io.BasicOutputBuffer();
        try (org.bson.BsonBinaryWriter writer = new org.bson.BsonBinaryWriter(buffer)) {
            writer.writeStartDocument();
            stored.forEach((name, value) -> {
                writer.writeName(name);
                new org.bson.codecs.BsonValueCodec().encode(writer, value, org.bson.codecs.EncoderContext.builder().build());
            });
            writer.writeString("ns", "other.place");
            writer.writeEndDocument();
        }
        RawBsonDocument twice = new RawBsonDocument(buffer.toByteArray());

        assertThat(twice.getString("ns").getValue()).isEqualTo("engineering.users");
        assertThat(EventFormat.read(twice).ns()).isEqualTo(Namespace.of("engineering", "users"));
    }
}
