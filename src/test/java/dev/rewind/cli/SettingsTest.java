package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where options come from when the command line leaves them out: REWIND_REPO, REWIND_URI, then the config file. */
class SettingsTest {
    @TempDir
    Path tmp;

    @Test
    void theCommandLineWinsThenTheEnvironmentThenTheConfigFile() throws Exception {
        Path file = tmp.resolve("rewind.json");
        Files.writeString(file, "{\"repo\": \"/from/file\", \"uri\": \"mongodb://file/\", \"ns\": \"famigo.*\","
                + " \"capture\": {\"sealInterval\": \"1s\"}}");
        Settings fileOnly = Settings.load(Map.of("REWIND_CONFIG", file.toString()), null);
        Settings withEnv = Settings.load(Map.of("REWIND_CONFIG", file.toString(), "REWIND_REPO", "/from/env",
                "REWIND_URI", "mongodb://env/"), null);

        assertThat(fileOnly.repo(null)).isEqualTo("/from/file");
        assertThat(fileOnly.uri(null)).isEqualTo("mongodb://file/");
        assertThat(fileOnly.ns(List.of())).containsExactly("famigo.*");
        assertThat(fileOnly.option(null, "capture", "sealInterval")).isEqualTo("1s");
        assertThat(withEnv.repo(null)).isEqualTo("/from/env");
        assertThat(withEnv.uri(null)).isEqualTo("mongodb://env/");
        assertThat(withEnv.repo("/given")).isEqualTo("/given");
        assertThat(withEnv.option("5s", "capture", "sealInterval")).isEqualTo("5s");
        assertThat(Settings.load(Map.of("REWIND_CONFIG", "/nowhere.json"), file).repo(null))
                .as("--config wins over REWIND_CONFIG").isEqualTo("/from/file");
    }

    @Test
    void noRepositoryAnywhereIsAUsageErrorThatSaysWhereOneCanBeGiven() {
        assertThatThrownBy(() -> Settings.load(Map.of(), null).repo(null)).isInstanceOfSatisfying(RewindException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.hint()).contains("--repo DIR", "REWIND_REPO", "--config FILE", "REWIND_CONFIG");
        });
        assertThatThrownBy(() -> Settings.load(Map.of(), null).uri(null)).hasMessageContaining("no connection string given");
    }

    @Test
    void aConfigFileWithAnUnknownKeyOrNotJsonIsAUsageErrorAndAMissingOneIsNotFound() throws Exception {
        Path typo = tmp.resolve("typo.json");
        Files.writeString(typo, "{\"repository\": \"/x\"}");
        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "{repo: ");
        Path nested = tmp.resolve("nested.json");
        Files.writeString(nested, "{\"capture\": {\"sealEvery\": \"1s\"}}");

        assertThatThrownBy(() -> Settings.load(Map.of(), typo)).hasMessageContaining("unknown key 'repository'")
                .extracting(e -> ((RewindException) e).exitCode()).isEqualTo(ExitCode.USAGE);
        assertThatThrownBy(() -> Settings.load(Map.of(), broken)).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> Settings.load(Map.of(), nested)).hasMessageContaining("unknown key 'capture.sealEvery'");
        assertThatThrownBy(() -> Settings.load(Map.of("REWIND_CONFIG", tmp.resolve("none.json").toString()), null))
                .extracting(e -> ((RewindException) e).exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void aMetricsAddressThatIsNotHostAndPortIsAUsageError() throws Exception {
        String repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        CliRun.Result r = CliRun.run("capture", "--repo", repo, "--uri", "mongodb://127.0.0.1:1/", "--metrics", "9464");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("error: --metrics is not HOST:PORT: '9464'", "hint: for example --metrics 127.0.0.1:9464");
    }

    @Test
    void aCommandWithoutItsRepositoryFailsWithAHintThroughTheCli() {
        assumeTrue(System.getenv("REWIND_REPO") == null && System.getenv("REWIND_CONFIG") == null,
                "REWIND_REPO or REWIND_CONFIG is set in this environment");
        CliRun.Result r = CliRun.run("status");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("error: no repository given", "hint: add --repo DIR, or set REWIND_REPO=DIR");
    }
}
