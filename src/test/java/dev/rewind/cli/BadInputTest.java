package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.ExitCode;
import dev.rewind.SampleData;
import dev.rewind.repo.StoredFile;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every documented error, through the CLI: a one-line message, a hint, the documented exit code. */
class BadInputTest {
    static Sandbox sandbox;
    static MongoClient client;

    @TempDir
    Path tmp;
    String repo;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
        SampleData.load(client.getDatabase("famigo"), 200, 5);
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @BeforeEach
    void makeRepo() {
        repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
    }

    static void assertError(CliRun.Result r, ExitCode code, String message) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(code.code());
        assertThat(r.err()).as(r.toString()).contains("error: ").contains(message).contains("hint: ");
        assertThat(r.err()).as("no stack trace without --verbose").doesNotContain("\tat ");
    }

    @Test
    void aSandboxOnAPortInUseSaysSoAndExits() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertError(CliRun.run("sandbox", "--port", String.valueOf(taken.getLocalPort())), ExitCode.IO,
                    "address already in use");
        }
    }

    @Test
    void anUnknownSandboxReleaseIsAUsageError() {
        assertError(CliRun.run("sandbox", "--mongodb", "5.0"), ExitCode.USAGE, "--mongodb must be 6.0, 7.0 or 8.0");
        assertError(CliRun.run("sandbox", "--ttl-monitor-sleep", "0"), ExitCode.USAGE, "--ttl-monitor-sleep must be at least 1");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun.Result r = CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri(), "--frobnicate");
        assertError(r, ExitCode.USAGE, "Unknown option: '--frobnicate'");
        assertThat(r.err()).contains("rewind snapshot --help");
    }

    @Test
    void aMalformedUriIsAUsageError() {
        assertError(CliRun.run("snapshot", "--repo", repo, "--uri", "postgres://nope"),
                ExitCode.USAGE, "not a valid MongoDB connection string");
    }

    @Test
    void anUnreachableServerIsReportedWithoutThePassword() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun.Result r = CliRun.run("snapshot", "--repo", repo,
                "--uri", "mongodb://ann:s3cret@127.0.0.1:" + port + "/?serverSelectionTimeoutMS=1000");
        assertError(r, ExitCode.UNREACHABLE, "cannot reach the MongoDB server at mongodb://ann:***@127.0.0.1:" + port);
        assertThat(r.err() + r.out()).doesNotContain("s3cret");
        CliRun.Result verbose = CliRun.run("snapshot", "--repo", repo, "--verbose",
                "--uri", "mongodb://ann:s3cret@127.0.0.1:" + port + "/?serverSelectionTimeoutMS=1000");
        assertThat(verbose.err()).contains("\tat ").doesNotContain("s3cret");
    }

    @Test
    void aMissingRepositoryIsNamed() {
        assertError(CliRun.run("snapshots", "--repo", tmp.resolve("nowhere").toString()),
                ExitCode.NO_REPOSITORY, "no repository at");
    }

    @Test
    void aFolderThatIsNotARepositoryIsRefused() throws IOException {
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("config"), "[core]\nrepositoryformatversion = 0\n");
        assertError(CliRun.run("snapshots", "--repo", foreign.toString()), ExitCode.NO_REPOSITORY, "is not a Rewind repository");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertError(CliRun.run("verify", "--repo", empty.toString()), ExitCode.NO_REPOSITORY, "no config file");
    }

    @Test
    void aRepositoryOfANewerFormatIsRefused() throws IOException {
        Path newer = Files.createDirectories(tmp.resolve("newer"));
        byte[] config = StoredFile.encode(("{\"format\": \"rewind-repository\", \"version\": 3, \"id\": \"x\"}")
                .getBytes(StandardCharsets.UTF_8), false);
        Files.write(newer.resolve("config"), config);
        assertError(CliRun.run("snapshots", "--repo", newer.toString()), ExitCode.NO_REPOSITORY, "has format version 3");
    }

    @Test
    void initRefusesAFolderThatHoldsSomethingElse() throws IOException {
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("notes.txt"), "mine");
        assertError(CliRun.run("init", "--repo", full.toString()), ExitCode.REFUSED, "is not empty");
        assertThat(Files.readString(full.resolve("notes.txt"))).isEqualTo("mine");
        assertError(CliRun.run("init", "--repo", repo), ExitCode.REFUSED, "a repository already exists");
    }

    @Test
    void anUnknownNamespaceListsWhatExists() {
        CliRun.Result r = CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri(), "--ns", "famgio.*");
        assertError(r, ExitCode.NOT_FOUND, "no namespace matches [famgio.*]");
        assertThat(r.err()).contains("famigo.family");
        assertError(CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri(), "--ns", "nodot"),
                ExitCode.USAGE, "not a namespace pattern");
    }

    @Test
    void restoreErrors() {
        assertError(CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "x"),
                ExitCode.NOT_FOUND, "has no snapshots");
        assertThat(CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri(), "--ns", "famigo.*").exitCode()).isZero();
        assertError(CliRun.run("restore", "--repo", repo, "--snapshot", "zzzz", "--uri", sandbox.uri(), "--to-db", "x"),
                ExitCode.NOT_FOUND, "no snapshot 'zzzz'");
        assertError(CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--ns-from", "other.*", "--ns-to", "x.*"),
                ExitCode.NOT_FOUND, "no namespace of snapshot");
        assertError(CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--ns-from", "famigo.*"),
                ExitCode.USAGE, "--ns-from and --ns-to go together");
        assertError(CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri()),
                ExitCode.REFUSED, "would write into the source database in place");
        assertThat(CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "copy1").exitCode()).isZero();
        long before = client.getDatabase("copy1").getCollection("family").countDocuments();
        assertError(CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "copy1"),
                ExitCode.TARGET_NOT_EMPTY, "already holds data: copy1.family");
        assertThat(client.getDatabase("copy1").getCollection("family").countDocuments()).isEqualTo(before);
        CliRun.Result dropped = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--to-db", "copy1", "--drop");
        assertThat(dropped.exitCode()).as(dropped.toString()).isZero();
        assertThat(client.getDatabase("copy1").getCollection("family").countDocuments()).isEqualTo(before);
    }

    @Test
    void aBadSamplePercentageIsAUsageError() {
        assertError(CliRun.run("verify", "--repo", repo, "--read-data-subset", "150%"), ExitCode.USAGE, "not a percentage");
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"sandbox", "init", "snapshot", "snapshots", "restore", "verify", "unlock"}) {
            CliRun.Result r = CliRun.run(cmd, "--help");
            assertThat(r.exitCode()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: rewind " + cmd);
        }
    }
}
