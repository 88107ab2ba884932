package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CreateViewOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.sandbox.MongoRelease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code restore --at T} rebuilds the catalog as of T from the snapshot and the log's DDL events:
 * collections created later come back with their options and indexes, collMod and dropIndexes
 * count, a rename takes the documents (changed before and after it) to the new name, a drop and
 * re-create starts afresh, time-series collections come back with their options and the
 * measurements of the snapshot, views with their definitions. Event shapes: MongoDB manual, "Change
 * Events" (create, createIndexes, dropIndexes, modify, rename; notes §1.3–1.5).
 */
class CatalogRestoreTest {
    @TempDir
    Path tmp;

    @Test
    void aCollectionCreatedAfterTheSnapshotComesBackWithItsOptionsAndIndexesAsOfT() throws Exception {
        try (Scene s = new Scene(tmp, MongoRelease.V7_0)) {
            s.db.getCollection("seed").insertOne(new Document("_id", 0));
            s.startCapture();
            // the create command itself: the driver's createCollection adds capped: false, which the sandbox refuses
            s.db.runCommand(new Document("create", "orders")
                    .append("changeStreamPreAndPostImages", new Document("enabled", true)));
            MongoCollection<Document> orders = s.db.getCollection("orders");
            orders.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
            orders.createIndex(Indexes.ascending("status"));
            orders.createIndex(Indexes.descending("temp"));
            orders.insertMany(List.of(new Document("_id", 1).append("email", "a@x").append("status", "new"),
                    new Document("_id", 2).append("email", "b@x").append("status", "paid")));
            s.db.runCommand(new Document("create", "events"));
            s.db.getCollection("events").insertOne(new Document("_id", 1));
            ClusterTime beforeDrop = s.now();
            orders.dropIndex("temp_-1");
            s.db.runCommand(new Document("collMod", "events")
                    .append("changeStreamPreAndPostImages", new Document("enabled", true)));
            orders.updateOne(Filters.eq("_id", 1), Updates.set("status", "paid"));
            ClusterTime t = s.now();
            // after T: none of this may show
            orders.createIndex(Indexes.ascending("late"));
            orders.dropIndex("status_1");
            s.db.runCommand(new Document("collMod", "orders")
                    .append("changeStreamPreAndPostImages", new Document("enabled", false)));
            orders.insertOne(new Document("_id", 3).append("email", "c@x"));
            s.stopCapture();

            s.restoreAt(t, "at_t");
            assertThat(s.collections("at_t").get("orders").get("options", Document.class).get("changeStreamPreAndPostImages"))
                    .isEqualTo(new Document("enabled", true));
            assertThat(s.indexes("at_t", "orders")).containsExactly("_id_", "email_1 unique", "status_1");
            assertThat(s.documents("at_t", "orders")).containsExactly(
                    new Document("_id", 1).append("email", "a@x").append("status", "paid"),
                    new Document("_id", 2).append("email", "b@x").append("status", "paid"));
            assertThat(s.collections("at_t").get("events").get("options", Document.class).get("changeStreamPreAndPostImages"))
                    .as("collMod before T").isEqualTo(new Document("enabled", true));
            // the unique index is real: MongoDB refuses a duplicate key (manual, "Unique Indexes")
            assertThat(CliRun.run("check", "unique", "--uri", s.sandbox.uri(), "--ns", "at_t.orders", "--field", "email")
                    .exitCode()).isZero();

            s.restoreAt(beforeDrop, "before_drop");
            assertThat(s.indexes("before_drop", "orders")).containsExactly("_id_", "email_1 unique", "status_1", "temp_-1");
            assertThat(s.collections("before_drop").get("events").get("options", Document.class))
                    .as("before collMod").doesNotContainKey("changeStreamPreAndPostImages");
        }
    }

    @ParameterizedTest(name = "MongoDB {0}")
    @EnumSource(value = MongoRelease.class, names = {"V6_0", "V8_0"})
    void aRestoreAfterARenameHasTheDocumentsUnderTheNewNameOnly(MongoRelease release) throws Exception {
        try (Scene s = new Scene(tmp, release)) {
            MongoCollection<Document> people = s.db.getCollection("people");
            for (int i = 1; i <= 5; i++) {
                people.insertOne(new Document("_id", i).append("name", "p" + i));
            }
            people.createIndex(Indexes.ascending("name"), new IndexOptions().unique(true));
            s.db.getCollection("live").insertOne(new Document("_id", "old live"));
            s.startCapture();
            people.updateOne(Filters.eq("_id", 1), Updates.set("name", "changed before"));
            people.deleteOne(Filters.eq("_id", 2));
            ClusterTime beforeRename = s.now();
            people.renameCollection(new MongoNamespace("shop", "persons"));
            MongoCollection<Document> persons = s.db.getCollection("persons");
            persons.updateOne(Filters.eq("_id", 3), Updates.set("name", "changed after"));
            persons.insertOne(new Document("_id", 6).append("name", "p6"));
            // a rename onto an existing collection replaces it (dropTarget)
            s.db.getCollection("staging").insertOne(new Document("_id", "new live"));
            s.db.getCollection("staging").renameCollection(new MongoNamespace("shop", "live"),
                    new RenameCollectionOptions().dropTarget(true));
            ClusterTime t = s.now();
            persons.insertOne(new Document("_id", 7).append("name", "after T"));
            s.stopCapture();

            s.restoreAt(t, "at_t");
            assertThat(s.collections("at_t").keySet()).containsExactlyInAnyOrder("persons", "live");
            assertThat(s.documents("at_t", "persons")).containsExactly(
                    new Document("_id", 1).append("name", "changed before"),
                    new Document("_id", 3).append("name", "changed after"),
                    new Document("_id", 4).append("name", "p4"),
                    new Document("_id", 5).append("name", "p5"),
                    new Document("_id", 6).append("name", "p6"));
            assertThat(s.indexes("at_t", "persons")).as("the indexes go with the collection").contains("name_1 unique");
            assertThat(s.documents("at_t", "live")).containsExactly(new Document("_id", "new live"));

            s.restoreAt(beforeRename, "before");
            assertThat(s.collections("before").keySet()).containsExactlyInAnyOrder("people", "live");
            assertThat(s.documents("before", "people")).hasSize(4);
            assertThat(s.documents("before", "live")).containsExactly(new Document("_id", "old live"));
        }
    }

