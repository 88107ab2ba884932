package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colours only where a person looks: a command run on a real terminal (a pseudo-terminal made by
 * util-linux's {@code script}) with its standard error sent to a file writes no escape codes there.
 */
class TerminalTest {
    @TempDir
    Path tmp;

    @Test
    void anErrorWrittenToAFileHasNoEscapeCodesWhileStandardOutputIsATerminal() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "util-linux's script is not installed");
        Path err = tmp.resolve("err.txt");
        String java = System.getProperty("java.home") + "/bin/java -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' dev.rewind.cli.Main status --repo '" + tmp.resolve("none") + "'";
        Process p = new ProcessBuilder(List.of(script.toString(), "-qec", java + " 2> '" + err + "'", "/dev/null"))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("tty.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(err);
        assertThat(text).as("the error reached the file").contains("error: ", "hint: ");
        assertThat(text).as("no escape codes in a file").doesNotContain("\u001b[");
    }
}
