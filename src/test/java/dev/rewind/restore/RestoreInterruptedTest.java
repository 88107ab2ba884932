package dev.rewind.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 12: a restore killed half-way leaves no partly filled target, and running the same
 * restore again, without --drop, finishes it: while filling (the staging collections are dropped and
 * refilled, or kept when whole) and while publishing (the rest is renamed into place).
 */
class RestoreInterruptedTest {
    static final int ORDERS = 40_000;

    @TempDir
    Path tmp;

    private static void seed(MongoClient client) {
        MongoDatabase shop = client.getDatabase("shop");
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            batch.add(new Document("_id", i).append("total", i).append("note", "x".repeat(40)));
            if (batch.size() == 2000) {
                shop.getCollection("orders").insertMany(batch);
                batch.clear();
            }
        }
        shop.getCollection("customers").insertOne(new Document("_id", 1).append("email", "a@example.org"));
        shop.getCollection("customers").createIndex(new Document("email", 1));
    }

    private static List<String> collections(MongoClient client, String db) {
        return client.getDatabase(db).listCollectionNames().into(new ArrayList<>());
    }

    @Test
    void aRestoreKilledWhileFillingIsFinishedByRunningItAgain() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            seed(client);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            CliRun.Result snapshot = CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri());
            assertThat(snapshot.exitCode()).as(snapshot.toString()).isZero();
            Process restore = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.rewind.cli.Main", "restore",
                    "--repo", repo, "--uri", sandbox.uri(), "--to-db", "copy", "--threads", "1", "--quiet")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("restore.log").toFile()).start();
            boolean filling = false;
            for (long end = System.nanoTime() + 60_000_000_000L; System.nanoTime() < end && restore.isAlive(); Thread.sleep(20)) {
                String staging = collections(client, "copy").stream().filter(c -> c.startsWith("rewind.restoring.")).findFirst()
                        .orElse(null);
                if (staging != null && client.getDatabase("copy").getCollection(staging).countDocuments() > 0) {
                    filling = true;
                    break;
                }
            }
            restore.destroyForcibly();
            restore.waitFor(20, TimeUnit.SECONDS);
            assertThat(filling).as("the restore was killed while it filled a collection").isTrue();
            assertThat(collections(client, "copy")).as("no target is partly filled").doesNotContain("orders");

            CliRun.Result again = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "copy");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(collections(client, "copy")).containsExactlyInAnyOrder("orders", "customers");
            assertThat(client.getDatabase("copy").getCollection("orders").countDocuments()).isEqualTo(ORDERS);
            assertThat(client.getDatabase("copy").getCollection("customers").listIndexes().into(new ArrayList<>()))
                    .extracting(d -> d.getString("name")).contains("email_1");
        }
    }

    @Test
    void aRestoreInterruptedWhilePublishingIsFinishedByRunningItAgain() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            seed(client);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            CliRun.Result snapshot = CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri());
            assertThat(snapshot.exitCode()).as(snapshot.toString()).isZero();
            assertThat(CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "copy").exitCode()).isZero();
            // what a run killed between its two renames leaves: the marker, one target published, one still staged
            SnapshotManifest m = Repositories.open(repo).snapshot("latest");
            RestorePlan plan = RestorePlan.of(m, null, null, "copy");
            String key = RestoreStaging.key(plan, null);
            int customers = plan.items().get(0).targetCollection().equals("customers") ? 0 : 1;
            client.getDatabase("admin").runCommand(new Document("renameCollection", "copy.customers")
                    .append("to", "copy." + RestoreStaging.READY + key + "." + customers));
            client.getDatabase("copy").createCollection(RestoreStaging.MARKER + key);

            CliRun.Result again = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "copy");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(collections(client, "copy")).containsExactlyInAnyOrder("orders", "customers");
            assertThat(client.getDatabase("copy").getCollection("orders").countDocuments()).isEqualTo(ORDERS);
            assertThat(client.getDatabase("copy").getCollection("customers").countDocuments()).isEqualTo(1);
            assertThat(again.err()).contains("note: finished an interrupted run of this restore: 2 collections");

            CliRun.Result third = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "copy");
            assertThat(third.exitCode()).as("once finished, the same restore is refused as usual\n" + third).isEqualTo(7);
        }
    }
}
