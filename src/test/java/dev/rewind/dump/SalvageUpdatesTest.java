package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents present in the dump and live but different are reported and left as they are; only
 * {@code --ops update} puts the dump's version back, journaled in the repository given with
 * {@code --repo}, and {@code undo --revert} takes it back; {@code --ops insert} is refused, since
 * without a log salvage cannot tell a mistaken insert from a sign-up.
 */
class SalvageUpdatesTest {
    @TempDir
    Path tmp;

    @Test
    void differingDocumentsAreReportedAndReplacedOnlyWithOpsUpdate() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            DumpData.write(client, "famigo", 100);
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            assertThat(CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri()).exitCode()).isZero();
            Path archive = tmp.resolve("famigo.archive.gz");
            assertThat(CliRun.run("export", "--repo", repo, "--archive", archive.toString(), "--gzip").exitCode()).isZero();
            List<Document> dumped = all(family);
            // the newest snapshot is now an imported one, which names no server: undo still knows the target
            assertThat(CliRun.run("import", "--repo", repo, "--archive", archive.toString()).exitCode()).isZero();
            family.updateMany(Filters.lt("_id", 10), Updates.set("name", "renamed"));
            family.deleteMany(Filters.gte("_id", 90));
            List<Document> before = all(family);

            CliRun.Result plain = CliRun.run("salvage", "--archive", archive.toString(), "--uri", sandbox.uri(), "--ns",
                    "famigo.family", "--apply", "--repo", repo, "--json");
            assertThat(plain.exitCode()).as(plain.toString()).isZero();
            Document totals = Document.parse(plain.out()).get("totals", Document.class);
            assertThat(totals.getInteger("restored")).isEqualTo(10);
            assertThat(totals.getInteger("differs")).isEqualTo(10);
            assertThat(family.find(Filters.eq("name", "renamed")).into(new ArrayList<>())).as("left as they are").hasSize(10);

            CliRun.Result updates = CliRun.run("salvage", "--archive", archive.toString(), "--uri", sandbox.uri(), "--ns",
                    "famigo.family", "--ops", "delete,update", "--apply", "--repo", repo, "--json");
            assertThat(updates.exitCode()).as(updates.toString()).isZero();
            Document result = Document.parse(updates.out());
            assertThat(result.get("totals", Document.class).getInteger("reverted")).isEqualTo(10);
            assertThat(result.get("totals", Document.class).getInteger("unchanged")).as("the ten restored before among them").isEqualTo(90);
            assertThat(all(family)).as("the dump's versions").isEqualTo(dumped);
            assertThat(result.getString("revert")).contains("--repo " + Path.of(repo).toAbsolutePath().normalize())
                    .doesNotContain("--force-target");

            CliRun.Result revert = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--revert", result.getString("journal"), "--apply");
            assertThat(revert.exitCode()).as(revert.toString()).isZero();
            List<Document> reverted = all(family);
            assertThat(reverted.stream().filter(d -> "renamed".equals(d.getString("name")))).hasSize(10);
            assertThat(reverted).hasSize(100);
            CliRun.Result insert = CliRun.run("salvage", "--archive", archive.toString(), "--uri", sandbox.uri(), "--ops", "insert");
            assertThat(insert.exitCode()).isEqualTo(2);
            assertThat(insert.err()).contains("never removes documents written since the dump").contains("hint:");
            assertThat(before).hasSize(90);
        }
    }

    private static List<Document> all(MongoCollection<Document> c) {
        return c.find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }
}
