package dev.rewind.event;

import static dev.rewind.event.Json.doc;
import static dev.rewind.event.Json.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.changestream.FullDocument;
import java.time.Instant;
import java.util.List;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Normalization of the event shapes in the MongoDB manual's "Change Events" reference, and of the sandbox's. */
class ChangeEventsTest {
    static final String INSERT = """
            {"_id": {"_data": "8262A3B14F000000012B022C0100296E5A1004"},
             "operationType": "insert",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 1}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
             "collectionUUID": {"$binary": {"base64": "3b6qZQKYQ3G9uSvnSmQkOw==", "subType": "04"}},
             "ns": {"db": "engineering", "coll": "users"},
             "documentKey": {"userName": "alice123", "_id": {"$oid": "599af247bb69cd89961c986d"}},
             "fullDocument": {"_id": {"$oid": "599af247bb69cd89961c986d"}, "userName": "alice123", "name": "Alice"}}
            """;

    static final String UPDATE = """
            {"_id": {"_data": "8262A3B14F000000022B022C0100296E5A1004"},
             "operationType": "update",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 2}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
             "ns": {"db": "engineering", "coll": "users"},
             "documentKey": {"_id": {"$oid": "58a4eb4a30c75625e00d2820"}},
             "updateDescription": {
                "updatedFields": {"email": "alice@10gen.com"},
                "removedFields": ["phoneNumber"],
                "truncatedArrays": [{"field": "vacation_time", "newSize": 36}]},
             "fullDocument": {"_id": {"$oid": "58a4eb4a30c75625e00d2820"}, "name": "Alice",
                              "userName": "alice123", "email": "alice@10gen.com", "team": "replication"}}
            """;

    static final String REPLACE = """
            {"_id": {"_data": "82"}, "operationType": "replace",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 3}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
             "ns": {"db": "engineering", "coll": "users"},
             "documentKey": {"_id": {"$oid": "599af247bb69cd89961c986d"}},
             "fullDocument": {"_id": {"$oid": "599af247bb69cd89961c986d"}, "userName": "alice123", "name": "Alice"}}
            """;

    static final String DELETE = """
            {"_id": {"_data": "82"}, "operationType": "delete",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 4}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
             "ns": {"db": "engineering", "coll": "users"},
             "documentKey": {"_id": {"$oid": "599af247bb69cd89961c986d"}}}
            """;

    static final String DROP = """
            {"_id": {"_data": "82"}, "operationType": "drop",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 5}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
             "ns": {"db": "engineering", "coll": "users"}}
            """;

    static final String RENAME = """
            {"_id": {"_data": "82"}, "operationType": "rename",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 6}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
             "ns": {"db": "engineering", "coll": "users"},
             "to": {"db": "archive", "coll": "people"},
             "operationDescription": {"to": {"db": "archive", "coll": "people"}}}
            """;

    static final String DROP_DATABASE = """
            {"_id": {"_data": "82"}, "operationType": "dropDatabase",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 7}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
             "ns": {"db": "engineering"}}
            """;

    static final String INVALIDATE = """
            {"_id": {"_data": "82"}, "operationType": "invalidate",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 8}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"}}
            """;

    static final String CREATE_INDEXES = """
            {"_id": {"_data": "82"}, "operationType": "createIndexes",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 9}},
             "collectionUUID": {"$binary": {"base64": "3b6qZQKYQ3G9uSvnSmQkOw==", "subType": "04"}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
             "ns": {"db": "test", "coll": "authors"},
             "operationDescription": {"indexes": [{"v": 2, "key": {"name": 1}, "name": "name_1"}]}}
            """;

    static final String IN_TRANSACTION = """
            {"_id": {"_data": "82"}, "operationType": "insert",
             "clusterTime": {"$timestamp": {"t": 1654878543, "i": 10}},
             "wallTime": {"$date": "2022-06-10T16:29:03.704Z"},
             "ns": {"db": "engineering", "coll": "users"},
             "documentKey": {"_id": 1},
             "fullDocument": {"_id": 1, "name": "Bob"},
             "lsid": {"id": {"$binary": {"base64": "3b6qZQKYQ3G9uSvnSmQkOw==", "subType": "04"}},
                      "uid": {"$binary": {"base64": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "subType": "00"}}},
             "txnNumber": {"$numberLong": "3"}}
            """;

    static final Namespace USERS = Namespace.of("engineering", "users");

