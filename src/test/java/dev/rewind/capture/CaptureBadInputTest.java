package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.ExitCode;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture, status and point-in-time restore through the CLI when the input is wrong: each error is
 * one line naming what is wrong, a hint, and the documented exit code. A capture runs in its own
 * process for the whole class, so that the repository is held and has a restorable window.
 */
class CaptureBadInputTest {
    static Sandbox sandbox;
    static MongoClient client;
    static CaptureProcess capture;
    static String repo;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startCapture() throws Exception {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
        client.getDatabase("bad").getCollection("docs").insertOne(new Document("_id", 1));
        repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        capture = CaptureProcess.start(tmp.resolve("logs"), "capture", sandbox.uri(), repo,
                "--seal-interval", "200ms", "--idle-interval", "1s");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (status().getList("windows", Document.class).isEmpty()) {
            assertThat(System.nanoTime()).as(() -> "no window yet\n" + capture.logs()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopCapture() throws Exception {
        if (capture != null) {
            capture.stop(Duration.ofSeconds(20));
            capture.close();
        }
        client.close();
        sandbox.close();
    }

    static Document status() {
        CliRun.Result r = CliRun.run("status", "--repo", repo, "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Document.parse(r.out());
    }

    static void assertError(CliRun.Result r, ExitCode code, String... message) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(code.code());
        assertThat(r.err()).as(r.toString()).contains("error: ").contains(message).contains("hint: ");
        assertThat(r.err()).as("no stack trace without --verbose").doesNotContain("\tat ");
    }

    CliRun.Result restoreAt(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("restore", "--repo", repo, "--uri", sandbox.uri(),
                "--to-db", "restored_" + System.nanoTime()));
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }

    @Test
    void aTimeThatDoesNotParseIsAUsageErrorListingTheForms() {
        CliRun.Result r = restoreAt("--at", "last tuesday");
        assertError(r, ExitCode.USAGE, "not a time: 'last tuesday'");
        assertThat(r.err()).contains("'2026-11-17 14:01:30'").contains("--tz").contains("-15m").contains("1763387590,12");
    }

    @Test
    void aTimeOutsideEveryWindowIsNotFoundAndTheHintPrintsTheWindows() {
        CliRun.Result r = restoreAt("--at", "2001-01-01 00:00:00");
        assertError(r, ExitCode.NOT_FOUND, "no restorable state at 2001-01-01 00:00:00 UTC");
        String window = status().getList("windows", Document.class).get(0).getString("from");
        assertThat(r.err()).contains("restorable windows (UTC):").contains("(" + window + ")");
    }

    @Test
    void anUnknownTimeZoneIsAUsageError() {
        assertError(restoreAt("--at", "2026-11-17 14:01:30", "--tz", "Mars/Olympus"), ExitCode.USAGE,
                "unknown time zone 'Mars/Olympus'");
    }

    @Test
    void atAndSnapshotTogetherAreAUsageError() {
        assertError(restoreAt("--at", "-1s", "--snapshot", "latest"), ExitCode.USAGE, "use either --at or --snapshot");
    }

    @Test
    void aSecondCaptureOnAHeldRepositoryIsRefusedNamingTheHolder() {
        CliRun.Result r = CliRun.run("capture", "--uri", sandbox.uri(), "--repo", repo);
        assertError(r, ExitCode.LOCKED, "is locked by 'rewind capture' (pid " + capture.pid() + " on ");
        assertThat(capture.isAlive()).isTrue();
    }

    @Test
    void aSealIntervalThatIsNoDurationIsAUsageError() {
        assertError(CliRun.run("capture", "--uri", sandbox.uri(), "--repo", repo, "--seal-interval", "2x"),
                ExitCode.USAGE, "not a duration: '2x'");
    }

    @Test
    void statusOnARepositoryWhereCaptureNeverRanSaysSo() throws Exception {
        String fresh = Files.createTempDirectory(tmp, "fresh").resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", fresh).exitCode()).isZero();
        CliRun.Result text = CliRun.run("status", "--repo", fresh);
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("capture      never ran here").contains("no point-in-time window yet");
        CliRun.Result json = CliRun.run("status", "--repo", fresh, "--json");
        assertThat(json.exitCode()).isZero();
        Document d = Document.parse(json.out());
        assertThat(d.getString("capture")).isEqualTo("never ran");
        assertThat(d.getList("windows", Document.class)).isEmpty();
        assertThat(d.getList("gaps", Document.class)).isEmpty();
    }

    @Test
    void statusJsonWhileCaptureRunsShowsModeLagAndOneWindow() {
        Document d = status();
        assertThat(d.getString("capture")).as(d.toJson()).isEqualTo("running");
        assertThat(d.getString("mode")).as("one deployment-wide stream on a replica set").isEqualTo("deployment");
        assertThat(d.getList("lacks", String.class)).as("MongoDB 7.0 lacks nothing capture asks for").isEmpty();
        assertThat(d.getList("imageCollections", String.class)).isEmpty();
        assertThat(((Number) d.get("lagSeconds")).longValue()).as(d.toJson()).isBetween(0L, 5L);
        assertThat(((Number) d.get("sealMillis")).longValue()).isEqualTo(200);
        assertThat(d.getList("windows", Document.class)).hasSize(1);
        assertThat(d.getList("gaps", Document.class)).isEmpty();
        assertThat(d.getInteger("snapshots")).isEqualTo(1);
    }
}
