package dev.rewind.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.changestream.FullDocument;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ChangeEvents;
import dev.rewind.event.Namespace;
import dev.rewind.repo.NamespaceSnapshot;
import java.util.List;
import java.util.UUID;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The catalog as the log's DDL events leave it, with event shapes from the MongoDB manual ("Change
 * Events": create, createIndexes, dropIndexes, modify, rename, drop, dropDatabase; notes §1.3–1.5).
 * These cover what a capture cannot stage on demand: a snapshot listed after some of the events it
 * replays (the scan is fuzzy), manifests without UUIDs, and logs without them (servers before 6.0).
 */
class CatalogAtTest {
    private static final String U1 = UUID.randomUUID().toString();
    private static final String U2 = UUID.randomUUID().toString();
    private int tick;

    private ChangeEvent event(String type, String ns, String uuid, String rest) {
        String[] parts = ns.split("\\.", 2);
        String json = "{\"operationType\": \"" + type + "\", \"clusterTime\": {\"$timestamp\": {\"t\": 100, \"i\": " + (++tick)
                + "}}, \"wallTime\": {\"$date\": \"2024-01-01T00:00:00Z\"}, \"ns\": {\"db\": \"" + parts[0] + "\""
                + (parts.length > 1 ? ", \"coll\": \"" + parts[1] + "\"" : "") + "}"
                + (uuid == null ? "" : ", \"collectionUUID\": {\"$binary\": {\"base64\": \"" + base64(uuid) + "\", \"subType\": \"04\"}}")
                + rest + "}";
        return ChangeEvents.fromBson(BsonDocument.parse(json), null, FullDocument.WHEN_AVAILABLE);
    }

    private static String base64(String uuid) {
        UUID u = UUID.fromString(uuid);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return java.util.Base64.getEncoder().encodeToString(b.array());
    }

    private ChangeEvent insert(String ns, String uuid, int id) {
        return event("insert", ns, uuid, ", \"documentKey\": {\"_id\": " + id + "}, \"fullDocument\": {\"_id\": " + id + "}");
    }

    private ChangeEvent rename(String from, String to, String uuid) {
        String[] t = to.split("\\.", 2);
        return event("rename", from, uuid, ", \"to\": {\"db\": \"" + t[0] + "\", \"coll\": \"" + t[1] + "\"}");
    }

    private static NamespaceSnapshot listed(String ns, String uuid) {
        String[] p = ns.split("\\.", 2);
        return new NamespaceSnapshot(p[0], p[1], "collection", new Document(), List.of(CollectionAt.ID_INDEX), 10, 100,
                List.of(), uuid);
    }

    private static List<String> names(CatalogAt c) {
        return c.live().stream().map(x -> x.ns().toString()).toList();
    }

    @Test
    void aRenameTheSnapshotAlreadyListsMovesNothing() {
        CatalogAt c = CatalogAt.of(List.of(listed("shop.persons", U1)));

        CollectionAt before = c.route(insert("shop.people", U1, 1));  // an event from before the rename
        c.apply(rename("shop.people", "shop.persons", U1));

        assertThat(names(c)).containsExactly("shop.persons");
        assertThat(before).isSameAs(c.at(Namespace.of("shop", "persons")));
        assertThat(before.base()).as("the snapshot's documents stay").isNotNull();
    }

    @Test
    void aCreateTheSnapshotAlreadyListsSetsItsCopyAsideForTheLogHoldsEveryDocument() {
        CatalogAt c = CatalogAt.of(List.of(listed("shop.orders", U1)));

        CollectionAt created = c.apply(event("create", "shop.orders", U1,
                ", \"operationDescription\": {\"idIndex\": {\"v\": 2, \"key\": {\"_id\": 1}, \"name\": \"_id_\"},"
                        + " \"changeStreamPreAndPostImages\": {\"enabled\": true}}"));

        assertThat(created).isSameAs(c.at(Namespace.of("shop", "orders")));
        assertThat(created.createdInLog()).isTrue();
        assertThat(created.options()).isEqualTo(new Document("changeStreamPreAndPostImages", new Document("enabled", true)));
        assertThat(created.indexes()).extracting(i -> i.getString("name")).containsExactly("_id_");
    }

    @Test
    void aDropAndCreateTheSnapshotListedAfterLeaveOnlyTheNewCollection() {
        // U1 existed at startAt; it was dropped and U2 created before the listing, which shows U2
        CatalogAt c = CatalogAt.of(List.of(listed("shop.tmp", U2)));

        c.route(insert("shop.tmp", U1, 1));
        c.apply(event("drop", "shop.tmp", U1, ""));
        c.apply(event("create", "shop.tmp", U2, ", \"operationDescription\": {}"));
        c.route(insert("shop.tmp", U2, 2));

        assertThat(c.live()).singleElement().satisfies(x -> {
            assertThat(x.uuid()).isEqualTo(U2);
            assertThat(x.createdInLog()).isTrue();
        });
    }

    @Test
    void aManifestWithoutUuidsTakesThemFromTheEvents() {
        CatalogAt c = CatalogAt.of(List.of(listed("shop.people", null)));

        CollectionAt people = c.route(insert("shop.people", U1, 1));
        c.apply(rename("shop.people", "shop.persons", U1));
        CollectionAt after = c.route(insert("shop.persons", U1, 2));

        assertThat(after).isSameAs(people);
        assertThat(people.uuid()).isEqualTo(U1);
        assertThat(people.base()).isNotNull();
        assertThat(names(c)).containsExactly("shop.persons");
        assertThat(c.vacated(Namespace.of("shop", "people"))).isTrue();
    }

