package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The central property: while capture runs, a random workload changes the database; the state is
 * recorded at many instants; afterwards, restoring at each instant gives exactly that state.
 */
class PointInTimeRestoreTest {
    @TempDir
    Path tmp;

    record Instant(ClusterTime at, Map<String, List<Document>> state, String lastStep) { }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void restoringAtEveryRecordedInstantGivesTheStateRecordedThen(long seed) throws Exception {
        check(seed);
    }

    @org.junit.jupiter.api.Test
    void aWindowLargerThanMemoryAllowsIsMergedInPassesAndGivesTheSameStates() throws Exception {
        check(4, "--memory-docs", "20");
    }

    private void check(long seed, String... extra) throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase db = client.getDatabase("prop");
            db.getCollection("a").insertOne(new Document("_id", -1).append("seed", seed));
            String repo = System.getProperty("pitr.repo", tmp.resolve("repo").toString());
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "prop.*");

            Workload workload = new Workload(db, seed, true);
            ClusterClock clock = new ClusterClock(client);
            List<Instant> instants = new ArrayList<>();
            String last = "";
            for (int i = 0; i < 400; i++) {
                last = workload.step();
                if (i % 40 == 39) {
                    instants.add(new Instant(clock.now(), state(db), last));
                }
            }
            Thread.sleep(1500);
            capture.close();

            for (int i = 0; i < instants.size(); i++) {
                Instant in = instants.get(i);
                String target = "prop_at_" + i;
                List<String> args = new ArrayList<>(List.of("restore", "--repo", repo, "--uri", sandbox.uri(),
                        "--at", in.at().toString(), "--ns-from", "prop.*", "--ns-to", target + ".*"));
                args.addAll(List.of(extra));
                CliRun.Result res = CliRun.run(args.toArray(String[]::new));
                assertThat(res.exitCode()).as("seed %d instant %d: %s", seed, i, res).isZero();
                Map<String, List<Document>> restored = state(client.getDatabase(target));
                assertThat(restored.keySet()).as("seed %d instant %d collections: %s; status: %s", seed, i, res, CliRun.run("status", "--repo", repo)).isEqualTo(in.state().keySet());
                for (String c : in.state().keySet()) {
                    assertThat(restored.get(c))
                            .as("seed %d, instant %d at %s, collection %s, after '%s'", seed, i, in.at(), c, in.lastStep())
                            .containsExactlyElementsOf(in.state().get(c));
                }
            }
        }
    }

    static Map<String, List<Document>> state(MongoDatabase db) {
        Map<String, List<Document>> out = new TreeMap<>();
        for (String c : db.listCollectionNames()) {
            List<Document> docs = new ArrayList<>();
            db.getCollection(c).find().sort(new Document("_id", 1)).batchSize(1000).into(docs);
            if (!docs.isEmpty()) {
                out.put(c, docs);
            }
        }
        return out;
    }
}
