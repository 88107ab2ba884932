package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.capture.CaptureRun;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An imported dump has no change-log position, so it cannot open a restorable window: capture
 * started on a repository that holds only imported snapshots takes its own first snapshot, and the
 * window opens at that one.
 */
class ImportThenCaptureTest {
    @TempDir
    Path tmp;

    @Test
    void captureTakesItsOwnFirstSnapshotBesideAnImportedOne() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            DumpData.write(client, "famigo", 50);
            String source = tmp.resolve("source").toString();
            assertThat(CliRun.run("init", "--repo", source).exitCode()).isZero();
            assertThat(CliRun.run("snapshot", "--repo", source, "--uri", sandbox.uri()).exitCode()).isZero();
            assertThat(CliRun.run("export", "--repo", source, "--dump", tmp.resolve("dump").toString()).exitCode()).isZero();
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            CliRun.Result imported = CliRun.run("import", "--repo", repo, "--dump", tmp.resolve("dump").toString());
            assertThat(imported.exitCode()).as(imported.toString()).isZero();
            Repository r = Repositories.open(repo);
            try (CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "famigo.*")) {
                for (int i = 0; i < 200 && r.snapshots().stream().noneMatch(m -> m.startAt() != null); i++) {
                    Thread.sleep(100);
                }
                Thread.sleep(1100);
                client.getDatabase("famigo").getCollection("family").insertOne(new Document("_id", -1));
                Thread.sleep(800);
            }
            assertThat(r.snapshots()).hasSize(2);
            CliRun.Result status = CliRun.run("status", "--repo", repo, "--json");
            assertThat(Document.parse(status.out()).getList("windows", Document.class)).as(status.toString()).hasSize(1);
        }
    }
}
