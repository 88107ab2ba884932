package dev.rewind.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.restore.RestoreExecutor;
import dev.rewind.restore.RestorePlan;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.snapshot.Progress;
import dev.rewind.snapshot.SnapshotTaker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bson.Document;
import org.bson.RawBsonDocument;

/**
 * The foundation benchmark: on an in-memory sandbox, compares a raw driver scan with a snapshot, a
 * single-threaded insertMany with a restore, and the stored bytes with the raw BSON bytes.
 */
public final class SnapshotBench {
    private final int documents;
    private final int threads;
    private final PrintWriter out;

    public SnapshotBench(int documents, int threads, PrintWriter out) {
        this.documents = documents;
        this.threads = threads;
        this.out = out;
    }

    public void run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rewind-bench");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            out.printf(Locale.ROOT, "sandbox (in memory), %,d family documents, %d restore threads%n", documents, threads);
            // 1. raw insertMany, one thread, batches of 1,000: the baseline for restore (and it loads the data)
            List<List<Document>> batches = new ArrayList<>();
            Families gen = new Families(42);
            for (int i = 0; i < documents; i += 1000) {
                List<Document> b = new ArrayList<>(1000);
                for (int j = i; j < Math.min(documents, i + 1000); j++) {
                    b.add(gen.next());
                }
                batches.add(b);
            }
            MongoCollection<Document> family = client.getDatabase("bench").getCollection("family");
            long t0 = System.nanoTime();
            for (List<Document> b : batches) {
                family.insertMany(b);
            }
            double insertRate = rate(documents, t0);
            batches.clear();

            // 2. raw driver scan, the baseline for snapshot
            long rawBytes = 0;
            t0 = System.nanoTime();
            long n = 0;
            for (RawBsonDocument d : client.getDatabase("bench").getCollection("family", RawBsonDocument.class)
                    .find().batchSize(1000)) {
                rawBytes += d.getByteBuffer().remaining();
                n++;
            }
            double scanRate = rate(n, t0);

            // 3. snapshot
            Repository repo = Repository.init(new LocalStore(dir.resolve("repo")));
            t0 = System.nanoTime();
            SnapshotManifest m = new SnapshotTaker(repo, client, sandbox.uri(), Progress.NONE).take(List.of());
            double snapshotRate = rate(m.documents(), t0);

            // 4. restore into another database
            t0 = System.nanoTime();
            new RestoreExecutor(repo, client, threads, Progress.NONE)
                    .execute(RestorePlan.of(m, "bench.*", "bench_restored.*", null), false);
            double restoreRate = rate(m.documents(), t0);

            out.printf(Locale.ROOT, "raw driver scan      %,12.0f docs/s%n", scanRate);
            out.printf(Locale.ROOT, "snapshot             %,12.0f docs/s   %.2fx raw scan (target >= 0.9x)%n",
                    snapshotRate, snapshotRate / scanRate);
            out.printf(Locale.ROOT, "raw insertMany (1t)  %,12.0f docs/s%n", insertRate);
            out.printf(Locale.ROOT, "restore (%dt)         %,12.0f docs/s   %.2fx insertMany (target >= 1.5x)%n",
                    threads, restoreRate, restoreRate / insertRate);
            out.printf(Locale.ROOT, "raw BSON %,d bytes (%.0f B/doc), stored %,d bytes: %.2fx (target <= 0.4x)%n",
                    rawBytes, (double) rawBytes / n, m.storedBytes(), (double) m.storedBytes() / rawBytes);
            out.flush();
        } finally {
            deleteTree(dir);
        }
    }

    private static double rate(long n, long t0) {
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
