package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code restore --at --dry-run} counts what the restore will write: the snapshot with the log merged in. */
class RestoreDryRunTest {
    @TempDir
    Path tmp;

    @Test
    void aPointInTimeDryRunCountsTheDocumentsTheRestoreWrites() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            insert(family, 0, 3000);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            ClusterTime at;
            try (CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "famigo.*")) {
                insert(family, 3000, 3150);
                family.deleteMany(Filters.lt("_id", 20));
                family.updateMany(Filters.lt("_id", 40), Updates.set("plan", "premium"));
                at = new ClusterClock(client).now();
                while (LogCoverage.windows(r.snapshots(), r.segmentNames()).stream().noneMatch(w -> !w.to().isBefore(at))) {
                    Thread.sleep(100);
                }
            }
            long live = family.countDocuments();
            assertThat(live).isEqualTo(3130);

            for (String memory : List.of("2000000", "50")) {
                CliRun.Result dry = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--at", at.toString(),
                        "--to-db", "restored", "--dry-run", "--json", "--memory-docs", memory);
                assertThat(dry.exitCode()).as(dry.toString()).isZero();
                Document plan = Document.parse(dry.out());
                assertThat(plan.get("documents", Number.class).longValue()).as("with --memory-docs %s: %s", memory, dry.out())
                        .isEqualTo(live);
            }
            CliRun.Result text = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--at", at.toString(),
                    "--to-db", "restored", "--dry-run");
            assertThat(text.out()).as(text.toString()).contains("3,130 docs", "3,130 documents in all");

            CliRun.Result restore = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--at", at.toString(),
                    "--to-db", "restored", "--json");
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            assertThat(client.getDatabase("restored").getCollection("family").countDocuments()).isEqualTo(live);
        }
    }

    private static void insert(MongoCollection<Document> family, int from, int to) {
        List<Document> docs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            docs.add(new Document("_id", i).append("name", "family " + i));
        }
        family.insertMany(docs);
    }
}
