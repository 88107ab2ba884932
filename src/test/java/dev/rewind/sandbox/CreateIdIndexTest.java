package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The {@code idIndex} option of {@code create}, which mongorestore sends from a dump's
 * metadata.json. MongoDB manual, "create": "idIndex: Specifies a custom configuration for the _id
 * index" (https://www.mongodb.com/docs/v7.0/reference/command/create/). mongod answers BadValue
 * when its key is not {@code {_id: 1}} (src/mongo/db/index/index_key_validate.cpp, "The field 'key'
 * for an _id index must be {_id: 1}"), and InvalidOptions with {@code timeseries}
 * (jstests/core/timeseries/timeseries_create.js: {@code testIncompatibleCreateOptions({idIndex: ...})}).
 */
class CreateIdIndexTest {

    @Test
    void theDefaultIdIndexIsAcceptedAndListedOnce() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.run("t", "{create: 'c', idIndex: {key: {_id: 1}, name: '_id_', v: 2}}");
            s.coll("t", "c").insertOne(new Document("_id", 1));
            List<Document> indexes = s.coll("t", "c").listIndexes().into(new ArrayList<>());
            assertThat(indexes).hasSize(1);
            assertThat(indexes.get(0).getString("name")).isEqualTo("_id_");
            Document listed = s.run("t", "{listCollections: 1, filter: {name: 'c'}}").get("cursor", Document.class)
                    .getList("firstBatch", Document.class).get(0);
            assertThat(listed.get("options", Document.class)).as("idIndex is not a collection option").doesNotContainKey("idIndex");
        }
    }

    @Test
    void anotherIdIndexKeyOrATimeSeriesCollectionIsRefusedAsMongodDoes() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            MongoCommandException e = s.fails("t", "{create: 'c', idIndex: {key: {_id: -1}, name: '_id_'}}");
            assertThat(e.getErrorCodeName()).isEqualTo("BadValue");
            assertThat(e.getErrorMessage()).contains("must be {_id: 1}");
            e = s.fails("t", "{create: 'ts', timeseries: {timeField: 't'}, idIndex: {key: {_id: 1}, name: '_id_'}}");
            assertThat(e.getErrorCodeName()).isEqualTo("InvalidOptions");
            assertThat(s.run("t", "{listCollections: 1}").get("cursor", Document.class).getList("firstBatch", Document.class))
                    .as("nothing was created").isEmpty();
        }
    }
}
