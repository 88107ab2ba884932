package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void theDemoRestoresEveryFamilyAndSaysSo() {
        CliRun.Result r = CliRun.run("demo", "--families", "1500", "--repo", tmp.resolve("backups").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Done: famigo_restored.family holds all 1,500 families.")
                .contains("no problems found")
                .contains("stored 0 B new in 0 new objects");
    }
}
