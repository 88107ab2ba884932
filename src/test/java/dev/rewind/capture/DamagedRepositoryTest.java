package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.ExitCode;
import dev.rewind.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 3: one damaged manifest, or a stray file under snapshots/ or segments/, is reported,
 * and everything that does not need it keeps working, capture included.
 */
class DamagedRepositoryTest {
    @TempDir
    Path tmp;

    @Test
    void aDamagedManifestAndStrayFilesDisableOnlyWhatNeedsThem() throws Exception {
        try (CapturedShop shop = new CapturedShop(tmp)) {
            Path damaged = shop.file(shop.second.fileName());
            byte[] bytes = Files.readAllBytes(damaged);
            bytes[bytes.length / 2] ^= 0x10;
            Files.write(damaged, bytes);
            Files.writeString(shop.file("snapshots/notes.txt"), "mine");
            Files.writeString(shop.file("snapshots/a note"), "mine");
            Files.writeString(shop.file("segments/README"), "mine");

            CliRun.Result list = CliRun.run("snapshots", "--repo", shop.repo, "--json");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(Document.parse(list.out()).getList("snapshots", Document.class)).extracting(d -> d.getString("id"))
                    .containsExactly(shop.first.id());
            assertThat(list.err()).contains("warning: skipping " + shop.second.fileName()).contains("checksum mismatch")
                    .contains("snapshots/notes.txt").contains("snapshots/a note");

            CliRun.Result status = CliRun.run("status", "--repo", shop.repo);
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("restorable   ");
            assertThat(status.err()).contains("segments/README");

            CliRun.Result intact = CliRun.run("restore", "--repo", shop.repo, "--uri", shop.sandbox.uri(),
                    "--snapshot", shop.first.id(), "--to-db", "copy1");
            assertThat(intact.exitCode()).as(intact.toString()).isZero();
            assertThat(shop.client.getDatabase("copy1").getCollection("orders").countDocuments()).isEqualTo(100);

            CliRun.Result needsIt = CliRun.run("restore", "--repo", shop.repo, "--uri", shop.sandbox.uri(),
                    "--snapshot", shop.second.id(), "--to-db", "copy2");
            assertThat(needsIt.exitCode()).as(needsIt.toString()).isEqualTo(ExitCode.CORRUPT.code());
            assertThat(needsIt.err()).contains(shop.second.fileName()).contains("hint: ");

            CliRun.Result at = CliRun.run("restore", "--repo", shop.repo, "--uri", shop.sandbox.uri(),
                    "--at", shop.afterSecond.toString(), "--to-db", "copy3");
            assertThat(at.exitCode()).as(at.toString()).isZero();
            assertThat(shop.client.getDatabase("copy3").getCollection("orders").countDocuments()).isEqualTo(80);

            CliRun.Result undo = CliRun.run("undo", "--repo", shop.repo, "--uri", shop.sandbox.uri(), "--ns", "shop.orders",
                    "--from", shop.afterFirst.toString(), "--to", shop.afterSecond.toString(), "--json");
            assertThat(undo.exitCode()).as(undo.toString()).isZero();

            try (CaptureProcess capture = CaptureProcess.start(tmp.resolve("logs"), "capture", shop.sandbox.uri(), shop.repo,
                    "--seal-interval", "200ms", "--idle-interval", "1s")) {
                assertThat(capture.awaitStderr("capturing in deployment mode", Duration.ofSeconds(60)))
                        .as(capture.logs()).isTrue();
                shop.orders.insertOne(new Document("_id", 1000));
                long segments = Files.list(shop.file("segments")).count();
                for (long end = System.nanoTime() + 30_000_000_000L; System.nanoTime() < end
                        && Files.list(shop.file("segments")).count() <= segments; ) {
                    Thread.sleep(100);
                }
                assertThat(Files.list(shop.file("segments")).count()).as(capture.logs()).isGreaterThan(segments);
                assertThat(capture.stop(Duration.ofSeconds(30))).as(capture.logs()).isNotEqualTo(-1);
                assertThat(capture.stderr()).contains("capture stopped; the open segment is sealed");
                assertThat(capture.stderr()).contains("warning: skipping " + shop.second.fileName());
            }
        }
    }
}
