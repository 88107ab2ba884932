package dev.rewind.check;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.sandbox.Sandbox;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Benchmark of the reference check (not a test: run by hand, see docs/check.md).
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.rewind.check.CheckBench [CHILDREN [PARENTS]]
 * </pre>
 *
 * Loads PARENTS parents (default 100,000) and CHILDREN children (default 1,000,000) into the
 * embedded server, each child referencing a parent by {@code familyId}; deletes 1% of the parents;
 * then runs the check and prints time, documents/s and the peak heap. The heap figure covers the
 * whole process, so it includes the in-memory server holding the data set.
 */
public final class CheckBench {
    private CheckBench() { }

    public static void main(String[] args) {
        int children = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int parents = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            var db = client.getDatabase("bench");
            MongoCollection<Document> family = db.getCollection("family");
            MongoCollection<Document> child = db.getCollection("child");
            long t0 = System.nanoTime();
            List<ObjectId> ids = new ArrayList<>(parents);
            List<Document> batch = new ArrayList<>(1000);
            for (int i = 0; i < parents; i++) {
                ObjectId id = new ObjectId();
                ids.add(id);
                batch.add(new Document("_id", id).append("email", "family" + i + "@example.com").append("name", "Family " + i));
                if (batch.size() == 1000) {
                    family.insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                family.insertMany(batch);
                batch.clear();
            }
            for (int i = 0; i < children; i++) {
                batch.add(new Document("name", "child " + i).append("age", i % 12).append("familyId", ids.get(i % parents)));
                if (batch.size() == 1000) {
                    child.insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                child.insertMany(batch);
            }
            int deleted = parents / 100;
            family.deleteMany(new Document("_id", new Document("$in", ids.subList(0, deleted))));
            long expectedDangling = 0;
            for (int i = 0; i < children; i++) {
                if (i % parents < deleted) {
                    expectedDangling++;
                }
            }
            System.out.printf("loaded %,d parents and %,d children in %.1f s%n", parents, children, (System.nanoTime() - t0) / 1e9);

            System.gc();
            resetPeaks();
            long heapBefore = usedHeap();
            long start = System.nanoTime();
            RefsReport report = new ReferenceCheck(client).run("bench", "bench",
                    List.of(ReferenceRule.to(new Namespace("bench", "child"), "familyId", new Namespace("bench", "family"))));
            double seconds = (System.nanoTime() - start) / 1e9;
            RuleResult r = report.results().get(0);
            System.out.printf("reference check: %,d documents, %,d references, %,d dangling (expected %,d), %,d missing targets%n",
                    r.documents(), r.references(), r.dangling(), expectedDangling, r.missingTargets());
            System.out.printf("time %.1f s, %,.0f documents/s%n", seconds, r.documents() / seconds);
            System.out.printf("heap: %,d MiB used before the check (data set in the in-memory server), peak %,d MiB during it%n",
                    heapBefore >> 20, peakHeap() >> 20);

            long inferStart = System.nanoTime();
            List<ReferenceRule> inferred = new ReferenceInference(db).infer();
            System.out.printf("inference (1,000 sampled per collection): %s in %.1f s%n",
                    inferred.stream().map(ReferenceRule::describe).toList(), (System.nanoTime() - inferStart) / 1e9);
            if (r.dangling() != expectedDangling) {
                throw new AssertionError("dangling " + r.dangling() + " != expected " + expectedDangling);
            }
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The sum of the heap pools' peaks since the last reset (an upper bound of the true peak). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
