package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.NamespacePattern;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.mongo.ServerProbe;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.sandbox.SandboxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A stream opened where nothing has been written yet has read nothing: its post-batch resume
 * token is a high-water mark at its own start, and a high-water-mark token sorts before every
 * event at its time (mongod, src/mongo/db/pipeline/resume_token.h: {@code kHighWaterMarkToken = 0
 * // Token refers to a point in time, not an event}, against {@code kEventToken = 128}, compared
 * after the cluster time). Capture must not count that start as covered: the next write very often
 * gets exactly that time (the increment after the newest entry, within the same second), and a
 * capture that had sealed it would drop that write's event as already logged. This is the first
 * round of every capture start and every reconnect; the round's horizon is bounded by the cluster
 * time read before it, so it stays where it was.
 */
class StreamStartHorizonTest {
    @Test
    void aStreamThatHasReadNothingCoversNothingPastWhereItStarted() {
        SandboxOptions options = SandboxOptions.defaults().noopInterval(Duration.ofHours(1));
        try (Sandbox sandbox = Sandbox.start(options); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> docs = client.getDatabase("app").getCollection("docs");
            docs.insertOne(new Document("_id", 1));
            ClusterClock clock = new ClusterClock(client);
            ClusterTime covered = clock.now();
            List<NamespacePattern> patterns = List.of(NamespacePattern.parse("app.*"));
            try (StreamSet streams = new StreamSet(client, ServerProbe.of(client, patterns), patterns)) {
                StreamSet.Round first = streams.read(covered, clock.now());
                assertThat(first.events()).isEmpty();
                assertThat(first.horizon()).as("nothing was read after %s", covered).isEqualTo(covered);

                docs.insertOne(new Document("_id", 2));
                List<ChangeEvent> seen = new ArrayList<>();
                ClusterTime from = first.horizon();
                for (int round = 0; round < 20 && seen.isEmpty(); round++) {
                    StreamSet.Round r = streams.read(from, clock.now());
                    seen.addAll(r.events());
                    from = r.horizon();
                }
                assertThat(seen).extracting(e -> e.id().asInt32().getValue()).containsExactly(2);
                assertThat(from).as("covered up to the insert once it is read").isEqualTo(seen.get(0).clusterTime());
            }
        }
    }
}