    @Test
    void withoutUuidsARenameIsFollowedByName() {
        CatalogAt c = CatalogAt.of(List.of(listed("shop.people", null), listed("shop.live", null)));
        CollectionAt people = c.at(Namespace.of("shop", "people"));

        c.apply(rename("shop.people", "shop.live", null));  // dropTarget: the old live goes

        assertThat(names(c)).containsExactly("shop.live");
        assertThat(c.at(Namespace.of("shop", "live"))).isSameAs(people);
        assertThat(people.formerNames()).containsExactly(Namespace.of("shop", "people"));
    }

    @Test
    void aRenameFromACollectionTheRepositoryNeverHeldIsAWarning() {
        CatalogAt c = CatalogAt.of(List.of());

        c.apply(rename("other.x", "shop.x", U1));

        assertThat(names(c)).containsExactly("shop.x");
        assertThat(c.warnings()).singleElement().asString().contains("renamed from other.x", "which the repository does not hold");
    }

    @Test
    void indexesAndOptionsFollowCreateIndexesDropIndexesAndModify() {
        CatalogAt c = CatalogAt.of(List.of(listed("shop.orders", U1)));

        c.apply(event("createIndexes", "shop.orders", U1, ", \"operationDescription\": {\"indexes\": ["
                + "{\"v\": 2, \"key\": {\"email\": 1}, \"name\": \"email_1\", \"unique\": true},"
                + "{\"v\": 2, \"key\": {\"at\": 1}, \"name\": \"at_1\"}]}"));
        c.apply(event("dropIndexes", "shop.orders", U1, ", \"operationDescription\": {\"indexes\": ["
                + "{\"v\": 2, \"key\": {\"at\": 1}, \"name\": \"at_1\"}]}"));
        c.apply(event("modify", "shop.orders", U1, ", \"operationDescription\": {\"index\": {\"name\": \"email_1\","
                + " \"hidden\": true}, \"validationLevel\": \"moderate\"}, \"stateBeforeChange\": {\"collectionOptions\": {}}"));

        CollectionAt orders = c.at(Namespace.of("shop", "orders"));
        assertThat(orders.indexes()).extracting(i -> i.getString("name")).containsExactly("_id_", "email_1");
        assertThat(orders.indexes().get(1)).containsEntry("unique", true).containsEntry("hidden", true);
        assertThat(orders.options()).containsEntry("validationLevel", "moderate");
    }

    @Test
    void aTimeSeriesCreateIsReadFromTheViewMongodDefinesAndKeepsTheSnapshotsMeasurements() {
        NamespaceSnapshot weather = new NamespaceSnapshot("shop", "weather", "timeseries",
                new Document("timeseries", new Document("timeField", "t")), List.of(), 50, 5000, List.of());
        CatalogAt c = CatalogAt.of(List.of(weather));
        String description = ", \"operationDescription\": {\"viewOn\": \"system.buckets.%s\", \"pipeline\": [{\"$_internalUnpackBucket\":"
                + " {\"timeField\": \"t\", \"metaField\": \"m\", \"bucketMaxSpanSeconds\": %d}}]}";

        assertThat(c.apply(event("create", "shop.weather", null, description.formatted("weather", 86_400)))).isNull();
        c.apply(event("create", "shop.later", null, description.formatted("later", 3600)));

        CollectionAt w = c.at(Namespace.of("shop", "weather"));
        assertThat(w.base()).as("the log never holds measurements").isSameAs(weather);
        assertThat(w.options().get("timeseries", Document.class)).containsEntry("granularity", "minutes").containsEntry("metaField", "m");
        CollectionAt later = c.at(Namespace.of("shop", "later"));
        assertThat(later.type()).isEqualTo("timeseries");
        assertThat(later.options().get("timeseries", Document.class)).containsEntry("timeField", "t")
                .containsEntry("granularity", "seconds");
        assertThat(later.indexes()).isEmpty();
    }

    @Test
    void aViewCreateAndDropAreFollowedByName() {
        CatalogAt c = CatalogAt.of(List.of());

        c.apply(event("create", "shop.adults", null, ", \"operationDescription\": {\"viewOn\": \"people\","
                + " \"pipeline\": [{\"$match\": {\"age\": {\"$gte\": 18}}}]}"));
        assertThat(c.at(Namespace.of("shop", "adults")).options()).containsEntry("viewOn", "people");
        c.apply(event("drop", "shop.adults", null, ""));

        assertThat(c.live()).isEmpty();
    }

    @Test
    void dropDatabaseDropsEverythingInItAndACopyGoesOnAlone() {
        CatalogAt c = CatalogAt.of(List.of(listed("shop.a", U1), listed("other.b", U2)));
        CatalogAt copy = c.copy();

        c.apply(event("dropDatabase", "shop", null, ""));

        assertThat(names(c)).containsExactly("other.b");
        assertThat(names(copy)).containsExactly("other.b", "shop.a");
        assertThat(copy.route(insert("shop.a", U1, 1)).serial()).isEqualTo(copy.at(Namespace.of("shop", "a")).serial());
    }
}
