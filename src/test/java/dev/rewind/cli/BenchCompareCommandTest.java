package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rewind bench compare} without the peer binaries says so plainly instead of printing
 * ratios against nothing (issue 13: "the benchmark says clearly when they are absent"); its
 * figures themselves are measured by running it, never asserted in a test.
 */
class BenchCompareCommandTest {
    @TempDir
    Path tmp;

    @Test
    void withoutThePeersItSaysSoAndComparesNothing() {
        CliRun.Result r = CliRun.run("bench", "compare", "--peers", tmp.resolve("none").toString(), "--docs", "10",
                "--scale-base", "0", "--undo-docs", "0");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("THE PEER BINARIES ARE ABSENT: no mongodump and mongorestore at " + tmp.resolve("none"))
                .contains("give --peers DIR")
                .doesNotContain("mongodump --gzip", "x mongorestore");
    }

    @Test
    void badSizesAreUsageErrors() {
        CliRun.Result r = CliRun.run("bench", "compare", "--undo-docs", "100", "--undo-deletes", "500");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--undo-deletes between 1 and --undo-docs");
    }
}
