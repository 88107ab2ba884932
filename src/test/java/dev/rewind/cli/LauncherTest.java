package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * no Maven runs): it makes the class cache once per jar and java, then every command starts from it
 * (on java 17 to 24 a class archive, Java's dynamic class data sharing, JEP 350; on java 25 and
 * newer an AOT cache, JEP 483 and 514); a jar newer than the cache gets a new one; the java is
 * {@code JAVA_HOME}'s when it is set; the user's {@code REWIND_JAVA_OPTS} still come last.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private static final String PREPARING = "rewind: preparing the class cache (once per build)...";
    private static final String FROM_CACHE = "dev.rewind.cli.Main source: shared objects file";

    @Test
    void makesTheClassCacheOnceAndStartsFromIt() throws Exception {
        Path home = home("rewind-home");
        Path jar = home.resolve("target/rewind.jar");
        Path thisJava = Path.of(System.getProperty("java.home"));
        String cache = cacheFor(Runtime.version().feature());
        Map<String, String> plain = Map.of("JAVA_HOME", thisJava.toString());
        Map<String, String> logged = Map.of("JAVA_HOME", thisJava.toString(), "REWIND_JAVA_OPTS", "-Xlog:class+load=info");

        Result first = launch(home, plain, "--version");
        assertThat(first.out()).startsWith("rewind dev (reads repository formats 1 to 2; init makes 2)");
        assertThat(first.err()).contains(PREPARING);
        assertThat(home.resolve("target").resolve(cache)).isRegularFile();

        Result second = launch(home, logged, "--version");
        assertThat(second.err()).doesNotContain(PREPARING);
        assertThat(second.out()).as("the user's option reaches java, and Rewind's classes come from the cache")
                .contains(FROM_CACHE);

        // another jar (a rebuild; its time may even lie in the past) is never run with the old cache: a new one is made
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Result rebuilt = launch(home, plain, "--version");
        assertThat(rebuilt.err()).contains(PREPARING);
        Result after = launch(home, logged, "--version");
        assertThat(after.err()).doesNotContain(PREPARING);
        assertThat(after.out()).contains(FROM_CACHE);
        // the same jar in another place: the cache names the jar's path, so it is made again there
        Path moved = tmp.resolve("moved");
        Files.move(home, moved);
        Result elsewhere = launch(moved, logged, "--version");
        assertThat(elsewhere.err()).contains(PREPARING);
        assertThat(elsewhere.out()).contains(FROM_CACHE);
        try (Stream<Path> left = Files.list(moved.resolve("target"))) {
            assertThat(left).as("no temporary cache left behind").extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("rewind.jar", cache, cache + ".for");
        }
    }

    /**
     * On java 25 or newer the cache is an AOT cache, {@code target/rewind.aot}, made by one training
     * run ({@code -XX:AOTCacheOutput}, JEP 514, https://openjdk.org/jeps/514) and given to every
     * command with {@code -XX:AOTCache}; each java keeps its own cache, so going back and forth
     * between two makes neither again. Needs a JDK 25 or newer beside this one (this machine's kind
     * has Temurin's under /usr/lib/jvm); without one the test is skipped, saying so.
     */
    @Test
    void onJava25AndNewerStartsFromAnAotCacheAndKeepsEachJavasCache() throws Exception {
        Path newer = newerJdk();
        assumeTrue(newer != null, "no JDK 25 or newer under /usr/lib/jvm or in java.home: the AOT cache is not tried");
        Path home = home("rewind-home");
        Map<String, String> java25 = Map.of("JAVA_HOME", newer.toString());
        Map<String, String> logged25 = Map.of("JAVA_HOME", newer.toString(), "REWIND_JAVA_OPTS", "-Xlog:class+load=info");

        Result first = launch(home, java25, "--version");
        assertThat(first.err()).contains(PREPARING);
        assertThat(home.resolve("target/rewind.aot")).isRegularFile();
        assertThat(Files.readString(home.resolve("target/rewind.aot.for"))).as("the cache names the java it was made with")
                .contains(newer.resolve("bin/java").toRealPath().toString());
        Result second = launch(home, logged25, "--version");
        assertThat(second.err()).doesNotContain(PREPARING);
        assertThat(second.out()).contains(FROM_CACHE).doesNotContain("(top)");

        // zstd-jni loads its native library: Java 22+ warns about it on every command unless the jar's
        // manifest allows native access (JEP 472, https://openjdk.org/jeps/472; pom.xml's manifestEntries)
        Result zstd = launch(home, java25, "bench", "snapshot", "--docs", "200", "--threads", "1");
        assertThat(zstd.out()).contains("200 family documents");
        assertThat(zstd.err()).doesNotContain("WARNING").doesNotContain("restricted method");

        Path thisJava = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() < 25) {
            // an older java gets a class archive of its own beside the AOT cache, which stays
            Result older = launch(home, Map.of("JAVA_HOME", thisJava.toString(), "REWIND_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
            assertThat(older.err()).contains(PREPARING);
            assertThat(older.out()).contains(FROM_CACHE + " (top)");
            Result back = launch(home, logged25, "--version");
            assertThat(back.err()).doesNotContain(PREPARING);
            assertThat(back.out()).contains(FROM_CACHE);
            try (Stream<Path> left = Files.list(home.resolve("target"))) {
                assertThat(left).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                        "rewind.jar", "rewind.aot", "rewind.aot.for", "rewind.jsa", "rewind.jsa.for");
            }
        }
    }

    @Test
    void aJavaHomeWithoutJavaIsRefusedWithAHint() throws Exception {
        Path home = home("rewind-home");
        assertThat(refused(home, tmp.resolve("no-jdk")))
                .contains("rewind: JAVA_HOME=" + tmp.resolve("no-jdk") + " has no bin/java (unset it to use java on the PATH)");
    }

    /** A java older than 17 (here Java 8's way of naming itself) is refused before anything is made, with what to do. */
    @Test
    void aJavaOlderThan17IsRefusedWithAHint() throws Exception {
        Path home = home("rewind-home");
        Path oldJdk = tmp.resolve("jdk8");
        Files.createDirectories(oldJdk.resolve("bin"));
        Path fakeJava = oldJdk.resolve("bin/java");
        Files.writeString(fakeJava, "#!/bin/sh\necho 'openjdk version \"1.8.0_392\"' >&2\nexit 0\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        assertThat(refused(home, oldJdk))
                .contains("rewind: " + fakeJava + " is Java 8; Rewind needs Java 17 or newer (set JAVA_HOME to one, or put one first on the PATH)");
    }

    /** What the launcher says when it refuses {@code --version} under {@code javaHome}: exit 1, and nothing made beside the jar. */
    private static String refused(Path home, Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("rewind").toString(), "--version");
        pb.environment().put("JAVA_HOME", javaHome.toString());
        Process p = pb.redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        try (Stream<Path> left = Files.list(home.resolve("target"))) {
            assertThat(left).as("nothing made").extracting(f -> f.getFileName().toString()).containsExactly("rewind.jar");
        }
        return out;
    }

    private static String cacheFor(int feature) {
        return feature >= 25 ? "rewind.aot" : "rewind.jsa";
    }

    /** This JVM when it is 25 or newer, else the newest JDK 25+ under /usr/lib/jvm (by its release file), else null. */
    private static Path newerJdk() throws IOException {
        if (Runtime.version().feature() >= 25) {
            return Path.of(System.getProperty("java.home"));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> all = Files.list(jvms)) {
            return all.filter(d -> Files.isExecutable(d.resolve("bin/java")) && feature(d) >= 25)
                    .max(java.util.Comparator.comparingInt(LauncherTest::feature)).orElse(null);
        }
    }

    private static int feature(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Runtime.Version.parse(line.substring("JAVA_VERSION=".length()).replace("\"", "")).feature();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a JDK we can read
        }
        return 0;
    }

    private Path home(String name) throws IOException {
        Path home = tmp.resolve(name);
        Files.createDirectories(home.resolve("target"));
        Files.copy(Path.of("rewind"), home.resolve("rewind"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("jvm.options"), home.resolve("jvm.options"));
        writeJar(home.resolve("target/rewind.jar"));
        return home;
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
        // the manifest entries the build gives the real jar (pom.xml, the shade plugin's manifestEntries)
        String pom = Files.readString(Path.of("pom.xml"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("<manifestEntries>(.*?)</manifestEntries>", java.util.regex.Pattern.DOTALL).matcher(pom);
        java.util.regex.Matcher entry = java.util.regex.Pattern.compile("<([A-Za-z-]+)>([^<]*)</\\1>").matcher(block.find() ? block.group(1) : "");
        while (entry.find()) {
            manifest.getMainAttributes().put(new Attributes.Name(entry.group(1)), entry.group(2).strip());
        }
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
