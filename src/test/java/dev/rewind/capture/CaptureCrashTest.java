package dev.rewind.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.WriterLock;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: capture runs as its own process and is killed with SIGKILL at random moments while
 * a writer keeps changing the database; each new capture breaks the dead one's lock and resumes.
 * Afterwards the log is one unbroken chain without gaps, holds every write exactly once, and a
 * restore at the final cluster time equals the live database.
 *
 * <p>The writer makes every kind of write a server logs with shared cluster times as well as plain
 * ones: inserts, updates, replacements and deletes one at a time; {@code deleteMany} (batched deletes:
 * one applyOps entry per batch, MongoDB 6.1+); and multi-document transactions, committed (every
 * event with the commit's cluster time, spread over several applyOps entries here) and aborted
 * (no events at all).
 */
class CaptureCrashTest {
    static final int KILLS = 10;

    @TempDir
    Path tmp;

    @Test
    void killingCaptureAtRandomMomentsLosesAndDuplicatesNothing() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CaptureCrashTest seed " + seed + " (repeat with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        String repo = tmp.resolve("repo").toString();
        Path logs = tmp.resolve("logs");
        List<CaptureProcess> runs = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults().transactionOpsPerEntry(3));
             MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<Document> docs = client.getDatabase("crash").getCollection("docs");
            for (int i = 0; i < 50; i++) {
                docs.insertOne(document(-1 - i, 0, random));  // before capture: in the snapshot, not in the log
            }
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            String[] args = {"--ns", "crash.*", "--seal-interval", "200ms", "--idle-interval", "1s"};

            CaptureProcess first = CaptureProcess.start(logs, "capture-0", sandbox.uri(), repo, args);
            runs.add(first);
            assertThat(first.awaitStderr("done:", Duration.ofSeconds(30))).as(() -> logs(runs)).isTrue();

            Writer writer = new Writer(client, docs, seed);
            Thread writing = new Thread(writer, "writer");
            writing.start();
            CaptureProcess current = first;
            for (int kill = 1; kill <= KILLS; kill++) {
                // Some kills land before the new capture's first seal (it replays from the last one), most after.
                Thread.sleep(100 + random.nextInt(1500));
                current.kill();
                assertThat(writer.failure.get()).as("the writer failed").isNull();
                current = CaptureProcess.start(logs, "capture-" + kill, sandbox.uri(), repo, args);
                runs.add(current);
                CaptureProcess started = current;
                assertThat(started.awaitStderr("capturing in", Duration.ofSeconds(30)))
                        .as(() -> "capture " + runs.size() + " did not start\n" + logs(runs)).isTrue();
                assertThat(started.stderr()).as(() -> logs(runs)).contains("warning: broke a stale lock left by 'rewind capture' (pid "
                        + runs.get(runs.size() - 2).pid());
            }
            writer.stop.set(true);
            writing.join();
            assertThat(writer.failure.get()).as("the writer failed").isNull();
            ClusterTime end = new ClusterClock(client).now();
            Repository r = Repositories.open(repo);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (coveredTo(r) == null || coveredTo(r).isBefore(end)) {
                assertThat(System.nanoTime()).as(() -> "capture did not catch up to " + end + "\n" + logs(runs)).isLessThan(deadline);
                Thread.sleep(100);
            }
            CliRun.Result running = CliRun.run("status", "--repo", repo, "--json");
            assertThat(Document.parse(running.out()).getString("capture")).as(running.toString()).isEqualTo("running");
            CaptureProcess last = current;
            int exit = last.stop(Duration.ofSeconds(20));
            assertThat(exit).as(() -> "SIGTERM did not stop capture\n" + logs(runs) + last.threadDump()).isNotEqualTo(-1);
            assertThat(current.stderr()).as(() -> logs(runs)).contains("capture stopped; the open segment is sealed");
            assertThat(WriterLock.current(r.store())).as("SIGTERM releases the lock").isNull();

            CliRun.Result status = CliRun.run("status", "--repo", repo, "--json");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            Document s = Document.parse(status.out());
            assertThat(s.getString("capture")).isEqualTo("stopped");
            assertThat(s.getList("gaps", Document.class)).as(() -> status + logs(runs)).isEmpty();
            assertThat(s.getList("windows", Document.class)).as(() -> status + logs(runs)).hasSize(1);
            List<SegmentName> segments = r.segmentNames();
            assertThat(LogCoverage.chains(segments)).as(() -> segments + "\n" + logs(runs)).hasSize(1);

            // Every write appears in the log exactly once, and no event twice (events of one transaction or
            // batch share a cluster time; each has its own resume token).
            Map<Integer, Integer> logged = new TreeMap<>();
            Set<org.bson.BsonDocument> tokens = new HashSet<>();
            List<ChangeEvent> duplicates = new ArrayList<>();
            Map<ClusterTime, SegmentName> segmentOf = new HashMap<>();
            Map<Integer, List<String>> loggedHistory = new TreeMap<>();
            List<String> split = new ArrayList<>();
            for (SegmentName name : segments) {
                for (ChangeEvent e : r.readSegment(name).events()) {
                    SegmentName holder = segmentOf.putIfAbsent(e.clusterTime(), name);
                    if (holder != null && !holder.equals(name)) {
                        split.add(e.clusterTime() + " in " + holder + " and " + name);
                    }
                    if (!tokens.add(e.resumeToken())) {
                        duplicates.add(e);
                    }
                    if (e.id() != null && e.id().asInt32().getValue() >= 0) {
                        logged.merge(e.id().asInt32().getValue(), 1, Integer::sum);
                        loggedHistory.computeIfAbsent(e.id().asInt32().getValue(), k -> new ArrayList<>())
                                .add(e.operation() + " at " + e.clusterTime() + " in " + name.name());
                    }
                }
            }
            assertThat(duplicates).as("events logged twice").isEmpty();
            assertThat(split).as("a segment boundary inside one cluster time").isEmpty();
            assertThat(logged).as(() -> "events per document, seed " + seed + "\n"
                            + differences(logged, writer, loggedHistory) + "segments " + segments + "\n" + logs(runs))
                    .isEqualTo(new TreeMap<>(writer.writes));

            CliRun.Result restored = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--at", end.toString(),
                    "--ns-from", "crash.*", "--ns-to", "crash_restored.*", "--quiet");
            assertThat(restored.exitCode()).as(restored.toString()).isZero();
            List<Document> live = all(docs);
            assertThat(all(client.getDatabase("crash_restored").getCollection("docs")))
                    .as("restore at %s, seed %d", end, seed).containsExactlyElementsOf(live);
            assertThat(writer.transactions).as("the writer committed transactions").isPositive();
            assertThat(writer.batchedDeletes).as("the writer deleted many at once").isPositive();
            System.out.printf("CaptureCrashTest: %d kills, %d writes (%d transactions, %d aborted, %d deleteMany),"
                    + " %d documents, %d segments%n", KILLS, writer.count, writer.transactions, writer.aborted,
                    writer.batchedDeletes, live.size(), segments.size());
        } finally {
            for (CaptureProcess p : runs) {
                p.close();
            }
        }
    }

    /** For each document whose count differs: what the writer did (with wall times) and what the log holds. */
    private static String differences(Map<Integer, Integer> logged, Writer writer, Map<Integer, List<String>> history) {
        StringBuilder b = new StringBuilder();
        Set<Integer> ids = new java.util.TreeSet<>(writer.writes.keySet());
        ids.addAll(logged.keySet());
        for (int id : ids) {
            if (!java.util.Objects.equals(logged.get(id), writer.writes.get(id))) {
                b.append("document ").append(id).append(": written ").append(writer.history.get(id))
                        .append("; logged ").append(history.get(id)).append('\n');
            }
        }
        return b.toString();
    }

    private static ClusterTime coveredTo(Repository r) {
        List<SegmentName> names = r.segmentNames();
        return names.isEmpty() ? null : names.get(names.size() - 1).to();
    }

    private static List<Document> all(MongoCollection<Document> c) {
        return c.find().sort(new Document("_id", 1)).batchSize(1000).into(new ArrayList<>());
    }

    private static String logs(List<CaptureProcess> runs) {
        StringBuilder b = new StringBuilder();
        runs.forEach(p -> b.append(p.logs()));
        return b.toString();
    }

    private static final java.util.concurrent.atomic.AtomicLong STAMPS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A document no earlier one equals (a stamp counts up): a replacement by an identical document
     * changes nothing, so mongod logs no oplog entry and streams no event for it.
     */
    static Document document(int id, int version, Random random) {
        return new Document("_id", id).append("version", version).append("stamp", STAMPS.incrementAndGet())
                .append("payload", "x".repeat(random.nextInt(200)));
    }

    /**
     * Inserts, updates, replaces and deletes documents with known ids, one at a time, many at once
     * and in transactions, counting the writes per document that reached the server for good.
     */
    static final class Writer implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Map<Integer, Integer> writes = new ConcurrentHashMap<>();
        final Map<Integer, List<String>> history = new ConcurrentHashMap<>();
        private final MongoClient client;
        private final MongoCollection<Document> docs;
        private final Random random;
        private final List<Integer> live = new ArrayList<>();
        private final Map<Integer, Integer> versions = new HashMap<>();
        private int nextId;
        volatile long count;
        volatile long transactions;
        volatile long aborted;
        volatile long batchedDeletes;

        Writer(MongoClient client, MongoCollection<Document> docs, long seed) {
            this.client = client;
            this.docs = docs;
            this.random = new Random(seed + 1);
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    step();
                    Thread.sleep(5 + random.nextInt(10));
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }

        private void step() {
            int roll = random.nextInt(100);
            if (live.size() >= 20 && roll >= 90) {
                transaction(roll >= 97);
                return;
            }
            if (live.size() >= 30 && roll >= 86) {
                deleteMany();
                return;
            }
            int id;
            String op;
            if (live.size() < 20 || roll < 35) {
                id = nextId++;
                docs.insertOne(document(id, 0, random));
                live.add(id);
                op = "insert";
            } else if (roll < 55) {
                id = live.get(random.nextInt(live.size()));
                int v = versions.merge(id, 1, Integer::sum);
                assertThat(docs.replaceOne(Filters.eq("_id", id), document(id, v, random)).getModifiedCount())
                        .as("replacing %d", id).isOne();
                op = "replace";
            } else if (roll < 70) {
                id = live.get(random.nextInt(live.size()));
                docs.updateOne(Filters.eq("_id", id), com.mongodb.client.model.Updates.inc("version", 1000));
                op = "update";
            } else {
                id = live.remove(random.nextInt(live.size()));
                docs.deleteOne(Filters.eq("_id", id));
                op = "delete";
            }
            wrote(id, op);
        }

        /** A few writes in one transaction: committed, or aborted (then none of them happened). */
        private void transaction(boolean abort) {
            List<Integer> touched = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            List<Integer> inserted = new ArrayList<>();
            List<Integer> removed = new ArrayList<>();
            try (var session = client.startSession()) {
                session.startTransaction();
                int n = 2 + random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    if (random.nextBoolean()) {
                        int id = nextId++;
                        docs.insertOne(session, document(id, 0, random));
                        inserted.add(id);
                        touched.add(id);
                        ops.add("txn insert");
                    } else {
                        int id = live.get(random.nextInt(live.size()));
                        if (removed.contains(id)) {
                            continue;
                        }
                        if (random.nextBoolean()) {
                            docs.updateOne(session, Filters.eq("_id", id), com.mongodb.client.model.Updates.inc("version", 1));
                            ops.add("txn update");
                        } else {
                            docs.deleteOne(session, Filters.eq("_id", id));
                            removed.add(id);
                            ops.add("txn delete");
                        }
                        touched.add(id);
                    }
                }
                if (abort) {
                    session.abortTransaction();
                    aborted++;
                    return;
                }
                session.commitTransaction();
            }
            live.addAll(inserted);
            live.removeAll(removed);
            for (int i = 0; i < touched.size(); i++) {
                wrote(touched.get(i), ops.get(i));
            }
            transactions++;
        }

        /** Deletes a run of live documents with one deleteMany: a batched delete on MongoDB 6.1+. */
        private void deleteMany() {
            List<Integer> victims = new ArrayList<>(live.subList(0, Math.min(live.size(), 8 + random.nextInt(20))));
            long n = docs.deleteMany(Filters.in("_id", victims)).getDeletedCount();
            assertThat(n).isEqualTo(victims.size());
            live.removeAll(victims);
            victims.forEach(id -> wrote(id, "deleteMany"));
            batchedDeletes++;
        }

        private void wrote(int id, String op) {
            writes.merge(id, 1, Integer::sum);
            history.computeIfAbsent(id, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(op + " by " + java.time.LocalTime.now());
            count++;
        }
    }
}
