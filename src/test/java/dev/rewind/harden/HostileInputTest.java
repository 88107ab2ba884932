package dev.rewind.harden;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.ExitCode;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.StoredFile;
import dev.rewind.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, items 7 to 10, through the CLI: hostile names, files and options get their documented
 * exit code (2, 4, 6 or 8), a one-line error and a hint, never an internal error; nothing is written.
 */
class HostileInputTest {
    static Sandbox sandbox;
    static MongoClient client;
    @TempDir
    static Path tmp;
    static String repo;
    static String snapshotFile;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
        client.getDatabase("shop").getCollection("orders").insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
        repo = tmp.resolve("repo").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        assertThat(CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri()).exitCode()).isZero();
        try (var files = Files.list(Path.of(repo, "snapshots"))) {
            snapshotFile = "snapshots/" + files.findFirst().orElseThrow().getFileName();
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    static void assertError(CliRun.Result r, ExitCode code, String message) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(code.code());
        assertThat(r.err()).as(r.toString()).contains("error: ").contains(message).contains("hint: ").doesNotContain("\tat ");
    }

    private static CliRun.Result restore(String... more) {
        List<String> args = new ArrayList<>(List.of("restore", "--repo", repo, "--uri", sandbox.uri()));
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }

    @Test
    void restoreRefusesTheServersOwnDatabasesAndNamesMongoDbCannotHold() {
        for (String db : new String[] {"local", "admin", "config"}) {
            assertError(restore("--to-db", db), ExitCode.USAGE, "which belongs to the server");
        }
        assertError(restore("--ns-from", "shop.*", "--ns-to", "zz.system.*"), ExitCode.USAGE, "which belongs to the server");
        assertError(restore("--ns-from", "shop.*", "--ns-to", "zz.$*"), ExitCode.USAGE, "cannot contain '$'");
        assertError(restore("--ns-from", "shop.*", "--ns-to", "zz." + "x".repeat(300) + "*"), ExitCode.USAGE, "at most 255 bytes");
        assertError(restore("--to-db", "a\"b"), ExitCode.USAGE, "not a database name");
        assertError(restore("--to-db", "x".repeat(64)), ExitCode.USAGE, "fewer than 64 bytes");
        assertThat(client.getDatabase("local").listCollectionNames().into(new ArrayList<>())).doesNotContain("orders");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertError(restore("--to-db", "copy", "--threads", "0"), ExitCode.USAGE, "--threads must be from 1 to 64");
        assertError(restore("--to-db", "copy", "--threads", "-3"), ExitCode.USAGE, "--threads must be from 1 to 64");
        assertError(restore("--to-db", "copy", "--at", "-99999999999d"), ExitCode.USAGE, "is out of range");
        assertError(restore("--to-db", "copy", "--at", "2026-03-29 02:30", "--tz", "Europe/Berlin"), ExitCode.USAGE,
                "does not exist in Europe/Berlin");
        CliRun.Result ambiguous = restore("--to-db", "copy", "--at", "2026-10-25 02:30", "--tz", "Europe/Berlin");
        assertError(ambiguous, ExitCode.USAGE, "happened twice in Europe/Berlin");
        assertThat(ambiguous.err()).contains("2026-10-25T02:30+02:00").contains("2026-10-25T02:30+01:00");
        assertError(CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--from", "-1h", "--samples", "0"),
                ExitCode.USAGE, "--samples must be at least 1");
        assertError(CliRun.run("capture", "--repo", repo, "--uri", sandbox.uri(), "--snapshot-every", "1ms"),
                ExitCode.USAGE, "--snapshot-every 1ms is too short");
        assertError(CliRun.run("capture", "--repo", repo, "--uri", sandbox.uri(), "--seal-interval", "0ms"),
                ExitCode.USAGE, "--seal-interval 0ms is too short");
        assertThat(client.listDatabaseNames().into(new ArrayList<>())).doesNotContain("copy");
    }

    /** A copy of the snapshot's manifest under another id, changed by {@code change}. */
    private static String forge(String id, Consumer<Document> change) throws Exception {
        Path original = Path.of(repo, snapshotFile);
        Document d = Document.parse(new String(StoredFile.decode(snapshotFile, Files.readAllBytes(original)), StandardCharsets.UTF_8));
        d.put("id", id);
        change.accept(d);
        String name = snapshotFile.substring(0, snapshotFile.lastIndexOf('-') + 1) + id;
        Files.write(Path.of(repo, name), StoredFile.encode(d.toJson().getBytes(StandardCharsets.UTF_8), true));
        return name;
    }

    @Test
    void malformedManifestsAreCorruptNamingTheFileAndANewerOneIsRefused() throws Exception {
        List<String> forged = new ArrayList<>();
        try {
            forged.add(forge("nonamespaces", d -> d.remove("namespaces")));
            forged.add(forge("stringcount", d -> d.getList("namespaces", Document.class).get(0).put("documents", "2")));
            forged.add(forge("escapingobject", d -> d.getList("namespaces", Document.class).get(0)
                    .put("objects", List.of(List.of("../../../../etc/passwd", 1, 1, 1)))));
            forged.add(forge("escapingns", d -> d.getList("namespaces", Document.class).get(0).put("db", "../x")));
            for (String name : forged) {
                String id = name.substring(name.lastIndexOf('-') + 1);
                assertError(restore("--snapshot", id, "--to-db", "copy"), ExitCode.CORRUPT, "corrupt repository file " + name);
            }
            String newer = forge("fromthefuture", d -> d.put("version", 2));
            forged.add(newer);
            assertError(restore("--snapshot", "fromthefuture", "--to-db", "copy"), ExitCode.NO_REPOSITORY,
                    "has version 2; this Rewind reads version 1");
            CliRun.Result list = CliRun.run("snapshots", "--repo", repo);
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.err()).contains("escapingobject").contains("fromthefuture");
            assertThat(client.listDatabaseNames().into(new ArrayList<>())).doesNotContain("copy");
        } finally {
            for (String name : forged) {
                Files.deleteIfExists(Path.of(repo, name));
            }
        }
    }

    @Test
    void aConfigThisRewindCannotUseIsRefused() throws Exception {
        String[][] cases = {
            {"\"hash\": \"sha256\"", "\"hash\": \"blake3\"", "uses encryption 'none' with hash 'blake3'"},
            {"\"encryption\": \"none\"", "\"encryption\": \"chacha20\"", "uses encryption 'chacha20' with hash 'sha256'"},
            // an encrypted cipher with the unkeyed hash is not a combination this Rewind writes
            {"\"encryption\": \"none\"", "\"encryption\": \"aes-256-gcm\"", "uses encryption 'aes-256-gcm' with hash 'sha256'"},
            {"\"algorithm\": \"document-crc32c-v1\"", "\"algorithm\": \"fastcdc\"", "uses algorithm 'fastcdc'"},
            {"\"min\": 16384", "\"min\": -1", "chunking 'min' is not a positive integer"},
            {"\"max\": 262144", "\"max\": 1000", "are not 0 < min <= target <= max"},
        };
        for (String[] c : cases) {
            Path other = Files.createDirectories(tmp.resolve("cfg-" + Math.abs(c[1].hashCode())));
            assertThat(CliRun.run("init", "--repo", other.toString()).exitCode()).isZero();
            Path config = other.resolve("config");
            String json = new String(StoredFile.decode("config", Files.readAllBytes(config)), StandardCharsets.UTF_8);
            assertThat(json).contains(c[0]);
            Files.write(config, StoredFile.encode(json.replace(c[0], c[1]).getBytes(StandardCharsets.UTF_8), false));
            assertError(CliRun.run("snapshot", "--repo", other.toString(), "--uri", sandbox.uri()), ExitCode.NO_REPOSITORY, c[2]);
            assertThat(other.resolve("objects")).as("nothing written with a config it does not know").doesNotExist();
        }
    }
}
