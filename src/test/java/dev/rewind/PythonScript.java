package dev.rewind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A script run to its end with Debian's Python (pymongo, mongoengine), as a user's program would
 * talk to the server: the tests that tell a story from a real client write it, run it, and check its
 * exit code.
 */
public final class PythonScript {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private PythonScript() { }

    /** Whether Debian's Python is there and imports {@code modules} (comma-separated). */
    public static boolean imports(Path dir, String modules) throws Exception {
        return Files.isExecutable(PYTHON) && run(dir, "import " + modules, "") == 0;
    }

    /**
     * Runs {@code script} with {@code uri} as {@code sys.argv[1]}; returns its exit code, or -1 if it
     * did not end within 120 s. Its output goes to a log in {@code dir}, printed when it fails.
     */
    public static int run(Path dir, String script, String uri) throws Exception {
        Path file = Files.createTempFile(dir, "client", ".py");
        Files.writeString(file, script);
        Path log = dir.resolve(file.getFileName() + ".log");
        Process p = new ProcessBuilder(PYTHON.toString(), file.toString(), uri).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0 && !uri.isEmpty()) {
            System.err.println(Files.readString(log));
        }
        return p.exitValue();
    }
}
