package dev.rewind.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench compare} runs Rewind's processes with the launcher's class cache only when the
 * launcher made it for that jar and for the java the processes run with (the {@code .for} file
 * beside it, as {@code ./rewind} writes it: the jar's path, time in seconds and size, then java's
 * real path and time); an AOT cache wins over a class archive, and a cache made for another java
 * or another build is not used.
 */
class LauncherCacheTest {
    @TempDir
    Path target;

    @Test
    void usesOnlyTheCacheMadeForThisJarAndThisJava() throws Exception {
        Path jar = Files.write(target.resolve("rewind.jar"), new byte[] {'P', 'K', 3, 4});
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        String stamp = jar.toAbsolutePath() + " 1700000000 4 " + java + " " + Files.getLastModifiedTime(java).toMillis() / 1000;
        assertThat(CompareBench.classArchive(target)).as("no cache yet").isEmpty();

        Files.write(target.resolve("rewind.jsa"), new byte[] {1});
        Files.writeString(target.resolve("rewind.jsa.for"), stamp + "\n");
        assertThat(CompareBench.classArchive(target)).containsExactly(
                "-XX:SharedArchiveFile=" + target.resolve("rewind.jsa"), "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

        Files.write(target.resolve("rewind.aot"), new byte[] {1});
        Files.writeString(target.resolve("rewind.aot.for"), stamp + "\n");
        assertThat(CompareBench.classArchive(target)).containsExactly(
                "-XX:AOTCache=" + target.resolve("rewind.aot"), "-Xlog:aot=off", "-Xlog:cds=off");

        Files.writeString(target.resolve("rewind.aot.for"), jar.toAbsolutePath() + " 1700000000 4 /opt/other-jdk/bin/java 1\n");
        assertThat(CompareBench.classArchive(target)).as("the AOT cache of another java is passed over")
                .first().isEqualTo("-XX:SharedArchiveFile=" + target.resolve("rewind.jsa"));

        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_060_000L));
        assertThat(CompareBench.classArchive(target)).as("a rebuilt jar has no cache").isEmpty();
    }
}
