package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionCommandsTest {
    @TempDir
    Path tmp;

    String repo() {
        String dir = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", dir).exitCode()).isZero();
        return dir;
    }

    @Test
    void captureRefusesARulesFileWithAnUnknownKeyBeforeConnecting() throws Exception {
        String repo = repo();
        Path rules = tmp.resolve("rules.json");
        Files.writeString(rules, "{\"rules\": [{\"name\": \"x\", \"ops\": [\"delete\"], \"threshold\": 5}]}");

        CliRun.Result r = CliRun.run("capture", "--repo", repo, "--uri", "mongodb://127.0.0.1:1/", "--rules", rules.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("unknown key 'threshold'", "hint:", "docs/detect.md");
    }

    @Test
    void captureRefusesAMissingRulesFileAndABadWebhook() {
        String repo = repo();
        CliRun.Result missing = CliRun.run("capture", "--repo", repo, "--uri", "mongodb://127.0.0.1:1/",
                "--rules", tmp.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(8);
        CliRun.Result webhook = CliRun.run("capture", "--repo", repo, "--uri", "mongodb://127.0.0.1:1/",
                "--alert-webhook", "ftp://example/hook");
        assertThat(webhook.exitCode()).isEqualTo(2);
        assertThat(webhook.err()).contains("--alert-webhook");
    }

    @Test
    void incidentsSaysSoWhenThereAreNone() {
        String repo = repo();
        CliRun.Result text = CliRun.run("incidents", "--repo", repo);
        assertThat(text.out()).startsWith("no incidents in");
        CliRun.Result json = CliRun.run("incidents", "--repo", repo, "--json");
        assertThat(json.out().trim()).isEqualTo("{\"incidents\": [], \"rewindsOwnWrites\": []}");
    }

    @Test
    void undoOfAnUnknownIncidentIsNotFound() {
        String repo = repo();
        CliRun.Result r = CliRun.run("undo", "--repo", repo, "--uri", "mongodb://127.0.0.1:1/", "--incident", "3");
        assertThat(r.exitCode()).isEqualTo(8);
        assertThat(r.err()).contains("no incident 3", "the repository has no incidents");
    }
}
