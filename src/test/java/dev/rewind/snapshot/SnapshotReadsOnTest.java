package dev.rewind.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.rewind.NamespacePattern;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.WriterLock;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes while a snapshot scans a collection in {@code _id} order: as on mongod, whose index scan
 * reads on from the key it stands at (src/mongo/db/exec/index_scan.cpp; MongoDB manual, "Cursor
 * Isolation"), the snapshot holds a document inserted ahead of the scan, not one inserted behind
 * it, and not one deleted before the scan reached it. The log from the snapshot's startAt makes such
 * a copy exact (PointInTimeRestoreTest takes its snapshots while its workload writes).
 */
class SnapshotReadsOnTest {
    private static final int DOCS = 3_000;   // three batches of SnapshotTaker.BATCH_SIZE

    @TempDir
    Path tmp;

    @Test
    void aSnapshotHoldsWhatItsScanReachesOfWhatWasWrittenDuringIt() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> accounts = client.getDatabase("famigo").getCollection("accounts");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < DOCS; i++) {
                docs.add(new Document("_id", i).append("name", "n" + i));
            }
            accounts.insertMany(docs);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            Progress writeOnce = (ns, documents, bytes, expected) -> {
                if (documents == 1) {
                    for (int i = 0; i < 10; i++) {
                        accounts.insertOne(new Document("_id", 5000 + i).append("name", "late"));   // ahead
                    }
                    accounts.insertOne(new Document("_id", -1).append("name", "late"));            // behind
                    accounts.deleteOne(Filters.eq("_id", 2600));                                    // not read yet
                }
            };
            SnapshotManifest m;
            try (WriterLock lock = r.lock("test")) {
                m = new SnapshotTaker(r, client, sandbox.uri(), writeOnce).take(List.of(NamespacePattern.parse("famigo.*")));
            }
            assertThat(m.namespaces()).singleElement().satisfies(ns -> assertThat(ns.documents()).isEqualTo(DOCS + 10 - 1));

            CliRun.Result restore = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--snapshot", m.id(),
                    "--ns-from", "famigo.*", "--ns-to", "back.*");
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            List<Integer> ids = client.getDatabase("back").getCollection("accounts").find().sort(new Document("_id", 1))
                    .map(d -> d.getInteger("_id")).into(new ArrayList<>());
            assertThat(ids).hasSize(DOCS + 9).contains(5000, 5009).doesNotContain(-1, 2600);
        }
    }
}
