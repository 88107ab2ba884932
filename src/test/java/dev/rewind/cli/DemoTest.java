package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void theDemoCatchesTheAccidentUndoesItAndSaysTheRecoveryIsComplete() {
        CliRun.Result r = CliRun.run("demo", "--families", "1500", "--repo", tmp.resolve("backups").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("ALERT CRITICAL Rewind incident 1 opened (mass-delete)")
                .contains("incident 1  CLOSED")
                .contains("<< burst")
                .contains("3 conflict: unique key")
                .contains("references after the undo: 3 still dangle")
                .contains("1,459 of the 1,462 deleted families are back")
                .contains("recovery complete.");
    }
}
