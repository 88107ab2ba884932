package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher's JVM options (jvm.options, given to java as an argument file by ./rewind). */
class JvmOptionsTest {
    private static final Path FILE = Path.of("jvm.options");

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void everyOptionIsOneThisJavaAcceptsAndTakesEffect() throws Exception {
        assertThat(FILE).isRegularFile();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String version = run(List.of(java, "@" + FILE.toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                "dev.rewind.cli.Main", "--version"));
        assertThat(version).contains("rewind");
        // a later option wins, as REWIND_JAVA_OPTS does after the file in ./rewind
        String flags = run(List.of(java, "@" + FILE.toAbsolutePath(), "-XX:MaxNewSize=32m", "-XX:+PrintFlagsFinal", "-version"));
        assertThat(flags).containsPattern("UseSerialGC\\s+= true").containsPattern("Tier4InvocationThreshold\\s+= 50000")
                .containsPattern("MaxNewSize\\s+= 33554432");
    }

    @Test
    void theLauncherPassesTheFileThenTheUsersOptions() throws Exception {
        String launcher = Files.readString(Path.of("rewind"));
        assertThat(launcher).contains("exec \"$java\" \"@$here/jvm.options\" ${cds[@]+\"${cds[@]}\"} ${server[@]+\"${server[@]}\"}"
                + " ${REWIND_JAVA_OPTS:-} -jar \"$jar\" \"$@\"");
    }

    /** The sandbox and a benchmark's host (servers that keep their data in the heap) get a 512 MB young generation and half the memory. */
    @Test
    void theSandboxAndTheBenchmarksGetAServersYoungGeneration() throws Exception {
        String launcher = Files.readString(Path.of("rewind"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("sandbox\\|bench\\) server=\\(([^)]*)\\)").matcher(launcher);
        assertThat(m.find()).as("the launcher's case for sandbox and bench").isTrue();
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + FILE.toAbsolutePath()));
        command.addAll(List.of(m.group(1).trim().split("\\s+")));
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        assertThat(run(command)).containsPattern("MaxNewSize\\s+= 536870912").containsPattern("UseSerialGC\\s+= true")
                .containsPattern("MaxRAMPercentage\\s+= 50");
    }
}
