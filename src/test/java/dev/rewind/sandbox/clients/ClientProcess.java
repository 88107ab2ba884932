package dev.rewind.sandbox.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real MongoDB client (pymongo or mongoengine under Debian's Python, or npm's mongosh) run as a
 * subprocess on a script the test writes. The test and the script talk in lines: the script prints
 * a line when it reaches a point (say, a transaction staged but not committed), and waits for the
 * test's answer on standard input (Python) or in a control collection (mongosh). Every wait has a
 * generous bound so that a hung client fails the test instead of hanging the build; no test asserts
 * how long anything took.
 */
final class ClientProcess implements AutoCloseable {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final long WAIT_SECONDS = 120;
    private static final String EXITED = "\u0000exited";

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private ClientProcess(String name, List<String> command) throws IOException {
        this.name = name;
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PYTHONUNBUFFERED", "1");
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        this.process = pb.start();
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Skips the test unless Debian's Python can import {@code module} (from the Debian package {@code apt}). */
    static void assumePython(String module, String apt) {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: install Debian's " + apt
                + " (apt-get install " + apt + "; .ci/run does it) to run this real-client test");
        int rc;
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import " + module).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            rc = p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException | InterruptedException e) {
            rc = -1;
        }
        assumeTrue(rc == 0, "Python module '" + module + "' is not installed for " + PYTHON + ": apt-get install " + apt
                + " (.ci/run does it) to run this real-client test");
    }

    /** mongosh on the PATH or where {@code npm install -g mongosh} puts it; skips the test when there is none. */
    static Path assumeMongosh() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "mongosh"));
            }
        }
        candidates.add(Path.of("/usr/bin/mongosh"));
        candidates.add(Path.of("/usr/local/bin/mongosh"));
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        assumeTrue(false, "mongosh is not installed: npm install -g mongosh (.ci/run does it) to run this real-client test");
        return null;
    }

    /** Runs {@code script} with Debian's Python; the script gets {@code args} in sys.argv[1:]. */
    static ClientProcess python(Path dir, String script, String... args) throws IOException {
        Path file = Files.createTempFile(dir, "client", ".py");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-u", file.toString()));
        cmd.addAll(List.of(args));
        return new ClientProcess("python", cmd);
    }

    /** Runs {@code script} in mongosh connected to {@code uri}. */
    static ClientProcess mongosh(Path mongosh, Path dir, String uri, String script) throws IOException {
        Path file = Files.createTempFile(dir, "client", ".js");
        Files.writeString(file, script);
        return new ClientProcess("mongosh", List.of(mongosh.toString(), "--quiet", "--norc", uri, file.toString()));
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output unreadable: " + e + ")");
        } finally {
            lines.add(EXITED);
        }
    }

    /** Waits for the client to print a line starting with {@code prefix}; returns the rest of it. */
    String await(String prefix) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail(name + " printed no line starting with '" + prefix + "' within " + WAIT_SECONDS + " s:\n" + output());
            }
            if (line.equals(EXITED)) {
                lines.add(EXITED);
                fail(name + " ended before printing a line starting with '" + prefix + "':\n" + output());
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
    }

    /** Sends one line to the client's standard input. */
    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for the client to end, fails unless it ended well, and returns everything it printed. */
    String finish() throws InterruptedException, IOException {
        stdin.close();
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(name + " did not end within " + WAIT_SECONDS + " s:\n" + output());
        }
        // the reader thread sees the end of output after the exit
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!lines.contains(EXITED) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(process.exitValue()).as(name + " exit code; its output:\n" + output()).isZero();
        return output();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
