package dev.rewind.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code rewind capture} in a separate JVM, as an operator runs it: same class path as the tests,
 * its stdout and stderr in files (kept for failure messages), killed with SIGKILL
 * ({@link Process#destroyForcibly()}) or stopped with SIGTERM ({@link Process#destroy()}).
 */
final class CaptureProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;
    private final String label;

    private CaptureProcess(Process process, Path out, Path err, String label) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.label = label;
    }

    /** Starts {@code rewind capture --uri URI --repo REPO ARGS...}, logging into {@code logs/<label>.out|err}. */
    static CaptureProcess start(Path logs, String label, String uri, String repo, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("capture", "--uri", uri, "--repo", repo));
        all.addAll(List.of(args));
        return command(logs, label, java.util.Map.of(), all.toArray(String[]::new));
    }

    /** Starts {@code rewind ARGS...} with these environment variables added, as a service manager would. */
    static CaptureProcess command(Path logs, String label, java.util.Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(logs);
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.rewind.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = logs.resolve(label + ".out");
        Path err = logs.resolve(label + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("REWIND_"));
        pb.environment().putAll(env);
        return new CaptureProcess(pb.start(), out, err, label);
    }

    /** What the process wrote on standard output. */
    String stdout() {
        return read(out);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stderr() {
        return read(err);
    }

    /**
     * Waits until stderr contains {@code text}; false if the process exits first or the time runs out.
     */
    boolean awaitStderr(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (stderr().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return stderr().contains(text);
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM (capture seals its open segment and releases the lock), and waits; the exit code, or -1 on timeout. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    /** Waits for the process to end by itself; the exit code, or -1 on timeout. */
    int await(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** The process's thread dump (jstack), for failure messages about a process that does not stop. */
    String threadDump() {
        try {
            Process j = new ProcessBuilder(System.getProperty("java.home") + "/bin/jstack", String.valueOf(process.pid()))
                    .redirectErrorStream(true).start();
            String dump = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            j.waitFor(10, TimeUnit.SECONDS);
            return "=== " + label + " threads\n" + dump;
        } catch (IOException | InterruptedException e) {
            return "=== no thread dump: " + e;
        }
    }

    /** Both output files, for failure messages. */
    String logs() {
        return "=== " + label + " (pid " + process.pid() + ") stdout\n" + read(out) + "=== " + label + " stderr\n" + read(err);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
