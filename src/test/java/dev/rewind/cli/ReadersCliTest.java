package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.repo.PruneGuard;
import dev.rewind.repo.ReadMark;
import dev.rewind.repo.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers and deleters through the CLI (README "Locks"): a reading command marks the repository
 * while it reads and waits for a forget or prune in progress; forget and prune refuse (exit 5) while
 * a reader is there, naming it; a reader that cannot write its mark warns and reads anyway.
 */
class ReadersCliTest {
    @TempDir
    Path tmp;

    @Test
    void aTimelineWaitsForAPruneAndMarksTheRepositoryWhileItWaits() throws Exception {
        Path repo = tmp.resolve("repo");
        assertThat(CliRun.run("init", "--repo", repo.toString()).exitCode()).isZero();
        LocalStore store = new LocalStore(repo);
        CompletableFuture<CliRun.Result> timeline;
        try (PruneGuard prune = PruneGuard.forPrune(store)) {
            timeline = CompletableFuture.supplyAsync(() -> CliRun.run("timeline", "--repo", repo.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ReadMark.readers(store).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ReadMark.readers(store)).singleElement().satisfies(r -> assertThat(r.describe()).startsWith("'rewind timeline'"));
            Thread.sleep(700);
            assertThat(timeline).as("still waiting for the prune").isNotDone();
        }
        CliRun.Result r = timeline.get(30, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("waiting for the prune in progress to finish: 'rewind prune' (pid " + ProcessHandle.current().pid());
        assertThat(r.out()).contains("the repository has no change log yet");
        assertThat(ReadMark.readers(store)).as("the mark is gone with the command").isEmpty();
    }

    @Test
    void forgetAndPruneRefuseWhileARestoreReads() throws Exception {
        Path repo = tmp.resolve("repo");
        assertThat(CliRun.run("init", "--repo", repo.toString()).exitCode()).isZero();
        LocalStore store = new LocalStore(repo);
        try (ReadMark reading = ReadMark.publish(store, "rewind restore", Duration.ofSeconds(1), m -> { })) {
            CliRun.Result prune = CliRun.run("prune", "--repo", repo.toString());
            assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(5);
            assertThat(prune.err()).contains("prune deletes nothing while the repository is being read: 'rewind restore' (pid "
                    + ProcessHandle.current().pid()).contains("run it again when that has finished");
            CliRun.Result forget = CliRun.run("forget", "--repo", repo.toString(), "--keep-last", "1");
            assertThat(forget.exitCode()).as(forget.toString()).isEqualTo(5);
            assertThat(forget.err()).contains("forget deletes nothing while the repository is being read");
            CliRun.Result dry = CliRun.run("prune", "--repo", repo.toString(), "--dry-run");
            assertThat(dry.exitCode()).as("a dry run deletes nothing, so it runs: " + dry).isZero();
            CliRun.Result status = CliRun.run("status", "--repo", repo.toString());
            assertThat(status.out()).as(status.toString()).contains("reading      'rewind restore' (pid "
                    + ProcessHandle.current().pid()).contains("forget and prune delete nothing meanwhile");
        }
        assertThat(CliRun.run("prune", "--repo", repo.toString()).exitCode()).isZero();
        CliRun.Result status = CliRun.run("status", "--repo", repo.toString(), "--json");
        assertThat(org.bson.Document.parse(status.out()).getList("readers", String.class)).as(status.toString()).isEmpty();
    }

    @Test
    void aReaderThatCannotWriteItsMarkWarnsAndReads() throws Exception {
        Path repo = tmp.resolve("repo");
        assertThat(CliRun.run("init", "--repo", repo.toString()).exitCode()).isZero();
        Path locks = repo.resolve("locks");
        if (Files.isDirectory(locks)) {
            try (var files = Files.list(locks)) {
                assertThat(files).isEmpty();
            }
            Files.delete(locks);
        }
        Files.writeString(locks, "a file where the locks folder should be: nothing can be written under it");
        CliRun.Result r = CliRun.run("timeline", "--repo", repo.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("warning: cannot mark this read in " + repo).contains("a forget or prune that runs meanwhile");
    }
}
