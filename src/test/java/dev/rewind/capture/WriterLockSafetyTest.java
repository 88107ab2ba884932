package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.WriterLock;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.sandbox.Sandbox;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 5: unlock refuses a live holder on this host unless --force; a capture whose lock
 * is gone stops at its next seal instead of writing beside another writer; and a stale lock found
 * by several writers at once is broken by one of them only.
 */
class WriterLockSafetyTest {
    @TempDir
    Path tmp;

    private static String lockJson(long pid, String token) throws Exception {
        return "{\"command\": \"rewind capture\", \"pid\": " + pid + ", \"host\": \"" + InetAddress.getLocalHost().getHostName()
                + "\", \"since\": \"2026-01-01T00:00:00Z\", \"token\": \"" + token + "\"}";
    }

    @Test
    void unlockRefusesALiveHolderUnlessForced() throws Exception {
        String repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        Path lock = Path.of(repo, "locks", "writer");
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, lockJson(ProcessHandle.current().pid(), "t-live"));
        CliRun.Result refused = CliRun.run("unlock", "--repo", repo);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.LOCKED.code());
        assertThat(refused.err()).contains("still running on this host").contains("hint: ").contains("--force");
        assertThat(lock).exists();
        CliRun.Result forced = CliRun.run("unlock", "--repo", repo, "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.err()).contains("warning: removing the lock of a live process");
        assertThat(lock).doesNotExist();
    }

    @Test
    void aCaptureWhoseLockWasTakenFromItStopsAtItsNextSeal() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory()) {
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            try (CaptureProcess capture = CaptureProcess.start(tmp.resolve("logs"), "first", sandbox.uri(), repo,
                    "--seal-interval", "200ms", "--idle-interval", "1s")) {
                assertThat(capture.awaitStderr("capturing in deployment mode", Duration.ofSeconds(60))).as(capture.logs()).isTrue();
                CliRun.Result forced = CliRun.run("unlock", "--repo", repo, "--force");
                assertThat(forced.exitCode()).as(forced.toString()).isZero();
                assertThat(capture.await(Duration.ofSeconds(30))).as(capture.logs()).isEqualTo(ExitCode.LOCKED.code());
                assertThat(capture.stderr()).contains("no longer holds the writer lock").contains("hint: ");
                CaptureStatus status = CaptureStatus.load(new LocalStore(Path.of(repo)));
                assertThat(status.state()).as("capture/status never says running after capture ended").isEqualTo("failed");
                assertThat(status.lastError()).contains("no longer holds the writer lock");
                CliRun.Result shown = CliRun.run("status", "--repo", repo, "--json");
                assertThat(org.bson.Document.parse(shown.out()).getString("capture")).isEqualTo("stopped");
            }
        }
    }

    @Test
    void aStaleLockFoundByManyWritersAtOnceIsBrokenByOne() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        LocalStore store = new LocalStore(tmp.resolve("store"));
        for (int round = 0; round < 40; round++) {
            store.put(WriterLock.NAME, lockJson(gone.pid(), "stale-" + round).getBytes());
            int writers = 4;
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger won = new AtomicInteger();
            List<WriterLock> held = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        held.add(WriterLock.acquire(store, "rewind snapshot"));
                        won.incrementAndGet();
                    } catch (RewindException e) {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(won.get()).as("round " + round + ": exactly one writer holds the lock").isEqualTo(1);
            WriterLock.Holder now = WriterLock.current(store);
            assertThat(now.token()).isEqualTo(held.get(0).token());
            held.forEach(WriterLock::close);
            assertThat(store.list("locks/")).isEmpty();
        }
    }

    @Test
    void aBreakMarkerLeftByADeadBreakerKeepsTheStaleLockUntilUnlock() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        LocalStore store = new LocalStore(Path.of(repo));
        store.put(WriterLock.NAME, lockJson(gone.pid(), "t-stale").getBytes());
        store.put("locks/break-t-stale", ("{\"pid\": " + gone.pid() + "}").getBytes());
        try {
            WriterLock.acquire(store, "rewind snapshot").close();
            throw new AssertionError("a second breaker took the lock");
        } catch (RewindException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED);
        }
        CliRun.Result unlock = CliRun.run("unlock", "--repo", repo);
        assertThat(unlock.exitCode()).as(unlock.toString()).isZero();
        assertThat(store.list("locks/")).isEmpty();
        WriterLock.acquire(store, "rewind snapshot").close();
    }
}
