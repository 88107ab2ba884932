package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code rewind bench undo --synthetic} stages its accident straight into a repository and measures
 * undo, diff and timeline over it, each in a JVM of its own. Its figures are measured by running it,
 * never asserted; this checks that what it measures is the whole accident (here with a unique
 * index, so undo also asks who holds each email: nobody, so every document is restored).
 */
class BenchUndoCommandTest {
    @Test
    void aSyntheticAccidentIsUndoneDiffedAndCountedWhole() {
        CliRun.Result r = CliRun.run("bench", "undo", "--synthetic", "--docs", "3000", "--deletes", "2000",
                "--undo-heap", "256m", "--memory-docs", "500", "--unique-email");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("a unique index on email")
                .contains("2,000 delete events in the log, 1,000 documents live")
                .contains("{\"restored\": 2000}, --memory-docs 500: 4 pass(es)")
                .containsPattern("diff +:.*\"touched\": 2000")
                .containsPattern("timeline:.*\"events\": 2000")
                .containsPattern("restore --at:.*\"passes\": 4, \"documents\": 1000")
                .contains("apply   : not run after a synthetic accident");
    }

    @Test
    void aDropIsUndoneBesideTheSignUpsAfterIt() {
        CliRun.Result r = CliRun.run("bench", "undo", "--drop", "--docs", "2000", "--undo-heap", "256m", "--launcher-options");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("each command in its own JVM: the launcher's options (jvm.options), then -Xmx256m")
                .doesNotContain("no jvm.options found")
                .contains("the collection dropped, then 100 sign-ups")
                .containsPattern("dry run :.*\\{\"restored\": 2000}")
                .containsPattern("diff +:.*\"touched\": 2000")
                .containsPattern("restore --at:.*\"documents\": 2000")
                .containsPattern("apply   :.*\\{\"restored\": 2000}")
                .contains("documents now: 2,100 of 2,000 (+ 100 sign-ups after the drop)");
        CliRun.Result both = CliRun.run("bench", "undo", "--drop", "--synthetic");
        assertThat(both.exitCode()).isEqualTo(2);
    }

    @Test
    void moreDeletesThanDocumentsIsAUsageError() {
        CliRun.Result r = CliRun.run("bench", "undo", "--synthetic", "--docs", "10", "--deletes", "11");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--deletes between 1 and --docs");
    }
}
