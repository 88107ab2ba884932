package dev.rewind.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.SampleData;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondSnapshotStoresAlmostNothingNewAndSmallChangesStoreLittle() throws IOException {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            SampleData.load(client.getDatabase("famigo"), 20_000, 7);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();

            snapshot(sandbox, repo);
            long first = size(Path.of(repo));

            snapshot(sandbox, repo);
            long second = size(Path.of(repo));
            assertThat((double) (second - first) / first).as("new bytes of an unchanged snapshot").isLessThan(0.01);

            // change 1% of the families: 200 documents in a few runs of neighbours, as batch jobs
            // and recent activity do (documents are stored in _id order)
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            List<ObjectId> ids = new ArrayList<>();
            family.find().projection(new Document("_id", 1)).sort(new Document("_id", 1)).batchSize(1000)
                    .forEach(d -> ids.add(d.getObjectId("_id")));
            for (int run = 0; run < 4; run++) {
                int start = 2_000 + run * 4_500;
                for (int i = start; i < start + 50; i++) {
                    family.updateOne(Filters.eq("_id", ids.get(i)), Updates.set("plan", "changed-" + i));
                }
            }
            snapshot(sandbox, repo);
            long third = size(Path.of(repo));
            assertThat((double) (third - second) / second).as("new bytes after changing 1%").isLessThan(0.10);
        }
    }

    private static void snapshot(Sandbox sandbox, String repo) {
        CliRun.Result r = CliRun.run("snapshot", "--uri", sandbox.uri(), "--repo", repo, "--ns", "famigo.*");
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
