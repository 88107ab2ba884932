package dev.rewind.harden;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 6: a secret in a connection string is never printed nor stored, however it is
 * spelled: a password with '@' or '/', an empty user, a session token in authMechanismProperties.
 */
class SecretsTest {
    @TempDir
    Path tmp;

    @Test
    void aSessionTokenInTheUriIsNeitherPrintedNorStoredInTheManifest() throws IOException {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            client.getDatabase("shop").getCollection("orders").insertOne(new Document("_id", 1));
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            // valid, and the sandbox needs no credentials: the driver keeps the property for MONGODB-AWS only
            String uri = sandbox.uri() + "?authMechanismProperties=AWS_SESSION_TOKEN:t0ken-s3cret&appName=shop";
            CliRun.Result snap = CliRun.run("snapshot", "--repo", repo, "--uri", uri, "--json");
            assertThat(snap.exitCode()).as(snap.toString()).isZero();
            assertThat(snap.out() + snap.err()).doesNotContain("t0ken-s3cret");
            assertThat(Document.parse(CliRun.run("snapshots", "--repo", repo, "--json").out())
                    .getList("snapshots", Document.class).get(0).getString("source"))
                    .isEqualTo(sandbox.uri() + "?authMechanismProperties=***&appName=shop");
            try (Stream<Path> files = Files.walk(Path.of(repo))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    byte[] plain = Files.readAllBytes(f);
                    assertThat(new String(plain, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString())
                            .doesNotContain("t0ken-s3cret");
                }
            }
        }
    }

    @Test
    void passwordsTheDriverRefusesAreNotPrinted() {
        String repo = tmp.resolve("repo2").toString();
        assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
        for (String uri : new String[] {"mongodb://ann:p@ss-s3cret@127.0.0.1:1/", "mongodb://ann:pa/ss-s3cret@127.0.0.1:1/",
            "mongodb://:s3cret@127.0.0.1:1/", "mongodb://ann:s3cret@127.0.0.1:1/?serverSelectionTimeoutMS=300"}) {
            for (String cmd : new String[] {"snapshot", "capture"}) {
                CliRun.Result r = CliRun.run(cmd, "--repo", repo, "--uri", uri);
                assertThat(r.exitCode()).as(r.toString()).isNotZero();
                assertThat(r.out() + r.err()).as(uri).contains("error: ").doesNotContain("s3cret").doesNotContain("p@ss")
                        .doesNotContain("pa/ss");
                CliRun.Result verbose = CliRun.run(cmd, "--repo", repo, "--uri", uri, "--verbose");
                assertThat(verbose.out() + verbose.err()).as(uri).doesNotContain("s3cret");
            }
        }
    }
}
