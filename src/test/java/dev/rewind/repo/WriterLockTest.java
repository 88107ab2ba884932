package dev.rewind.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.store.ByteStore;
import dev.rewind.repo.store.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterLockTest {
    @TempDir
    Path dir;
    ByteStore store;
    final long myPid = ProcessHandle.current().pid();

    @BeforeEach
    void createStore() {
        store = new LocalStore(dir.resolve("repo"));
    }

    private void writeLock(String command, long pid, String host, String token) throws IOException {
        String json = "{\"command\": \"" + command + "\", \"pid\": " + pid + ", \"host\": \"" + host
                + "\", \"since\": \"" + Instant.now().minusSeconds(600) + "\", \"token\": \"" + token + "\"}";
        store.put(WriterLock.NAME, json.getBytes(StandardCharsets.UTF_8));
    }

    private static long pidOfAFinishedProcess() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d is gone", pid).isFalse();
        return pid;
    }

    @Test
    void recordsItsHolderInTheLockFile() throws IOException {
        try (WriterLock lock = WriterLock.acquire(store, "snapshot")) {
            WriterLock.Holder holder = WriterLock.current(store);
            assertThat(holder.command()).isEqualTo("snapshot");
            assertThat(holder.pid()).isEqualTo(myPid);
            assertThat(holder.host()).isEqualTo(WriterLock.thisHost());
            assertThat(holder.token()).isNotBlank();
            assertThat(lock.warning()).isNull();
        }
    }

    @Test
    void aSecondWriterIsRefusedWithTheHolderNamed() {
        try (WriterLock first = WriterLock.acquire(store, "snapshot")) {
            assertThatThrownBy(() -> WriterLock.acquire(store, "restore"))
                    .isInstanceOfSatisfying(RewindException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                        assertThat(e.getMessage()).contains("'snapshot'", "pid " + myPid, WriterLock.thisHost());
                        assertThat(e.hint()).contains("rewind unlock");
                    });
        }
    }

    @Test
    void closeReleasesTheLock() throws IOException {
        WriterLock.acquire(store, "snapshot").close();
        assertThat(store.exists(WriterLock.NAME)).isFalse();
        assertThat(WriterLock.current(store)).isNull();
        try (WriterLock again = WriterLock.acquire(store, "restore")) {
            assertThat(WriterLock.current(store).command()).isEqualTo("restore");
        }
    }

    @Test
    void exactlyOneOfManyConcurrentWritersGetsTheLock() throws Exception {
        int writers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String command = "writer-" + w;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        WriterLock.acquire(store, command);
                        return "won";
                    } catch (RewindException e) {
                        return e.exitCode().name();
                    }
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : results) {
                outcomes.add(f.get(1, TimeUnit.MINUTES));
            }
            assertThat(outcomes).containsOnly("won", "LOCKED").filteredOn("won"::equals).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void breaksALockLeftByAProcessOfThisHostThatIsGoneAndWarns() throws Exception {
        long dead = pidOfAFinishedProcess();
        writeLock("snapshot", dead, WriterLock.thisHost(), "old-token");
        try (WriterLock lock = WriterLock.acquire(store, "restore")) {
            assertThat(lock.warning()).contains("stale", "'snapshot'", "pid " + dead, "10m ago");
            WriterLock.Holder now = WriterLock.current(store);
            assertThat(now.command()).isEqualTo("restore");
            assertThat(now.pid()).isEqualTo(myPid);
        }
    }

    @Test
    void refusesALockHeldByAnotherHostEvenIfThePidIsFreeHere() throws Exception {
        long dead = pidOfAFinishedProcess();
        writeLock("snapshot", dead, "backup-2.example", "their-token");
        assertThatThrownBy(() -> WriterLock.acquire(store, "restore"))
                .isInstanceOfSatisfying(RewindException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                    assertThat(e.getMessage()).contains("'snapshot'", "pid " + dead, "backup-2.example");
                });
        assertThat(WriterLock.current(store).token()).isEqualTo("their-token");
    }

    @Test
    void refusesALockHeldByALiveProcessOnAnotherHost() throws Exception {
        writeLock("snapshot", myPid, "backup-2.example", "their-token");
        assertThatThrownBy(() -> WriterLock.acquire(store, "restore"))
                .isInstanceOfSatisfying(RewindException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED));
        assertThat(WriterLock.current(store).token()).isEqualTo("their-token");
    }

    @Test
    void refusesALockHeldByALiveProcessOnThisHost() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            writeLock("snapshot", sleeper.pid(), WriterLock.thisHost(), "their-token");
            assertThatThrownBy(() -> WriterLock.acquire(store, "restore"))
                    .isInstanceOfSatisfying(RewindException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                        assertThat(e.getMessage()).contains("pid " + sleeper.pid());
                    });
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
    }

    @Test
    void anUnreadableLockFileIsRefusedNotBroken() throws IOException {
        store.put(WriterLock.NAME, "garbage".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WriterLock.acquire(store, "restore"))
                .isInstanceOfSatisfying(RewindException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                    assertThat(e.getMessage()).contains("unreadable lock file");
                });
        assertThat(store.get(WriterLock.NAME)).isEqualTo("garbage".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void closeDoesNotDeleteALockTakenOverBySomeoneElse() throws IOException {
        WriterLock mine = WriterLock.acquire(store, "snapshot");
        // someone ran 'rewind unlock' and another writer took the lock
        store.delete(WriterLock.NAME);
        writeLock("restore", myPid, "backup-2.example", "their-token");
        mine.close();
        assertThat(WriterLock.current(store).token()).isEqualTo("their-token");
    }

    @Test
    void closeAfterTheLockWasRemovedDoesNothing() throws IOException {
        WriterLock mine = WriterLock.acquire(store, "snapshot");
        store.delete(WriterLock.NAME);
        mine.close();
        assertThat(store.exists(WriterLock.NAME)).isFalse();
    }
}
