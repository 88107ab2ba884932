package dev.rewind.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.detect.Backoff;
import dev.rewind.detect.CollectionSizes;
import dev.rewind.detect.DetectingCapture;
import dev.rewind.detect.Detector;
import dev.rewind.detect.Rules;
import dev.rewind.detect.WebhookServer;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.Document;

/**
 * Benchmark of detection (not a test: run by hand, see docs/detect.md).
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.rewind.bench.DetectBench [EVENTS]
 * </pre>
 *
 * 1. The seed accident on the in-memory sandbox (5,000 families deleted one at a time while sign-ups
 *    go on) with capture and detection running in-process (seal interval 300 ms) and a webhook on
 *    127.0.0.1: the time from the first accidental delete to the opened alert, in event time (cluster
 *    seconds from the first delete to the delete that opened the incident) and in wall time (first
 *    {@code deleteOne} sent to the webhook's receipt), with the deletes done by then.
 * 2. The detector alone: EVENTS synthetic events (default 5,000,000: 60% inserts, 30% updates, 10%
 *    deletes over 20 collections, 10,000 events per second of event time), then a mass delete of
 *    1,000,000 documents in one collection; events/s through {@link Detector#accept} only.
 */
public final class DetectBench {
    private DetectBench() { }

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        latency();
        throughput(events);
    }

    static void latency() throws Exception {
        Path tmp = Files.createTempDirectory("detect-bench");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri());
             WebhookServer webhook = WebhookServer.alwaysOk()) {
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            List<Object> ids = new ArrayList<>();
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                ids.add(i);
                batch.add(new Document("_id", i).append("email", "family" + i + "@example.org").append("plan", "free"));
            }
            family.insertMany(batch);
            String dir = tmp.resolve("repo").toString();
            CliRun.run("init", "--repo", dir);
            Repository r = Repositories.open(dir);
            try (DetectingCapture capture = new DetectingCapture(r, client, sandbox.uri(), new Rules(Rules.defaultRules(), 5),
                    webhook.url(), Backoff.DEFAULT)) {
                while (r.snapshots().isEmpty()) {
                    Thread.sleep(50);
                }
                Thread.sleep(1500);
                AtomicBoolean over = new AtomicBoolean();
                Thread signups = new Thread(() -> {
                    int n = 100_000;
                    Random rnd = new Random(1);
                    while (!over.get()) {
                        family.insertOne(new Document("_id", n++).append("email", "new" + n + "@example.org"));
                        family.updateOne(Filters.eq("_id", 4990 + rnd.nextInt(10)), Updates.inc("visits", 1));
                    }
                });
                signups.start();
                AtomicInteger done = new AtomicInteger();
                int doneAtAlert = -1;
                long t0 = System.nanoTime();
                for (int i = 0; i < 4962; i++) {
                    family.deleteOne(Filters.eq("_id", ids.get(i)));
                    done.incrementAndGet();
                    if (doneAtAlert < 0 && !webhook.delivered().isEmpty()) {
                        doneAtAlert = done.get();
                    }
                }
                long deleteNanos = System.nanoTime() - t0;
                over.set(true);
                signups.join();
                webhook.awaitDelivered(1, 60);
                long alertNanos = webhook.deliveredNanos().get(0) - t0;
                Document incident = webhook.delivered().get(0).get("incident", Document.class);
                ClusterTime first = ClusterTime.parse(incident.getString("firstAt"));
                ClusterTime trip = ClusterTime.parse(incident.getString("lastAt"));
                System.out.printf("sandbox delete rate (one deleteOne at a time, sign-ups alongside): %.0f deletes/s%n",
                        4962 / (deleteNanos / 1e9));
                System.out.printf("incident opened at the %d-th delete; event time first delete -> opening delete: %d s%n",
                        incident.get("total", Number.class).longValue(), trip.seconds() - first.seconds());
                System.out.printf("wall time first delete sent -> opened alert received by the webhook: %d ms (%s deletes done by then);"
                        + " of which capture -> detector's verdict (ALERT line): %d ms%n",
                        alertNanos / 1_000_000, doneAtAlert < 0 ? "all 4962" : String.valueOf(doneAtAlert),
                        (capture.firstAlertNanos - t0) / 1_000_000);
            }
        }
    }

    static void throughput(long total) {
        Random random = new Random(42);
        List<Namespace> nss = new ArrayList<>();
        Map<String, Long> sizes = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            nss.add(Namespace.of("app", "coll" + i));
            sizes.put("app.coll" + i, 1_000_000L);
        }
        CollectionSizes s = new CollectionSizes();
        s.rebase(sizes, ClusterTime.MIN);
        AtomicLong ids = new AtomicLong();
        Detector d = new Detector(Rules.defaults(), s, ids::incrementAndGet, Clock.systemUTC(), "/repo", "mongodb://db/");
        long second = 1_790_000_000L;
        long nextId = 2_000_000;
        long nanos = 0;
        long done = 0;
        int perSecond = 10_000;
        while (done < total) {
            List<ChangeEvent> chunk = new ArrayList<>(perSecond);
            for (int k = 0; k < perSecond; k++) {
                int roll = random.nextInt(10);
                Operation op = roll < 6 ? Operation.INSERT : roll < 9 ? Operation.UPDATE : Operation.DELETE;
                long id = op == Operation.INSERT ? nextId++ : random.nextInt(1_000_000);
                chunk.add(event(op, nss.get(random.nextInt(nss.size())), id, second, k + 1));
            }
            long t = System.nanoTime();
            d.accept(chunk, new ClusterTime(second, perSecond));
            nanos += System.nanoTime() - t;
            done += chunk.size();
            second++;
        }
        System.out.printf("detector, mixed churn: %,d events in %.2f s = %,.0f events/s (%d incidents)%n",
                done, nanos / 1e9, done / (nanos / 1e9), ids.get());
        long burstNanos = 0;
        int burst = 1_000_000;
        for (int start = 0; start < burst; start += perSecond) {
            List<ChangeEvent> chunk = new ArrayList<>(perSecond);
            for (int k = 0; k < perSecond; k++) {
                chunk.add(event(Operation.DELETE, nss.get(0), start + k, second, k + 1));
            }
            long t = System.nanoTime();
            d.accept(chunk, new ClusterTime(second, perSecond));
            burstNanos += System.nanoTime() - t;
            second++;
        }
        System.out.printf("detector, mass delete: %,d deletes in %.2f s = %,.0f events/s (%d incidents in all)%n",
                burst, burstNanos / 1e9, burst / (burstNanos / 1e9), ids.get());
    }

    static ChangeEvent event(Operation op, Namespace ns, long id, long seconds, int increment) {
        return new ChangeEvent(op, null, new ClusterTime(seconds, increment), null, ns, null,
                new BsonDocument("_id", new BsonInt64(id)), null, null, null, false, null, null, null, null, null);
    }
}
