package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code $collStats} as mongod answers it (MongoDB manual, "$collStats"; mongod's
 * {@code DocumentSourceCollStats::makeStatsForNs} and {@code storage_stats.cpp}): one document with
 * {@code ns}, {@code host}, {@code localTime}, then {@code storageStats} (sizes divided by
 * {@code scale}) and {@code count} as asked; it must take an object (40166); a missing collection
 * fails, NamespaceNotFound for storageStats and BadValue for count; the stages after it run on its
 * document; it cannot run in a transaction (manual, "Transactions and Operations").
 */
class CollStatsTest {
    @Test
    void storageStatsAndCountOfACollection() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase db = client.getDatabase("app");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 2500; i++) {
                docs.add(new Document("_id", i).append("email", "user" + i + "@example.com"));
            }
            db.getCollection("users").insertMany(docs);
            db.getCollection("users").createIndex(new Document("email", 1), new com.mongodb.client.model.IndexOptions().unique(true));

            Document s = collStats(db, "users", new Document("storageStats", new Document()).append("count", new Document()));
            assertThat(s.getString("ns")).isEqualTo("app.users");
            assertThat(s.get("host")).isNotNull();
            assertThat(s.get("localTime")).isInstanceOf(java.util.Date.class);
            assertThat(((Number) s.get("count")).longValue()).isEqualTo(2500);
            Document storage = s.get("storageStats", Document.class);
            long size = ((Number) storage.get("size")).longValue();
            long expected = docs.stream().mapToLong(d -> org.bson.RawBsonDocument.parse(d.toJson()).getByteBuffer().remaining()).sum();
            assertThat(size).isEqualTo(expected);
            assertThat(((Number) storage.get("avgObjSize")).longValue()).isEqualTo(expected / 2500);
            assertThat(storage.get("nindexes")).isEqualTo(2);
            Document indexSizes = storage.get("indexSizes", Document.class);
            assertThat(indexSizes.keySet()).containsExactly("_id_", "email_1");
            long total = ((Number) storage.get("totalIndexSize")).longValue();
            assertThat(total).isEqualTo(((Number) indexSizes.get("_id_")).longValue() + ((Number) indexSizes.get("email_1")).longValue());
            assertThat(((Number) indexSizes.get("email_1")).longValue()).as("longer keys than _id's")
                    .isGreaterThan(((Number) indexSizes.get("_id_")).longValue());
            assertThat(((Number) storage.get("totalSize")).longValue()).isEqualTo(((Number) storage.get("storageSize")).longValue() + total);

            Document scaled = collStats(db, "users", new Document("storageStats", new Document("scale", 1024)))
                    .get("storageStats", Document.class);
            assertThat(((Number) scaled.get("size")).longValue()).isEqualTo(expected / 1024);
            assertThat(scaled.get("scaleFactor")).isEqualTo(1024);

            List<Document> after = db.getCollection("users").aggregate(List.of(new Document("$collStats", new Document("count", new Document())),
                    new Document("$project", new Document("n", "$count").append("_id", 0)))).into(new ArrayList<>());
            assertThat(after).hasSize(1);
            assertThat(((Number) after.get(0).get("n")).longValue()).isEqualTo(2500);
        }
    }

    @Test
    void refusesWhatItCannotAnswer() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase db = client.getDatabase("app");
            db.getCollection("users").insertOne(new Document("_id", 1));
            db.createView("v", "users", List.of());
            assertThat(code(() -> collStats(db, "missing", new Document("storageStats", new Document())))).isEqualTo(26);
            assertThat(code(() -> collStats(db, "missing", new Document("count", new Document())))).isEqualTo(2);
            assertThat(code(() -> collStats(db, "v", new Document("storageStats", new Document())))).isEqualTo(166);
            assertThat(code(() -> collStats(db, "users", new Document("storageStats", new Document("scale", 0))))).isEqualTo(2);
            assertThat(code(() -> collStats(db, "users", new Document("latencyStats", new Document())))).as("not emulated").isEqualTo(115);
            assertThat(code(() -> db.runCommand(new Document("aggregate", "users").append("pipeline",
                    List.of(new Document("$collStats", 1))).append("cursor", new Document())))).isEqualTo(40166);
            // "Transactions and Operations": aggregate in a transaction excludes $collStats
            try (com.mongodb.client.ClientSession session = client.startSession()) {
                session.startTransaction();
                assertThat(code(() -> db.getCollection("users").aggregate(session,
                        List.of(new Document("$collStats", new Document("count", new Document())))).first())).isEqualTo(263);
            }
        }
    }

    /**
     * The {@code collStats} command (deprecated since 6.2, still in 7.0 and 8.0; mongod's
     * {@code dbcommands.cpp}, {@code CmdCollStats}): {@code ns} and the same storage statistics as
     * the stage's, at the top level, with {@code scale}; a missing collection gives zeros with
     * {@code ok: 1} (it ignores NamespaceNotFound); a view fails (166).
     */
    @Test
    void theCollStatsCommandGivesTheStagesStorageStats() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase db = client.getDatabase("app");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                docs.add(new Document("_id", i).append("name", "family " + i));
            }
            db.getCollection("families").insertMany(docs);
            Document stage = collStats(db, "families", new Document("storageStats", new Document("scale", 1)))
                    .get("storageStats", Document.class);
            Document command = db.runCommand(new Document("collStats", "families"));
            assertThat(command.getString("ns")).isEqualTo("app.families");
            for (String field : List.of("size", "count", "avgObjSize", "storageSize", "nindexes", "totalIndexSize", "totalSize",
                    "indexSizes", "scaleFactor")) {
                assertThat(command.get(field)).as(field).isEqualTo(stage.get(field));
            }
            assertThat(command.containsKey("numExtents")).as("mongodump takes numExtents for MMAPv1").isFalse();
            Document scaled = db.runCommand(new Document("collStats", "families").append("scale", 1024));
            assertThat(((Number) scaled.get("size")).longValue()).isEqualTo(((Number) stage.get("size")).longValue() / 1024);

            Document missing = db.runCommand(new Document("collStats", "none"));
            assertThat(missing.getString("ns")).isEqualTo("app.none");
            assertThat(((Number) missing.get("count")).longValue()).isZero();
            assertThat(((Number) missing.get("size")).longValue()).isZero();

            db.createView("names", "families", List.of());
            MongoCommandException view = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> db.runCommand(new Document("collStats", "names")), MongoCommandException.class);
            assertThat(view.getErrorCode()).isEqualTo(166);
        }
    }

    private static Document collStats(MongoDatabase db, String coll, Document spec) {
        Document reply = db.runCommand(new Document("aggregate", coll).append("pipeline", List.of(new Document("$collStats", spec)))
                .append("cursor", new Document()));
        List<Document> batch = reply.get("cursor", Document.class).getList("firstBatch", Document.class);
        assertThat(batch).hasSize(1);
        return batch.get(0);
    }

    private static int code(Runnable r) {
        try {
            r.run();
        } catch (MongoCommandException e) {
            return e.getErrorCode();
        }
        throw new AssertionError("no error");
    }
}
