package dev.rewind.dump;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer tools, mongodump and mongorestore 100.8.0: real producers and consumers of dumps for the
 * tests, never a dependency of Rewind. Found at {@code -Drewind.peers=DIR}, else at
 * {@code shared/peers/mongo-tools-100.8.0} beside the project directory or any folder above it (CI
 * has them at {@code ../shared/peers}); a test that needs them is skipped, saying so, without them.
 */
final class Peers {
    static final String VERSION_DIR = "mongo-tools-100.8.0";

    private Peers() { }

    /** The folder holding mongodump and mongorestore, or null. */
    static Path dir() {
        String override = System.getProperty("rewind.peers");
        if (override != null) {
            return Path.of(override);
        }
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("peers").resolve(VERSION_DIR);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Skips the calling test unless both tools are there and run. */
    static void assumeAvailable() {
        Path d = dir();
        assumeTrue(d != null && Files.isExecutable(d.resolve("mongodump")) && Files.isExecutable(d.resolve("mongorestore")),
                "the peer tools mongodump and mongorestore 100.8.0 are not here (" + (System.getProperty("rewind.peers") != null
                        ? "not in -Drewind.peers=" + System.getProperty("rewind.peers") : "looked for shared/peers/" + VERSION_DIR
                        + " beside the project and above it; set -Drewind.peers=DIR to point at them") + ")");
    }

    /** Runs mongodump with these arguments; fails the test with its output if it fails. */
    static String mongodump(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, "mongodump", args);
    }

    static String mongorestore(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, "mongorestore", args);
    }

    private static String run(Path workDir, String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(dir().resolve(tool).toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, tool, ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(tool + " did not finish within 120 s: " + Files.readString(log));
        }
        String output = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new AssertionError(tool + " " + String.join(" ", args) + " failed (exit " + p.exitValue() + "):\n" + output);
        }
        return output;
    }
}
