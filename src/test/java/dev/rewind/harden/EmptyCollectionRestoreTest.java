package dev.rewind.harden;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 13: a multi-collection restore creates an empty collection too, even into a database
 * that already holds other collections (restore asks listCollections with a name filter whether each
 * target exists; a filter ignored would answer yes and the collection would be skipped yet reported).
 */
class EmptyCollectionRestoreTest {
    @TempDir
    Path tmp;

    @Test
    void anEmptyCollectionIsRestoredBesideOthers() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
            client.getDatabase("shop").createCollection("returns");
            client.getDatabase("copy").getCollection("unrelated").insertOne(new Document("_id", "keep"));
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            assertThat(CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri(), "--ns", "shop.*").exitCode()).isZero();
            CliRun.Result r = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "copy");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("copy.returns");
            assertThat(client.getDatabase("copy").listCollectionNames().into(new ArrayList<>()))
                    .containsExactlyInAnyOrder("orders", "returns", "unrelated");
        }
    }
}
