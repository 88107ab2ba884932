package dev.rewind.sandbox;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import java.nio.file.Path;
import org.bson.BsonDocument;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * As mongod does, a replacement is stored in its own field order (_id first), while update
 * operators keep the fields where they are and append new ones (manual
 * https://www.mongodb.com/docs/v7.0/core/document/#document-field-order: "MongoDB preserves the
 * order of the document fields following write operations except ... The _id field is always the
 * first field ... Updates that include renaming of field names may result in the reordering").
 */
class ReplacementOrderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "h2"})
    void aReplacementIsStoredInItsOwnFieldOrder(String backend) {
        try (Sandbox sandbox = Events.start(backend, dir); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<BsonDocument> coll = client.getDatabase("t").getCollection("c", BsonDocument.class);
            coll.insertOne(BsonDocument.parse("{_id: 1, a: 1, nickname: 'n', b: 2}"));
            coll.updateOne(eq("_id", 1), Updates.unset("nickname"));

            coll.replaceOne(eq("_id", 1), BsonDocument.parse("{b: 2, a: 1, nickname: 'n'}"));
            assertThat(coll.find(eq("_id", 1)).first().toJson())
                    .isEqualTo("{\"_id\": 1, \"b\": 2, \"a\": 1, \"nickname\": \"n\"}");

            coll.updateOne(eq("_id", 1), Updates.combine(Updates.set("a", 5), Updates.set("c", 3)));
            assertThat(coll.find(eq("_id", 1)).first().toJson())
                    .as("update operators keep the fields where they are and append new ones")
                    .isEqualTo("{\"_id\": 1, \"b\": 2, \"a\": 5, \"nickname\": \"n\", \"c\": 3}");
        }
    }
}
