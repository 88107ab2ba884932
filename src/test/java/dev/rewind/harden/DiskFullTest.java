package dev.rewind.harden;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.ExitCode;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 11: a full disk is reported naming the file and the repository (exit 9), on a real
 * full file system: a 512 KiB tmpfs, which the test mounts where it may (as root); elsewhere it is
 * skipped, saying so.
 */
class DiskFullTest {
    @TempDir
    Path tmp;

    private static boolean run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void aFullDiskNamesTheFileAndTheRepository() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", small.toString()),
                "cannot mount a small tmpfs here (not root?): the full-disk test is skipped");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            Random random = new Random(7);
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] noise = new byte[4096];   // incompressible: 1.6 MB of objects cannot fit
                random.nextBytes(noise);
                docs.add(new Document("_id", i).append("blob", new Binary(noise)));
            }
            client.getDatabase("big").getCollection("blobs").insertMany(docs);
            String repo = small.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            CliRun.Result r = CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.IO.code());
            assertThat(r.err()).contains("error: the disk is full: cannot write objects/").contains(" in " + repo)
                    .contains("hint: free space").doesNotContain("\tat ");
            assertThat(CliRun.run("snapshots", "--repo", repo).exitCode()).as("the repository still opens").isZero();
        } finally {
            run("umount", small.toString());
        }
    }
}
