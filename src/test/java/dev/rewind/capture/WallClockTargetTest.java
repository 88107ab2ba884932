package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.cli.CliRun;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wall-clock target means the events' own wall times (MongoDB 6.0+: {@code wallTime}, "the server
 * date and time of the database operation", MongoDB manual "Change Events"), to the millisecond
 * when the target names milliseconds: two inserts in the same second, a target between them.
 */
class WallClockTargetTest {
    @Test
    void aTargetInMillisecondsFallsBetweenTwoWritesOfTheSameSecond(@TempDir Path tmp) throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> docs = client.getDatabase("wall").getCollection("docs");
            docs.insertOne(new Document("_id", 0));
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            try (CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "wall.*")) {
                Instant between;
                do {  // two inserts in one second, 300 ms apart, with a target between them
                    while (Instant.now().getNano() > 200_000_000) {
                        Thread.sleep(5);
                    }
                    docs.insertOne(new Document("_id", "a" + Instant.now().toEpochMilli()));
                    Thread.sleep(150);
                    between = Instant.now();
                    Thread.sleep(150);
                    docs.insertOne(new Document("_id", "b" + Instant.now().toEpochMilli()));
                } while (Instant.now().getEpochSecond() != between.getEpochSecond());
                String end = new ClusterClock(client).now().toString();
                for (int i = 0; i < 100 && !covered(r, end); i++) {
                    Thread.sleep(100);
                }
                CliRun.Result restore = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(),
                        "--at", between.toString(), "--ns-from", "wall.*", "--ns-to", "wall_at.*", "--quiet");
                assertThat(restore.exitCode()).as(restore.toString()).isZero();
                List<Object> ids = new ArrayList<>();
                client.getDatabase("wall_at").getCollection("docs").find().forEach(d -> ids.add(d.get("_id")));
                List<Object> all = new ArrayList<>();
                docs.find().forEach(d -> all.add(d.get("_id")));
                Object lastA = all.stream().filter(id -> id.toString().startsWith("a")).reduce((x, y) -> y).orElseThrow();
                Object lastB = all.stream().filter(id -> id.toString().startsWith("b")).reduce((x, y) -> y).orElseThrow();
                assertThat(ids).as("restored at %s", between).contains(lastA).doesNotContain(lastB);
            }
        }
    }

    private static boolean covered(Repository r, String at) {
        var names = r.segmentNames();
        return !names.isEmpty() && !names.get(names.size() - 1).to().isBefore(dev.rewind.event.ClusterTime.parse(at));
    }
}