    @Test
    void readsAnInsertWithItsShardKeyAndIdFirst() {
        ChangeEvent insert = event(INSERT);

        assertThat(insert.operation()).isEqualTo(Operation.INSERT);
        assertThat(insert.ns()).isEqualTo(USERS);
        assertThat(insert.clusterTime()).isEqualTo(new ClusterTime(1654878543, 1));
        assertThat(insert.wallTime()).isEqualTo(Instant.parse("2022-06-10T16:29:03.704Z"));
        assertThat(insert.id()).isEqualTo(new BsonObjectId(new ObjectId("599af247bb69cd89961c986d")));
        assertThat(insert.documentKey().getFirstKey()).isEqualTo("_id");
        assertThat(insert.documentKey().getString("userName").getValue()).isEqualTo("alice123");
        assertThat(insert.fullDocument().getString("name").getValue()).isEqualTo("Alice");
        assertThat(insert.postImageExact()).isTrue();
        assertThat(insert.resumeToken()).isEqualTo(doc("{\"_data\": \"8262A3B14F000000012B022C0100296E5A1004\"}"));
        assertThat(insert.extra().containsKey("collectionUUID")).isTrue();
        assertThat(insert.txn()).isNull();
        assertThat(insert.quirks()).isEmpty();
        assertThat(insert.raw()).isEqualTo(doc(INSERT));
    }

    @Test
    void readsAnUpdateDescriptionWithTruncatedArrays() {
        ChangeEvent update = event(UPDATE);

        assertThat(update.operation()).isEqualTo(Operation.UPDATE);
        UpdateDescription description = update.updateDescription();
        assertThat(description.updatedFields()).isEqualTo(doc("{\"email\": \"alice@10gen.com\"}"));
        assertThat(description.removedFields()).containsExactly("phoneNumber");
        assertThat(description.truncatedArrays()).containsExactly(new TruncatedArray("vacation_time", 36));
        assertThat(description.disambiguatedPaths()).isNull();
    }

    @Test
    void takesAnUpdatesFullDocumentAsInexactUnlessTheStreamAskedForStoredPostImages() {
        assertThat(event(UPDATE).postImageExact()).isFalse();
        assertThat(ChangeEvents.fromBson(doc(UPDATE), null, FullDocument.UPDATE_LOOKUP).postImageExact()).isFalse();
        assertThat(ChangeEvents.fromBson(doc(UPDATE), null, FullDocument.WHEN_AVAILABLE).postImageExact()).isTrue();
        assertThat(ChangeEvents.fromBson(doc(UPDATE), null, FullDocument.REQUIRED).postImageExact()).isTrue();
    }

    @Test
    void readsTheRemainingDocumentAndNamespaceEvents() {
        assertThat(event(REPLACE).operation()).isEqualTo(Operation.REPLACE);
        assertThat(event(REPLACE).postImageExact()).isTrue();
        assertThat(event(DELETE).operation()).isEqualTo(Operation.DELETE);
        assertThat(event(DELETE).fullDocument()).isNull();
        assertThat(event(DROP).operation()).isEqualTo(Operation.DROP);
        assertThat(event(DROP).documentKey()).isNull();

        ChangeEvent rename = event(RENAME);
        assertThat(rename.operation()).isEqualTo(Operation.RENAME);
        assertThat(rename.ns()).isEqualTo(USERS);
        assertThat(rename.to()).isEqualTo(Namespace.of("archive", "people"));
        assertThat(rename.operationDescription()).isEqualTo(doc("{\"to\": {\"db\": \"archive\", \"coll\": \"people\"}}"));

        ChangeEvent dropDatabase = event(DROP_DATABASE);
        assertThat(dropDatabase.operation()).isEqualTo(Operation.DROP_DATABASE);
        assertThat(dropDatabase.ns()).isEqualTo(Namespace.database("engineering"));
    }

    @Test
    void leavesAnInvalidateWithoutNamespaceEvenOnACollectionStream() {
        ChangeEvent invalidate = event(INVALIDATE);

        assertThat(invalidate.operation()).isEqualTo(Operation.INVALIDATE);
        assertThat(invalidate.ns()).isNull();
        assertThat(invalidate.quirks()).doesNotContain(Quirk.NO_NAMESPACE);
    }

    @Test
    void readsDdlEventsWithTheirOperationDescription() {
        ChangeEvent createIndexes = event(CREATE_INDEXES);

        assertThat(createIndexes.operation()).isEqualTo(Operation.CREATE_INDEXES);
        assertThat(createIndexes.operation().isDdl()).isTrue();
        assertThat(createIndexes.operationDescription().getArray("indexes")).hasSize(1);
        assertThat(Operation.fromTypeName("modify")).isEqualTo(Operation.MODIFY);
        assertThat(Operation.fromTypeName("create")).isEqualTo(Operation.CREATE);
        assertThat(Operation.fromTypeName("dropIndexes")).isEqualTo(Operation.DROP_INDEXES);
        assertThat(Operation.fromTypeName("shardCollection")).isEqualTo(Operation.SHARD_COLLECTION);
    }

    @Test
    void keepsTheNameOfAnOperationItDoesNotKnow() {
        ChangeEvent future = event("""
                {"operationType": "reticulateSplines", "clusterTime": {"$timestamp": {"t": 5, "i": 1}},
                 "ns": {"db": "test", "coll": "users"}}
                """);

        assertThat(future.operation()).isEqualTo(Operation.OTHER);
        assertThat(future.operationType()).isEqualTo("reticulateSplines");
    }