    @Test
    void aDropAndReCreateBetweenTheSnapshotAndTStartsAfresh() throws Exception {
        try (Scene s = new Scene(tmp, MongoRelease.V7_0)) {
            MongoCollection<Document> tmpColl = s.db.getCollection("tmp");
            tmpColl.insertMany(List.of(new Document("_id", "a"), new Document("_id", "b").append("x", 1)));
            tmpColl.createIndex(Indexes.ascending("x"));
            s.startCapture();
            tmpColl.drop();
            tmpColl.insertOne(new Document("_id", "c").append("y", 2));
            tmpColl.createIndex(Indexes.ascending("y"));
            ClusterTime t = s.now();
            s.stopCapture();

            s.restoreAt(t, "at_t");
            assertThat(s.documents("at_t", "tmp")).containsExactly(new Document("_id", "c").append("y", 2));
            assertThat(s.indexes("at_t", "tmp")).containsExactly("_id_", "y_1");
        }
    }

    @Test
    void aTimeSeriesCollectionIsSnapshottedWithItsMeasurementsAndRestoredWithItsOptions() throws Exception {
        try (Scene s = new Scene(tmp, MongoRelease.V7_0)) {
            s.db.runCommand(new Document("create", "weather").append("timeseries",
                    new Document("timeField", "ts").append("metaField", "sensor").append("granularity", "minutes")));
            MongoCollection<Document> weather = s.db.getCollection("weather");
            List<Document> measured = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                measured.add(new Document("_id", i).append("ts", new Date(1_700_000_000_000L + i * 60_000L))
                        .append("sensor", "s" + (i % 3)).append("celsius", 10 + i % 7));
            }
            weather.insertMany(measured);
            s.startCapture();
            // change streams cannot follow a time-series collection (notes §8): this is not in the log
            weather.insertOne(new Document("_id", 99).append("ts", new Date()).append("sensor", "s9").append("celsius", 40));
            s.db.runCommand(new Document("create", "later").append("timeseries", new Document("timeField", "when")));
            ClusterTime t = s.now();
            s.stopCapture();

            assertThat(CliRun.run("snapshots", "--repo", s.repo).out()).contains("50");
            CliRun.Result r = s.restoreAt(t, "at_t");
            Document listed = s.collections("at_t").get("weather");
            assertThat(listed.getString("type")).isEqualTo("timeseries");
            Document ts = listed.get("options", Document.class).get("timeseries", Document.class);
            assertThat(ts.getString("timeField")).isEqualTo("ts");
            assertThat(ts.getString("metaField")).isEqualTo("sensor");
            assertThat(ts.getString("granularity")).isEqualTo("minutes");
            assertThat(s.documents("at_t", "weather")).containsExactlyElementsOf(measured);
            assertThat(r.err()).contains("shop.weather is a time-series collection", "as in snapshot");

            Document later = s.collections("at_t").get("later");
            assertThat(later.getString("type")).isEqualTo("timeseries");
            assertThat(later.get("options", Document.class).get("timeseries", Document.class).getString("timeField"))
                    .isEqualTo("when");
            assertThat(r.err()).contains("shop.later is a time-series collection", "restored with its options but empty");
            assertThat(CliRun.run("status", "--repo", s.repo).out()).contains("time-series", "shop.weather");
        }
    }

    @Test
    void viewsComeBackWithTheirDefinitions() throws Exception {
        try (Scene s = new Scene(tmp, MongoRelease.V7_0)) {
            MongoCollection<Document> members = s.db.getCollection("members");
            members.insertMany(List.of(new Document("_id", 1).append("age", 12), new Document("_id", 2).append("age", 40)));
            List<Document> adultsOnly = List.of(new Document("$match", new Document("age", new Document("$gte", 18))));
            s.db.createView("adults", "members", adultsOnly);
            s.startCapture();
            List<Document> kidsOnly = List.of(new Document("$match", new Document("age", new Document("$lt", 18))));
            s.db.createView("kids", "members", kidsOnly, new CreateViewOptions());
            members.insertOne(new Document("_id", 3).append("age", 70));
            ClusterTime t = s.now();
            s.stopCapture();

            s.restoreAt(t, "at_t");
            Document adults = s.collections("at_t").get("adults");
            assertThat(adults.getString("type")).isEqualTo("view");
            assertThat(adults.get("options", Document.class).getString("viewOn")).isEqualTo("members");
            assertThat(adults.get("options", Document.class).getList("pipeline", Document.class)).isEqualTo(adultsOnly);
            assertThat(s.documents("at_t", "adults")).extracting(d -> d.get("_id")).containsExactly(2, 3);
            Document kids = s.collections("at_t").get("kids");
            assertThat(kids.getString("type")).isEqualTo("view");
            assertThat(kids.get("options", Document.class).getList("pipeline", Document.class)).isEqualTo(kidsOnly);
            assertThat(s.documents("at_t", "kids")).extracting(d -> d.get("_id")).containsExactly(1);
        }
    }
}
