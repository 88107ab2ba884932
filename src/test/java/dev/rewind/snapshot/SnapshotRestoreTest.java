package dev.rewind.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.rewind.SampleData;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRestoreTest {
    static Sandbox sandbox;
    static MongoClient client;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
        SampleData.load(client.getDatabase("famigo"), 3000, 1);
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    String repo() {
        String repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        return repo;
    }

    @Test
    void restoresEveryDocumentByteForByteWithItsIndexesUnderNewNames() {
        String repo = repo();
        CliRun.Result snap = CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*");
        assertThat(snap.exitCode()).as(snap.toString()).isZero();
        assertThat(snap.out()).contains("famigo.family").contains("3,000 docs");

        CliRun.Result restore = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(),
                "--ns-from", "famigo.*", "--ns-to", "famigo_restored.*");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();

        for (String coll : List.of("family", "settings")) {
            assertThat(rawById(client.getDatabase("famigo_restored"), coll))
                    .as(coll).isEqualTo(rawById(client.getDatabase("famigo"), coll));
            assertThat(indexes(client.getDatabase("famigo_restored"), coll))
                    .as(coll).isEqualTo(indexes(client.getDatabase("famigo"), coll));
        }
        assertThat(client.getDatabase("famigo_restored").getCollection("family").countDocuments()).isEqualTo(3000);
    }

    @Test
    void restoresIntoAnotherDatabaseWithToDb() {
        String repo = repo();
        assertThat(CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.settings").exitCode()).isZero();
        CliRun.Result restore = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "settings_copy");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(rawById(client.getDatabase("settings_copy"), "settings"))
                .isEqualTo(rawById(client.getDatabase("famigo"), "settings"));
    }

    @Test
    void listsSnapshotsAsJson() {
        String repo = repo();
        assertThat(CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*").exitCode()).isZero();
        CliRun.Result list = CliRun.run("snapshots", "--repo", repo, "--json");
        assertThat(list.exitCode()).isZero();
        Document json = Document.parse(list.out());
        List<Document> snaps = json.getList("snapshots", Document.class);
        assertThat(snaps).hasSize(1);
        assertThat(((Number) snaps.get(0).get("documents")).longValue()).isEqualTo(3006);
        assertThat(snaps.get(0).getString("startAt")).matches("\\d+,\\d+");
        assertThat(snaps.get(0).getList("namespaces", Document.class)).extracting(d -> d.getString("ns"))
                .containsExactly("famigo.family", "famigo.settings");
    }

    static Map<BsonValue, RawBsonDocument> rawById(MongoDatabase db, String coll) {
        Map<BsonValue, RawBsonDocument> out = new HashMap<>();
        for (RawBsonDocument d : db.getCollection(coll, RawBsonDocument.class).find().batchSize(1000)) {
            out.put(d.get("_id"), d);
        }
        return out;
    }

    static List<Document> indexes(MongoDatabase db, String coll) {
        List<Document> out = new ArrayList<>();
        for (Document d : db.getCollection(coll).listIndexes().batchSize(100)) {
            d.remove("ns");
            out.add(d);
        }
        out.sort((a, b) -> a.getString("name").compareTo(b.getString("name")));
        return out;
    }
}
