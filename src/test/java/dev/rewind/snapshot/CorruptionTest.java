package dev.rewind.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.ExitCode;
import dev.rewind.SampleData;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptionTest {
    @TempDir
    Path tmp;

    @Test
    void aFlippedByteIsNamedByVerifyAndRestoreLeavesNothingPartial() throws IOException {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            SampleData.load(client.getDatabase("famigo"), 5_000, 3);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            assertThat(CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*").exitCode()).isZero();

            assertThat(CliRun.run("verify", "--repo", repo, "--read-data").exitCode()).isZero();

            // damage one object near the end of famigo.family, so the restore has written a lot before it meets it
            Repository r = Repositories.open(repo);
            SnapshotManifest m = r.snapshot("latest");
            NamespaceSnapshot family = m.namespace("famigo.family");
            assertThat(family.objects().size()).isGreaterThan(3);
            String victim = Repository.objectName(family.objects().get(family.objects().size() - 2).hash());
            Path file = Path.of(repo).resolve(victim);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                long at = f.length() / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x40);
            }

            CliRun.Result presence = CliRun.run("verify", "--repo", repo);
            assertThat(presence.exitCode()).as("presence-only verify does not read data").isZero();

            CliRun.Result verify = CliRun.run("verify", "--repo", repo, "--read-data");
            assertThat(verify.exitCode()).isEqualTo(ExitCode.CORRUPT.code());
            assertThat(verify.out()).contains(victim).contains("checksum mismatch").contains(m.id());

            CliRun.Result restore = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(),
                    "--ns-from", "famigo.*", "--ns-to", "broken.*");
            assertThat(restore.exitCode()).isEqualTo(ExitCode.CORRUPT.code());
            assertThat(restore.err()).contains("error: corrupt repository file " + victim).contains("hint:");
            List<String> left = client.getDatabase("broken").listCollectionNames().into(new ArrayList<>());
            assertThat(left).as("collections left in the target").isEmpty();

            Files.delete(file);
            CliRun.Result missing = CliRun.run("verify", "--repo", repo);
            assertThat(missing.exitCode()).isEqualTo(ExitCode.CORRUPT.code());
            assertThat(missing.out()).contains(victim + ": missing");
            CliRun.Result restoreMissing = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(),
                    "--ns-from", "famigo.*", "--ns-to", "broken.*");
            assertThat(restoreMissing.exitCode()).isEqualTo(ExitCode.CORRUPT.code());
            assertThat(restoreMissing.err()).contains("which is missing; nothing was restored");
        }
    }

    @Test
    void aSampledVerifyReadsAboutTheRequestedShare() {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            SampleData.load(client.getDatabase("famigo"), 5_000, 4);
            String repo = tmp.resolve("repo2").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            assertThat(CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo).exitCode()).isZero();
            CliRun.Result all = CliRun.run("verify", "--repo", repo, "--read-data", "--json");
            CliRun.Result half = CliRun.run("verify", "--repo", repo, "--read-data-subset", "50%", "--seed", "1", "--json");
            int objects = org.bson.Document.parse(all.out()).getInteger("objects");
            int read = org.bson.Document.parse(half.out()).getInteger("objectsRead");
            assertThat(org.bson.Document.parse(all.out()).getInteger("objectsRead")).isEqualTo(objects);
            assertThat(read).isGreaterThan(0).isLessThan(objects);
        }
    }
}
