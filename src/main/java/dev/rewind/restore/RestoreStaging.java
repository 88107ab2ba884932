package dev.rewind.restore;

import com.mongodb.client.MongoClient;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.Catalog;
import dev.rewind.repo.Hash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * Where a restore writes before its targets exist, so that an interrupted restore can be finished or
 * redone by running it again, without {@code --drop} and without a partly filled target left behind.
 * Each collection is filled under a staging name in its target database,
 * {@code rewind.restoring.<key>.<n>}, and renamed {@code rewind.restored.<key>.<n>} once it holds all
 * its documents and indexes. When every collection is staged, the restore creates the marker
 * {@code rewind.publishing.<key>} in the first target database and renames each staged collection to
 * its target; the marker goes last. {@code key} is a hash of the plan (snapshot, target time, every
 * source and target), so only the same restore finds these names again:
 * <ul>
 * <li>with the marker present, the rerun finishes publishing;</li>
 * <li>without it, collections still filling are dropped and refilled, staged ones are kept.</li>
 * </ul>
 * Time-series collections (mongod cannot rename them) and views are written at their targets while
 * publishing.
 */
public final class RestoreStaging {
    static final String FILLING = "rewind.restoring.";
    static final String READY = "rewind.restored.";
    static final String MARKER = "rewind.publishing.";

    /** Whether {@code ns} is one of a restore's staging names (filling, staged, or the publishing marker). */
    public static boolean isStaging(dev.rewind.event.Namespace ns) {
        String c = ns == null ? null : ns.coll();
        return c != null && (c.startsWith(FILLING) || c.startsWith(READY) || c.startsWith(MARKER));
    }

    private final MongoClient target;
    private final RestorePlan plan;
    private final String key;

    RestoreStaging(MongoClient target, RestorePlan plan, ClusterTime at) {
        this.target = target;
        this.plan = plan;
        this.key = key(plan, at);
    }

    /** A short hash of what the restore is: the snapshot, the target time, every source and target. */
    static String key(RestorePlan plan, ClusterTime at) {
        StringBuilder s = new StringBuilder(plan.snapshot().id()).append('|').append(at);
        plan.items().forEach(i -> s.append('|').append(i.source().ns()).append('>').append(i.targetNs()));
        return Hash.sha256(s.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    /** Whether the item goes through a staging name (a collection; not a view or a time-series collection). */
    static boolean staged(RestorePlan.Item item) {
        return "collection".equals(item.source().type());
    }

    String filling(int n) {
        return FILLING + key + "." + n;
    }

    String ready(int n) {
        return READY + key + "." + n;
    }

    private String marker() {
        return MARKER + key;
    }

    private String markerDb() {
        return plan.items().get(0).targetDb();
    }

    boolean exists(String db, String collection) {
        return new Catalog(target).exists(db, collection);
    }

    /** Whether an earlier run of this restore had begun to publish. */
    boolean publishing() {
        return exists(markerDb(), marker());
    }

    void markPublishing() {
        target.getDatabase(markerDb()).createCollection(marker());
    }

    void unmark() {
        target.getDatabase(markerDb()).getCollection(marker()).drop();
    }

    /** Whether item {@code n} is staged whole by an earlier run. */
    boolean isReady(int n) {
        return exists(plan.items().get(n).targetDb(), ready(n));
    }

    /** Drops the collections an earlier run left filling (incomplete); with {@code all}, the staged ones too. */
    void dropLeftovers(boolean all) {
        for (int n = 0; n < plan.items().size(); n++) {
            RestorePlan.Item item = plan.items().get(n);
            if (staged(item)) {
                target.getDatabase(item.targetDb()).getCollection(filling(n)).drop();
                if (all) {
                    target.getDatabase(item.targetDb()).getCollection(ready(n)).drop();
                }
            }
        }
    }

    /** Renames {@code from} to {@code to} in database {@code db}, replacing {@code to} when {@code dropTarget}. */
    void rename(String db, String from, String to, boolean dropTarget) {
        target.getDatabase("admin").runCommand(new Document("renameCollection", db + "." + from)
                .append("to", db + "." + to).append("dropTarget", dropTarget));
    }

    /** The staging names this restore would use, for messages. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (int n = 0; n < plan.items().size(); n++) {
            if (staged(plan.items().get(n))) {
                out.add(plan.items().get(n).targetDb() + "." + ready(n));
            }
        }
        return out;
    }
}
