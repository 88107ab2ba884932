package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.TimeSeriesGranularity;
import com.mongodb.client.model.TimeSeriesOptions;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Time-series collections (6.0–8.0: a view on system.buckets.<name>).
 * Sources (notes §8, §1.5): manual https://www.mongodb.com/docs/v7.0/core/timeseries/timeseries-procedures/
 * ("List Time Series Collections in a Database": {name, type: 'timeseries', options: {timeseries:
 * {timeField, metaField, granularity: 'hours', bucketMaxSpanSeconds: 2592000}}, info: {readOnly: false}});
 * run_aggregate.cpp ("Cannot run aggregation on timeseries with namespace", CommandNotSupportedOnView
 * 166); document_source_change_stream.cpp (InvalidNamespace 73 on system.* collections; db and cluster
 * streams skip system.buckets.*, so measurements give no events); the time-series change stream
 * DDL jstest (create event: operationDescription {viewOn: "system.buckets.<name>", pipeline:
 * [{$_internalUnpackBucket: {timeField, metaField, bucketMaxSpanSeconds}}]}, no collectionUUID).
 */
class TimeSeriesTest {

    private static void createWeather(Server s) {
        s.db("t").createCollection("weather", new CreateCollectionOptions().timeSeriesOptions(
                new TimeSeriesOptions("timestamp").metaField("metadata").granularity(TimeSeriesGranularity.HOURS)));
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void listCollectionsShowsATimeSeriesCollection(MongoRelease release) {
        try (Server s = Server.start(release)) {
            createWeather(s);
            BsonDocument entry = s.runRaw("t", BsonDocument.parse("{listCollections: 1, filter: {type: 'timeseries'}}"))
                    .getDocument("cursor").getArray("firstBatch").get(0).asDocument();
            assertThat(entry).isEqualTo(BsonDocument.parse("{name: 'weather', type: 'timeseries', options: {timeseries:"
                    + " {timeField: 'timestamp', metaField: 'metadata', granularity: 'hours', bucketMaxSpanSeconds: 2592000}},"
                    + " info: {readOnly: false}}"));
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void measurementsCanBeReadWithFind(MongoRelease release) {
        try (Server s = Server.start(release)) {
            createWeather(s);
            Date when = new Date(1_700_000_000_000L);
            s.coll("t", "weather").insertMany(List.of(
                    new Document("timestamp", when).append("metadata", new Document("sensor", 1)).append("temp", 12),
                    new Document("timestamp", when).append("metadata", new Document("sensor", 2)).append("temp", 14)));
            List<Document> found = s.coll("t", "weather").find(new Document("metadata.sensor", 2)).into(new ArrayList<>());
            assertThat(found).hasSize(1);
            assertThat(found.get(0).getInteger("temp")).isEqualTo(14);
            assertThat(found.get(0).getDate("timestamp")).isEqualTo(when);
            assertThat(found.get(0).get("_id")).as("an _id is added as to any document").isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aChangeStreamOnATimeSeriesCollectionIsRefused(MongoRelease release) {
        try (Server s = Server.start(release)) {
            createWeather(s);
            MongoCommandException e = s.fails("t", "{aggregate: 'weather', pipeline: [{$changeStream: {}}], cursor: {}}");
            assertThat(e.getErrorCode()).isEqualTo(166);
            assertThat(e.getErrorCodeName()).isEqualTo("CommandNotSupportedOnView");
            assertThat(e.getErrorMessage()).contains("Cannot run aggregation on timeseries with namespace t.weather");
            MongoCommandException buckets = s.fails("t",
                    "{aggregate: 'system.buckets.weather', pipeline: [{$changeStream: {}}], cursor: {}}");
            assertThat(buckets.getErrorCode()).isEqualTo(73);
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void measurementsGiveNoEventsAndTheCreateIsAViewCreate(MongoRelease release) {
        try (Server s = Server.start(release)) {
            try (MongoChangeStreamCursor<RawBsonDocument> db = open(s.db("t").watch().showExpandedEvents(true));
                 MongoChangeStreamCursor<RawBsonDocument> cluster = open(s.client.watch())) {
                createWeather(s);
                s.coll("t", "weather").insertOne(new Document("timestamp", new Date()).append("metadata", 1).append("v", 1));
                s.coll("t", "weather").deleteMany(new Document("metadata", 1));
                s.coll("t", "c").insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(db, insertOf("marker"));
                assertThat(types(events)).containsExactly("create", "create");
                RawBsonDocument create = events.get(0);
                assertThat(create.getDocument("ns")).isEqualTo(BsonDocument.parse("{db: 't', coll: 'weather'}"));
                assertThat(create.getDocument("operationDescription")).isEqualTo(BsonDocument.parse(
                        "{viewOn: 'system.buckets.weather', pipeline: [{$_internalUnpackBucket: {timeField: 'timestamp',"
                                + " metaField: 'metadata', bucketMaxSpanSeconds: 2592000}}]}"));
                assertThat(create).as("a view has no collectionUUID").doesNotContainKey("collectionUUID");
                assertThat(events.get(1).getDocument("ns").getString("coll").getValue()).as("the marker's collection").isEqualTo("c");
                assertThat(until(cluster, insertOf("marker"))).isEmpty();
            }
        }
    }
}
