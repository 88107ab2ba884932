package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.ExitCode;
import dev.rewind.SampleData;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondSnapshotIsRefusedWhileTheFirstRunsAndTheFirstCompletes() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            SampleData.load(client.getDatabase("famigo"), 30_000, 9);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Path lock = Path.of(repo, "locks", "writer");

            CompletableFuture<CliRun.Result> first = CompletableFuture.supplyAsync(
                    () -> CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo));
            while (!Files.exists(lock) && !first.isDone()) {
                Thread.sleep(5);
            }
            assertThat(first.isDone()).as("the first snapshot should still be running").isFalse();
            CliRun.Result second = CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo);
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCode.LOCKED.code());
            assertThat(second.err()).contains("is locked by 'rewind snapshot' (pid " + ProcessHandle.current().pid())
                    .contains("hint: ");

            CliRun.Result done = first.get();
            assertThat(done.exitCode()).as(done.toString()).isZero();
            assertThat(Files.exists(lock)).as("lock released").isFalse();
            CliRun.Result list = CliRun.run("snapshots", "--repo", repo, "--json");
            assertThat(org.bson.Document.parse(list.out()).getList("snapshots", Object.class)).hasSize(1);
        }
    }

    @Test
    void unlockRemovesALeftoverLock() throws Exception {
        String repo = tmp.resolve("repo2").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        Path lock = Path.of(repo, "locks", "writer");
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "{\"command\": \"rewind capture\", \"pid\": 1, \"host\": \"elsewhere\", "
                + "\"since\": \"2026-01-01T00:00:00Z\", \"token\": \"t\"}");
        try (Sandbox sandbox = Sandbox.inMemory()) {
            CliRun.Result refused = CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo);
            assertThat(refused.exitCode()).isEqualTo(ExitCode.LOCKED.code());
            assertThat(refused.err()).contains("'rewind capture' (pid 1 on elsewhere");
        }
        CliRun.Result unlock = CliRun.run("unlock", "--repo", repo);
        assertThat(unlock.exitCode()).isZero();
        assertThat(unlock.out()).contains("removed the lock held by 'rewind capture'");
        assertThat(Files.exists(lock)).isFalse();
    }
}
