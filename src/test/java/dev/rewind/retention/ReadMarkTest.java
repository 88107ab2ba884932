package dev.rewind.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.PruneGuard;
import dev.rewind.repo.ReadMark;
import dev.rewind.repo.Repository;
import dev.rewind.repo.store.ByteStore;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.repo.store.S3Location;
import dev.rewind.repo.store.S3Server;
import dev.rewind.repo.store.S3Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forget and prune delete nothing while a reader has its mark in the repository, and a reader waits
 * for a forget or prune in progress: on a folder and on S3 (docs/FORMAT.md, "Readers").
 */
class ReadMarkTest {
    @TempDir
    Path tmp;

    ByteStore store(String kind) {
        return kind.equals("s3") ? S3Store.open(S3Location.parse(S3Server.get().newLocation())) : new LocalStore(tmp.resolve("repo"));
    }

    /** Three daily snapshots, each with an object of its own: keep-last 1 forgets two, prune then deletes two objects. */
    static Repository threeDays(ByteStore store) {
        Repository repo = Repository.init(store);
        for (int i = 0; i < 3; i++) {
            repo.saveSnapshot(PruneTest.manifest("s" + i, 1000 + i * 86_400L, List.of(repo.putObject(PruneTest.bytes("day " + i)))));
        }
        return repo;
    }

    static final RetentionPolicy KEEP_LAST_1 = new RetentionPolicy(null, 1, 0, 0, 0);

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void forgetAndPruneDeleteNothingWhileAReaderReads(String kind) throws IOException {
        ByteStore store = store(kind);
        Repository repo = threeDays(store);
        Forget forget = new Forget(repo);
        try (ReadMark reading = ReadMark.publish(store, "rewind restore", Duration.ofSeconds(1), m -> { })) {
            assertThat(ReadMark.readers(store)).singleElement().satisfies(r -> assertThat(r.describe()).contains("'rewind restore'"));
            assertThatThrownBy(() -> forget.run(KEEP_LAST_1)).isInstanceOfSatisfying(RewindException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                assertThat(e.getMessage()).contains("forget deletes nothing while the repository is being read: 'rewind restore'");
            });
            assertThat(repo.snapshots()).hasSize(3);
            assertThatThrownBy(() -> new Prune(repo).run(true)).isInstanceOfSatisfying(RewindException.class,
                    e -> assertThat(e.getMessage()).contains("prune deletes nothing while the repository is being read"));
            assertThatThrownBy(() -> new RetentionJob(repo, KEEP_LAST_1, Duration.ofHours(1), m -> { }).runOnce())
                    .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED));
            assertThat(forget.plan(KEEP_LAST_1).forgottenSnapshots()).as("planning still works").hasSize(2);
            assertThat(new Prune(repo).run(false).plan().manifests()).as("a dry run still works").isEqualTo(3);
            assertThat(store.list("objects/")).hasSize(3);
        }
        assertThat(ReadMark.readers(store)).isEmpty();
        assertThat(store.list("locks/")).noneMatch(n -> n.startsWith("locks/read-"));
        assertThat(forget.run(KEEP_LAST_1).forgottenSnapshots()).hasSize(2);
        assertThat(new Prune(repo).run(true).objectsDeleted()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aMarkIsGoneWhenItsProcessHereEndedOrItsBeatIsOld(String kind) throws Exception {
        ByteStore store = store(kind);
        Repository repo = threeDays(store);
        Instant now = Instant.now();
        // a reader elsewhere that beat a minute ago: still reading
        store.put("locks/read-elsewhere", mark("rewind undo", 4242, "another-host", now.minusSeconds(60)));
        assertThatThrownBy(() -> new Prune(repo).run(true)).isInstanceOfSatisfying(RewindException.class,
                e -> assertThat(e.getMessage()).contains("'rewind undo' (pid 4242 on another-host"));
        // the same, silent for six minutes: gone, and its mark is removed
        store.put("locks/read-elsewhere", mark("rewind undo", 4242, "another-host", now.minusSeconds(360)));
        // a reader of this host whose process has ended
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        store.put("locks/read-here", mark("rewind diff", ended.pid(), dev.rewind.repo.WriterLock.Holder.thisHostName(), now));
        store.put("locks/read-garbled", PruneTest.bytes("not a mark"));
        assertThat(ReadMark.readers(store)).isEmpty();
        assertThat(store.list("locks/")).noneMatch(n -> n.startsWith("locks/read-"));
        assertThat(new Prune(repo).run(true).plan().manifests()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aReaderWaitsForAForgetOrPruneInProgress(String kind) throws IOException {
        ByteStore store = store(kind);
        threeDays(store);
        List<String> said = new ArrayList<>();
        try (PruneGuard forget = PruneGuard.forPrune(store, "rewind forget")) {
            assertThatThrownBy(() -> PruneGuard.forPrune(store)).isInstanceOfSatisfying(RewindException.class,
                    e -> assertThat(e.getMessage()).contains("another prune or forget is running").contains("'rewind forget'"));
            assertThatThrownBy(() -> ReadMark.publish(store, "rewind timeline", Duration.ofMillis(700), said::add))
                    .isInstanceOfSatisfying(RewindException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                        assertThat(e.getMessage()).contains("a prune or forget has been running");
                    });
            assertThat(said).singleElement().asString().startsWith("waiting for the forget in progress to finish");
            assertThat(store.list("locks/")).as("a reader that gave up leaves no mark").noneMatch(n -> n.startsWith("locks/read-"));
        }
        try (ReadMark reading = ReadMark.publish(store, "rewind timeline", Duration.ofMillis(700), said::add)) {
            assertThat(ReadMark.readers(store)).hasSize(1);
        }
    }

    static byte[] mark(String command, long pid, String host, Instant beat) {
        return new Document("command", command).append("pid", pid).append("host", host)
                .append("since", beat.minusSeconds(3600).toString()).append("token", "t").append("beat", beat.toString())
                .toJson().getBytes(StandardCharsets.UTF_8);
    }
}
