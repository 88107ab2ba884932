package dev.rewind.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.ExitCode;
import dev.rewind.SampleData;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.store.CuttingProxy;
import dev.rewind.repo.store.S3Server;
import dev.rewind.sandbox.Sandbox;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An S3 server that refuses or drops requests in the middle of a snapshot: passing faults are
 * retried and the snapshot completes; faults that last fail the snapshot without publishing its
 * manifest. Either way the repository stays valid ({@code verify --read-data} is clean) and a later
 * snapshot and restore work.
 */
class S3FaultsTest {
    static Sandbox sandbox;
    static MongoClient client;
    static final S3Server s3 = S3Server.get();

    @BeforeAll
    static void start() {
        sandbox = Sandbox.inMemory();
        client = MongoClients.create(sandbox.uri());
        SampleData.load(client.getDatabase("famigo"), 6000, 3);
    }

    @AfterAll
    static void stop() {
        s3.healthy();
        client.close();
        sandbox.close();
    }

    static CliRun.Result ok(String... args) {
        CliRun.Result r = CliRun.run(args);
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", args), r).isZero();
        return r;
    }

    static int objectsIn(String repo) {
        String out = ok("snapshots", "--repo", repo, "--json").out();
        return out.split("\"id\"", -1).length - 1;
    }

    @Test
    void refusedAndDroppedRequestsMidSnapshotAreRetriedAndTheSnapshotCompletes() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(s3.port())) {
            String bucket = s3.newBucket();
            String repo = "s3://" + bucket + "/r?endpoint=http://127.0.0.1:" + proxy.port();
            ok("init", "--repo", repo);
            AtomicInteger puts = new AtomicInteger();
            int refusedBefore = s3.refused();
            s3.refusePuts(key -> key.contains("/objects/") && puts.incrementAndGet() % 4 == 1 && puts.get() < 30);
            proxy.cut(4, 20_000);   // four uploads cut after 20 kB
            try {
                ok("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*");
            } finally {
                s3.healthy();
            }
            assertThat(s3.refused() - refusedBefore).as("requests the server refused").isGreaterThan(0);
            assertThat(proxy.cuts()).as("connections dropped mid-upload").isGreaterThan(0);
            ok("verify", "--repo", repo, "--read-data");
            ok("restore", "--repo", repo, "--uri", sandbox.uri(), "--ns-from", "famigo.*", "--ns-to", "famigo_faults.*");
            assertThat(client.getDatabase("famigo_faults").getCollection("family").countDocuments()).isEqualTo(6000);
        }
    }

    @Test
    void aServerThatKeepsRefusingFailsTheSnapshotAndLeavesTheRepositoryValid() {
        String repo = s3.newLocation();
        ok("init", "--repo", repo);
        ok("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*");
        client.getDatabase("famigo").getCollection("more").insertMany(java.util.stream.IntStream.range(0, 3000)
                .mapToObj(i -> new org.bson.Document("_id", i).append("pad", "p".repeat(200) + i)).toList());
        AtomicInteger puts = new AtomicInteger();
        s3.refusePuts(key -> key.contains("/objects/") && puts.incrementAndGet() > 2);
        CliRun.Result failed;
        try {
            failed = CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*");
        } finally {
            s3.healthy();
        }
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.IO.code());
        assertThat(failed.err()).contains("503").contains("hint:");
        assertThat(objectsIn(repo)).as("no manifest of the failed snapshot").isEqualTo(1);
        ok("verify", "--repo", repo, "--read-data");
        ok("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*");
        ok("prune", "--repo", repo);
        ok("verify", "--repo", repo, "--read-data");
        ok("restore", "--repo", repo, "--uri", sandbox.uri(), "--ns-from", "famigo.*", "--ns-to", "famigo_after.*");
        assertThat(client.getDatabase("famigo_after").getCollection("more").countDocuments()).isEqualTo(3000);
        client.getDatabase("famigo").getCollection("more").drop();
    }
}
