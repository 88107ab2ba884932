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
        java.util.regex.Matcher alert = java.util.regex.Pattern.compile("incident 1 opened \\(mass-delete\\): ([0-9,]+) deletes")
                .matcher(r.out());
        assertThat(alert.find()).isTrue();
        assertThat(r.out()).as("the narration agrees with the alert")
                .contains("the detector had counted " + alert.group(1) + " deletes when the rule tripped");
        assertThat(r.out()).as("no escape codes off a terminal").doesNotContain("\u001b[");
    }
}
