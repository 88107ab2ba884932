package dev.rewind.harden;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.ExitCode;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 1: a deployment is known by what it says it is (replica set name and id), recorded
 * in each manifest, never by how a connection string spells its address.
 */
class InPlaceGuardTest {
    @TempDir
    Path tmp;

    @Test
    void restoreInPlaceIsRefusedWhateverTheAddressSpellingAndAllowedOnAnotherDeployment() {
        try (Sandbox source = Sandbox.inMemory(); Sandbox other = Sandbox.inMemory();
             MongoClient client = MongoClients.create(source.uri()); MongoClient otherClient = MongoClients.create(other.uri())) {
            List<Document> orders = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                orders.add(new Document("_id", i).append("total", i));
            }
            client.getDatabase("shop").getCollection("orders").insertMany(orders);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            CliRun.Result snap = CliRun.run("snapshot", "--repo", repo, "--uri", source.uri());
            assertThat(snap.exitCode()).as(snap.toString()).isZero();
            client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1000).append("total", 1));

            for (String spelling : new String[] {"0.0.0.0", "127.1", "localhost", "127.0.0.1"}) {
                CliRun.Result r = CliRun.run("restore", "--repo", repo, "--uri", "mongodb://" + spelling + ":" + source.port() + "/",
                        "--ns-from", "shop.*", "--ns-to", "shop.*", "--drop");
                assertThat(r.exitCode()).as(spelling + "\n" + r).isEqualTo(ExitCode.REFUSED.code());
                assertThat(r.err()).contains("would write into the source database in place").contains("hint: ");
                CliRun.Result dry = CliRun.run("restore", "--repo", repo, "--uri", "mongodb://" + spelling + ":" + source.port()
                        + "/", "--dry-run");
                assertThat(dry.exitCode()).as(spelling + "\n" + dry).isEqualTo(ExitCode.REFUSED.code());
            }
            assertThat(client.getDatabase("shop").getCollection("orders").countDocuments()).as("the source is untouched")
                    .isEqualTo(51);

            CliRun.Result elsewhere = CliRun.run("restore", "--repo", repo, "--uri", other.uri(), "--ns-from", "shop.*",
                    "--ns-to", "shop.*");
            assertThat(elsewhere.exitCode()).as(elsewhere.toString()).isZero();
            assertThat(otherClient.getDatabase("shop").getCollection("orders").countDocuments()).isEqualTo(50);
        }
    }

    /**
     * A dropped collection back under its own name, on the deployment it was dropped from: allowed with
     * --in-place, and only into collections that are gone or empty (DESIGN: "never into the source
     * database in place without --in-place").
     */
    @Test
    void inPlaceBringsBackADroppedCollectionUnderItsNameAndNeverOverwrites() {
        try (Sandbox source = Sandbox.inMemory(); MongoClient client = MongoClients.create(source.uri())) {
            List<Document> orders = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                orders.add(new Document("_id", i).append("total", i));
            }
            client.getDatabase("shop").getCollection("orders").insertMany(orders);
            client.getDatabase("shop").getCollection("customers").insertOne(new Document("_id", 1));
            String repo = tmp.resolve("repo3").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            assertThat(CliRun.run("snapshot", "--repo", repo, "--uri", source.uri()).exitCode()).isZero();
            client.getDatabase("shop").getCollection("orders").drop();

            CliRun.Result refused = CliRun.run("restore", "--repo", repo, "--uri", source.uri(), "--ns-from", "shop.orders",
                    "--ns-to", "shop.orders");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.REFUSED.code());
            assertThat(refused.err()).contains("add --in-place");
            CliRun.Result withDrop = CliRun.run("restore", "--repo", repo, "--uri", source.uri(), "--ns-from", "shop.*",
                    "--ns-to", "shop.*", "--in-place", "--drop");
            assertThat(withDrop.exitCode()).as(withDrop.toString()).isEqualTo(ExitCode.USAGE.code());
            CliRun.Result overData = CliRun.run("restore", "--repo", repo, "--uri", source.uri(), "--ns-from", "shop.*",
                    "--ns-to", "shop.*", "--in-place");
            assertThat(overData.exitCode()).as("customers still holds data: %s", overData).isEqualTo(ExitCode.TARGET_NOT_EMPTY.code());
            assertThat(client.getDatabase("shop").listCollectionNames().into(new ArrayList<>())).containsExactly("customers");

            CliRun.Result back = CliRun.run("restore", "--repo", repo, "--uri", source.uri(), "--ns-from", "shop.orders",
                    "--ns-to", "shop.orders", "--in-place");
            assertThat(back.exitCode()).as(back.toString()).isZero();
            assertThat(client.getDatabase("shop").getCollection("orders").countDocuments()).isEqualTo(50);
            assertThat(client.getDatabase("shop").listCollectionNames().into(new ArrayList<>()))
                    .containsExactlyInAnyOrder("customers", "orders");
        }
    }

    @Test
    void undoApplyIsRefusedOnAnotherDeploymentOfTheSameNameAndAddressSpelling() {
        try (Sandbox source = Sandbox.inMemory(); Sandbox other = Sandbox.inMemory();
             MongoClient client = MongoClients.create(source.uri())) {
            client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
            String repo = tmp.resolve("repo2").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            assertThat(CliRun.run("snapshot", "--repo", repo, "--uri", source.uri()).exitCode()).isZero();
            // the other sandbox is also replica set rs0 on this machine: only its id tells it apart
            CliRun.Result r = CliRun.run("undo", "--repo", repo, "--uri", "mongodb://localhost:" + other.port() + "/",
                    "--from", "-1h", "--apply");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.REFUSED.code());
            assertThat(r.err()).contains("another server than the one this repository captured").contains("--uri reaches replica set rs0 (id").contains("--force-target");
        }
    }
}