    @Test
    void readsTheTransactionIdentity() {
        ChangeEvent inTransaction = event(IN_TRANSACTION);

        assertThat(inTransaction.inTransaction()).isTrue();
        assertThat(inTransaction.txn().txnNumber()).isEqualTo(3);
        assertThat(inTransaction.txn().lsid().containsKey("id")).isTrue();
    }

    @Test
    void refusesAnEventWithoutOperationTypeOrClusterTime() {
        assertThatThrownBy(() -> event("{\"clusterTime\": {\"$timestamp\": {\"t\": 5, \"i\": 1}}}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("operationType");
        assertThatThrownBy(() -> event("{\"operationType\": \"insert\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("clusterTime");
        assertThatThrownBy(() -> ChangeEvents.fromBson(doc("""
                {"operationType": "delete", "clusterTime": {"$timestamp": {"t": 5, "i": 1}}, "documentKey": {"_id": 1}}
                """), null)).isInstanceOf(MalformedEventException.class).hasMessageContaining("ns");
        assertThatThrownBy(() -> event("""
                {"operationType": "rename", "clusterTime": {"$timestamp": {"t": 5, "i": 1}}, "ns": {"db": "a", "coll": "b"}}
                """)).isInstanceOf(MalformedEventException.class).hasMessageContaining("to");
        assertThatThrownBy(() -> event("""
                {"operationType": "insert", "clusterTime": {"$timestamp": {"t": 5, "i": 1}}, "ns": "a.b"}
                """)).isInstanceOf(MalformedEventException.class).hasMessageContaining("ns");
    }

    /** Events that fall short of the documented shape: what is noted, and what is not trusted. */
    @Nested
    class ShortOfTheShape {
        final Namespace families = Namespace.of("shop", "families");

        @Test
        void usesTheStreamNamespaceWhenTheEventHasNone() {
            ChangeEvent insert = ChangeEvents.fromBson(doc("""
                    {"_id": {"_data": "01"}, "operationType": "insert",
                     "clusterTime": {"$timestamp": {"t": 1795590630, "i": 2}},
                     "documentKey": {"_id": 1}, "fullDocument": {"_id": 1, "name": "a"}}
                    """), families);

            assertThat(insert.ns()).isEqualTo(families);
            assertThat(insert.wallTime()).isNull();
            assertThat(insert.quirks()).containsExactlyInAnyOrder(Quirk.NO_NAMESPACE, Quirk.NO_WALL_TIME);
        }

        @Test
        void dropsAnUpdatesFullDocumentOnAStreamThatAskedForNone() {
            String json = """
                    {"operationType": "update", "clusterTime": {"$timestamp": {"t": 1795590630, "i": 3}},
                     "ns": {"db": "shop", "coll": "families"}, "documentKey": {"_id": 7},
                     "updateDescription": {"updatedFields": {"n": 3}, "removedFields": []},
                     "fullDocument": {"_id": 7, "n": 3}}
                    """;

            ChangeEvent lookedUp = ChangeEvents.fromBson(doc(json), families, FullDocument.UPDATE_LOOKUP);
            ChangeEvent notAskedFor = ChangeEvents.fromBson(doc(json), families, FullDocument.DEFAULT);

            assertThat(lookedUp.fullDocument()).isEqualTo(doc("{\"_id\": 7, \"n\": 3}"));
            assertThat(lookedUp.postImageExact()).as("an updateLookup document is no post-image").isFalse();
            assertThat(notAskedFor.fullDocument()).isNull();
            assertThat(notAskedFor.quirks()).contains(Quirk.BOGUS_FULL_DOCUMENT);
        }

        @Test
        void takesTheIdFromTheFullDocumentWhenTheKeyLacksOne() {
            ChangeEvent insert = ChangeEvents.fromBson(doc("""
                    {"operationType": "insert", "clusterTime": {"$timestamp": {"t": 1, "i": 1}},
                     "documentKey": {}, "fullDocument": {"_id": "x", "a": 1}}
                    """), families);

            assertThat(insert.id()).isEqualTo(new BsonString("x"));
        }
    }

    @Test
    void leavesARealServersShardKeyAlone() {
        ChangeEvent update = event("""
                {"operationType": "update", "clusterTime": {"$timestamp": {"t": 1, "i": 1}},
                 "ns": {"db": "test", "coll": "users"},
                 "documentKey": {"region": "eu", "_id": {"$numberLong": "5"}},
                 "updateDescription": {"updatedFields": {"a": 1}, "removedFields": []}}
                """);

        assertThat(update.operation()).isEqualTo(Operation.UPDATE);
        assertThat(update.id()).isEqualTo(new BsonInt64(5));
        assertThat(List.copyOf(update.documentKey().keySet())).containsExactly("_id", "region");
        assertThat(update.quirks()).containsExactly(Quirk.NO_WALL_TIME);
    }
}
