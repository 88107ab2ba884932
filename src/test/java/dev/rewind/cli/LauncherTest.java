package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, {@code ./rewind}, run as a user runs it, beside a jar of this build (made here, so
 * no Maven runs): it makes the class archive once per jar, then every command starts from it
 * (Java's dynamic class data sharing, JEP 350); a jar newer than the archive gets a new one; the
 * user's {@code REWIND_JAVA_OPTS} still come last.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    @Test
    void makesTheClassArchiveOnceAndStartsFromIt() throws Exception {
        Path home = tmp.resolve("rewind-home");
        Files.createDirectories(home.resolve("target"));
        Files.copy(Path.of("rewind"), home.resolve("rewind"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("jvm.options"), home.resolve("jvm.options"));
        Path jar = home.resolve("target/rewind.jar");
        writeJar(jar);

        Result first = launch(home, Map.of(), "--version");
        assertThat(first.out()).startsWith("rewind dev (reads repository formats 1 to 2; init makes 2)");
        assertThat(first.err()).contains("rewind: preparing the class archive (once per build)...");
        Path jsa = home.resolve("target/rewind.jsa");
        assertThat(jsa).isRegularFile();

        Result second = launch(home, Map.of("REWIND_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(second.err()).doesNotContain("preparing the class archive");
        assertThat(second.out()).as("the user's option reaches java, and Rewind's classes come from the archive")
                .contains("dev.rewind.cli.Main source: shared objects file (top)");

        // another jar (a rebuild; its time may even lie in the past) is never run with the old archive: a new one is made
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Result rebuilt = launch(home, Map.of(), "--version");
        assertThat(rebuilt.err()).contains("preparing the class archive");
        Result after = launch(home, Map.of("REWIND_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(after.err()).doesNotContain("preparing the class archive");
        assertThat(after.out()).contains("dev.rewind.cli.Main source: shared objects file (top)");
        // the same jar in another place: the archive names the jar's path, so it is made again there
        Path moved = tmp.resolve("moved");
        Files.move(home, moved);
        Result elsewhere = launch(moved, Map.of("REWIND_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(elsewhere.err()).contains("preparing the class archive");
        assertThat(elsewhere.out()).contains("dev.rewind.cli.Main source: shared objects file (top)");
        home = moved;
        try (Stream<Path> left = Files.list(home.resolve("target"))) {
            assertThat(left).as("no temporary archive left behind").extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("rewind.jar", "rewind.jsa", "rewind.jsa.for");
        }
    }

    private record Result(String out, String err) { }

    private static Result launch(Path home, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("rewind").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("REWIND_JAVA_OPTS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Result r = new Result(Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        assertThat(p.exitValue()).as(r.toString()).isZero();
        return r;
    }

    /** A runnable jar of this build's classes, its dependencies named by the manifest's Class-Path. */
    private static void writeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.rewind.cli.Main");
        List<String> deps = new ArrayList<>();
        Path classes = null;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (p.endsWith(Path.of("target", "classes"))) {
                classes = p;
            } else if (p.toString().endsWith(".jar")) {
                deps.add(p.toUri().toString());
            }
        }
        assertThat(classes).as("target/classes on the test class path").isNotNull();
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", deps));
        Path root = classes;
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(root.relativize(p).toString().replace(File.separatorChar, '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        assertThat(new String(Files.readAllBytes(jar), 0, 2, StandardCharsets.ISO_8859_1)).isEqualTo("PK");
    }
}
