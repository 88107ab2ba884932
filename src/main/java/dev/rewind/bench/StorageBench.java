package dev.rewind.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.crypto.KeyFile;
import dev.rewind.repo.crypto.Secret;
import dev.rewind.repo.store.ByteStore;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.restore.RestoreExecutor;
import dev.rewind.restore.RestorePlan;
import dev.rewind.retention.Prune;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.snapshot.Progress;
import dev.rewind.snapshot.SnapshotTaker;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.bson.Document;

/**
 * {@code rewind bench storage}: snapshot and restore throughput into a local folder, an encrypted
 * local folder and an S3 location (and encrypted on S3), with the process CPU time each took; and
 * prune's time per 10,000 unreferenced objects on a folder and on S3. The S3 location is any bucket
 * (a fresh prefix of it is used per run, and left behind); the tests' launcher runs it on S3Proxy.
 */
public final class StorageBench {
    private final int documents;
    private final int pruneObjects;
    private final String s3;
    private final PrintWriter out;

    public StorageBench(int documents, int pruneObjects, String s3, PrintWriter out) {
        this.documents = documents;
        this.pruneObjects = pruneObjects;
        this.s3 = s3;
        this.out = out;
    }

    public void run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rewind-bench-storage");
        String run = Long.toString(System.currentTimeMillis(), 36);
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            load(client);
            out.printf(Locale.ROOT, "sandbox (in memory), %,d family documents; S3: %s%n", documents, s3 == null ? "none" : s3);
            out.printf(Locale.ROOT, "%-22s %12s %12s %12s %12s%n", "repository", "snapshot/s", "cpu s", "restore/s", "cpu s");
            List<String[]> where = new ArrayList<>();
            where.add(new String[] {"local folder", dir.resolve("plain").toString(), "no"});
            where.add(new String[] {"local, encrypted", dir.resolve("enc").toString(), "yes"});
            if (s3 != null) {
                where.add(new String[] {"S3", sub(s3, "bench-" + run + "/plain"), "no"});
                where.add(new String[] {"S3, encrypted", sub(s3, "bench-" + run + "/enc"), "yes"});
            }
            int round = 0;
            for (String[] w : where) {
                ByteStore store = Repositories.store(w[1]);
                Repository repo = w[2].equals("yes")
                        ? Repository.init(store, Secret.password("bench password", "bench"), KeyFile.LOG_N) : Repository.init(store);
                long cpu0 = cpu();
                long t0 = System.nanoTime();
                SnapshotManifest m = new SnapshotTaker(repo, client, sandbox.uri(), Progress.NONE).take(List.of());
                double snap = m.documents() / secs(t0);
                double snapCpu = (cpu() - cpu0) / 1e9;
                cpu0 = cpu();
                t0 = System.nanoTime();
                new RestoreExecutor(repo, client, 4, Progress.NONE)
                        .execute(RestorePlan.of(m, "bench.*", "bench_r" + (round++) + ".*", null), false);
                double restore = m.documents() / secs(t0);
                double restoreCpu = (cpu() - cpu0) / 1e9;
                out.printf(Locale.ROOT, "%-22s %,12.0f %12.1f %,12.0f %12.1f%n", w[0], snap, snapCpu, restore, restoreCpu);
                out.flush();
            }
            out.printf(Locale.ROOT, "prune of %,d unreferenced objects (mark, list, delete):%n", pruneObjects);
            prune("local folder", () -> new LocalStore(dir.resolve("prune")));
            if (s3 != null) {
                prune("S3", () -> Repositories.store(sub(s3, "bench-" + run + "/prune")));
            }
        } finally {
            SnapshotBench.deleteTree(dir);
        }
    }

    private void load(MongoClient client) {
        MongoCollection<Document> family = client.getDatabase("bench").getCollection("family");
        Families gen = new Families(42);
        for (int i = 0; i < documents; i += 1000) {
            List<Document> b = new ArrayList<>(1000);
            for (int j = i; j < Math.min(documents, i + 1000); j++) {
                b.add(gen.next());
            }
            family.insertMany(b);
        }
    }

    private void prune(String label, Supplier<ByteStore> store) {
        Repository repo = Repository.init(store.get());
        for (int i = 0; i < pruneObjects; i++) {
            repo.putObject(ByteBuffer.allocate(64).putInt(i).array());
        }
        repo.snapshots();   // (a barrier: the uploads are done)
        long t0 = System.nanoTime();
        Prune.Result r = new Prune(repo).run(true);
        double s = secs(t0);
        out.printf(Locale.ROOT, "  %-20s %,d objects deleted in %.2f s = %.2f s per 10,000%n", label, r.objectsDeleted(), s,
                s * 10_000 / Math.max(1, r.objectsDeleted()));
        out.flush();
    }

    static String sub(String s3, String prefix) {
        int q = s3.indexOf('?');
        String base = q < 0 ? s3 : s3.substring(0, q);
        String query = q < 0 ? "" : s3.substring(q);
        return (base.endsWith("/") ? base : base + "/") + prefix + query;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The process's CPU time in ns (all threads, the sandbox's included). */
    private static long cpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
