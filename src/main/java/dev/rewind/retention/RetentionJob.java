package dev.rewind.retention;

import dev.rewind.repo.Repository;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A retention policy applied as capture goes (`capture --keep-*`): forget, then prune, once a minute
 * after capture starts and then every {@code every}, on a daemon thread. A failure is reported and
 * tried again next time; capture never stops for it.
 */
public final class RetentionJob implements AutoCloseable {
    private final Repository repo;
    private final RetentionPolicy policy;
    private final Consumer<String> say;
    private final Thread thread;
    private volatile boolean stopped;

    public RetentionJob(Repository repo, RetentionPolicy policy, Duration every, Consumer<String> say) {
        this.repo = repo;
        this.policy = policy;
        this.say = say;
        this.thread = new Thread(() -> loop(every), "capture-retention");
        thread.setDaemon(true);
    }

    public RetentionJob start() {
        thread.start();
        return this;
    }

    /** One round: forget by the policy, then prune. Returns what it did, in words. */
    public String runOnce() {
        ForgetPlan plan = new Forget(repo).run(policy);
        Prune.Result pruned = new Prune(repo).run(true);
        return "retention: forgot " + plan.forgottenSnapshots().size() + " snapshot(s) and " + plan.forgottenSegments().size()
                + " segment(s); pruned " + pruned.objectsDeleted() + " object(s), merged " + pruned.segmentsDeleted()
                + " segment(s) into " + pruned.mergesWritten()
                + (pruned.plan().objectsSkipped() == null ? "" : " (" + pruned.plan().objectsSkipped() + ")");
    }

    private void loop(Duration every) {
        long wait = Math.min(every.toMillis(), 60_000);
        while (!stopped) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) {
                return;
            }
            try {
                say.accept(runOnce());
            } catch (dev.rewind.RewindException e) {
                // LOCKED: a reader, or a forget or prune run by hand, is in the way; nothing was deleted
                say.accept("retention " + (e.exitCode() == dev.rewind.ExitCode.LOCKED ? "put off" : "failed") + ": "
                        + e.getMessage() + " (trying again in " + every.toMinutes() + " min)");
            } catch (RuntimeException e) {
                say.accept("retention failed: " + e.getMessage() + " (trying again in " + every.toMinutes() + " min)");
            }
            wait = every.toMillis();
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
