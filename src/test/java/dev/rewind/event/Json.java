package dev.rewind.event;

import org.bson.BsonDocument;

/** Extended-JSON shorthand for tests. */
final class Json {
    private Json() {}

    static BsonDocument doc(String json) {
        return BsonDocument.parse(json);
    }

    /** A change event from the manual's shapes, normalized as a collection stream on test.users would. */
    static ChangeEvent event(String json) {
        return ChangeEvents.fromBson(doc(json), Namespace.of("test", "users"));
    }

    /** An update event on test.users with the given updateDescription, no post-image. */
    static ChangeEvent update(String id, String updateDescription) {
        return event("""
                {"_id": {"_data": "82"}, "operationType": "update",
                 "clusterTime": {"$timestamp": {"t": 1654878543, "i": 2}},
                 "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
                 "ns": {"db": "test", "coll": "users"},
                 "documentKey": {"_id": %s},
                 "updateDescription": %s}
                """.formatted(id, updateDescription));
    }

    static UpdateDescription description(String json) {
        return UpdateDescription.fromBson(doc(json));
    }
}
