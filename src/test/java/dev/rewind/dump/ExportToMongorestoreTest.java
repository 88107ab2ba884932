package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Updates;
import dev.rewind.capture.CaptureRun;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repositories;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export writes what a stock mongorestore reads: the state at a time T (a snapshot taken while
 * capture ran, then deletes, updates, inserts, a new index and a new collection before T, more
 * writes after it), as a directory and an archive, plain and --gzip, restored by the peer
 * mongorestore 100.8.0 into other databases, gives every document byte for byte as it was at T,
 * with the indexes then; a plain snapshot exports too.
 */
class ExportToMongorestoreTest {
    static final String[] COLLECTIONS = {"family", "child", "mixed", "audit", "later"};

    @TempDir
    Path tmp;

    @Test
    void theStateAtAnyTimeExportsInEveryFormForMongorestore() throws Exception {
        Peers.assumeAvailable();
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            DumpData.write(client, "famigo", 1500);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            ClusterClock clock = new ClusterClock(client);
            Map<String, List<String>> atT = new HashMap<>();
            Map<String, List<Document>> indexesAtT = new HashMap<>();
            ClusterTime t;
            try (CaptureRun capture = CaptureRun.start(Repositories.open(repo), client, sandbox.uri(), "famigo.*")) {
                family.deleteMany(Filters.lt("_id", 200));
                family.updateMany(Filters.gte("_id", 1000), Updates.combine(Updates.set("plan", "premium"), Updates.inc("members", 1)));
                family.replaceOne(Filters.eq("_id", 500), new Document("_id", 500).append("name", "replaced"));
                family.insertOne(new Document("_id", 5000).append("name", "new family").append("email", "new@example.org"));
                family.createIndex(new Document("plan", 1), new IndexOptions().name("plan_1"));
                client.getDatabase("famigo").getCollection("later").insertOne(new Document("_id", "x").append("v", 1));
                for (String coll : COLLECTIONS) {
                    atT.put(coll, DumpData.documents(client, "famigo", coll));
                    indexesAtT.put(coll, DumpData.indexes(client, "famigo", coll));
                }
                t = clock.now();
                family.deleteMany(Filters.gte("_id", 1400));
                family.updateMany(Filters.lt("_id", 300), Updates.set("after", true));
                client.getDatabase("famigo").getCollection("later").insertOne(new Document("_id", "y"));
                Thread.sleep(800);
            }
            List<List<String>> forms = List.of(List.of("--dump", "dir"), List.of("--dump", "dirgz", "--gzip"),
                    List.of("--archive", "famigo.archive"), List.of("--archive", "famigo.archive.gz", "--gzip"),
                    List.of("--dump", "inpasses"));
            int n = 0;
            for (List<String> form : forms) {
                Path out = tmp.resolve(form.get(1));
                // the same state read in passes, through their temporary split of the log (restore/PassSpill)
                List<String> exportOnly = form.get(1).equals("inpasses") ? List.of("--memory-docs", "100") : List.of();
                List<String> options = new java.util.ArrayList<>(form.subList(2, form.size()));
                options.addAll(exportOnly);
                CliRun.Result exported = CliRun.run(args(List.of("export", "--repo", repo, "--at", t.toString(), form.get(0),
                        out.toString()), options));
                assertThat(exported.exitCode()).as(exported.toString()).isZero();
                String db = "restored" + n++;
                boolean archive = form.get(0).equals("--archive");
                List<String> restore = new java.util.ArrayList<>(List.of("--uri", sandbox.uri(), "--nsFrom", "famigo.*", "--nsTo", db + ".*"));
                restore.addAll(form.subList(2, form.size()));
                restore.add(archive ? "--archive=" + out : out.toString());
                Peers.mongorestore(tmp, restore.toArray(String[]::new));
                for (String coll : COLLECTIONS) {
                    assertThat(DumpData.documents(client, db, coll)).as("%s.%s from %s", db, coll, form)
                            .hasSizeGreaterThan(0).isEqualTo(atT.get(coll));
                    assertThat(DumpData.indexes(client, db, coll)).as("indexes of %s at T", coll)
                            .containsExactlyInAnyOrderElementsOf(indexesAtT.get(coll));
                }
                assertThat(DumpData.describe(client, db, "audit")).isEqualTo(DumpData.describe(client, "famigo", "audit"));
                assertThat(DumpData.describe(client, db, "active").get("options", Document.class).getString("viewOn"))
                        .as("the view, on the restored collection").isEqualTo("family");
            }
            Path plain = tmp.resolve("snapshot.archive");
            CliRun.Result exported = CliRun.run("export", "--repo", repo, "--snapshot", "latest", "--archive", plain.toString(),
                    "--ns", "famigo.mixed");
            assertThat(exported.exitCode()).as(exported.toString()).isZero();
            Peers.mongorestore(tmp, "--uri", sandbox.uri(), "--nsFrom", "famigo.*", "--nsTo", "fromsnapshot.*", "--archive=" + plain);
            assertThat(DumpData.documents(client, "fromsnapshot", "mixed")).isEqualTo(atT.get("mixed"));
            assertThat(client.getDatabase("fromsnapshot").listCollectionNames().into(new java.util.ArrayList<>())).containsExactly("mixed");
        }
    }

    private static String[] args(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
