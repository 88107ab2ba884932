package dev.rewind.restore;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.mongo.Catalog;
import dev.rewind.repo.Documents;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.repo.StoredFile;
import dev.rewind.snapshot.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import dev.rewind.event.ApplyResult;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.DocumentId;
import dev.rewind.event.NetEffect;
import java.util.HashSet;
import java.util.Set;
import org.bson.Document;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.RawBsonDocument;

/**
 * Carries out a {@link RestorePlan}: checks first that every object is present and every target is
 * empty (or {@code --drop} was given), then creates each collection with its options, streams its
 * objects in order and inserts unordered batches on several threads, and creates the indexes after
 * the data. If anything fails, the collections it wrote are dropped again, so nothing partial is
 * left behind.
 */
public final class RestoreExecutor {
    private final Repository repo;
    private final MongoClient target;
    private final int threads;
    private final Progress progress;
    private final LogPasses log;
    private ClusterTime at;
    private int resumed;

    public RestoreExecutor(Repository repo, MongoClient target, int threads, Progress progress) {
        this(repo, target, threads, progress, null);
    }

    /** A restore that merges the net effect of the log into the snapshot, in as many passes as {@code log} plans. */
    public RestoreExecutor(Repository repo, MongoClient target, int threads, Progress progress, LogPasses log) {
        this.repo = repo;
        this.target = target;
        this.threads = Math.max(1, threads);
        this.progress = progress;
        this.log = log;
    }

    /** What a restore did, per namespace; {@code inexact} documents came from a later lookup, {@code unknown} could not be rebuilt. */
    public record Restored(String sourceNs, String targetNs, long documents, int indexes, long inexact, long unknown) { }

    /** The target time of a restore --at (part of what makes a rerun the same restore); null for a snapshot. */
    public RestoreExecutor at(ClusterTime t) {
        this.at = t;
        return this;
    }

    /**
     * Restores the plan through staging names ({@link RestoreStaging}): an interrupted run leaves no
     * partly filled target, and running the same restore again finishes it. If the repository turns
     * out to be damaged half-way, what this run staged is dropped.
     */
    public List<Restored> execute(RestorePlan plan, boolean drop) throws InterruptedException {
        RestoreStaging staging = new RestoreStaging(target, plan, at);
        if (staging.publishing()) {
            return publish(plan, drop, staging, true, new ArrayList<>(), null);
        }
        staging.dropLeftovers(false);
        preflight(plan, drop);
        List<Restored> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "restore-insert");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int n = 0; n < plan.items().size(); n++) {
                RestorePlan.Item item = plan.items().get(n);
                if (!RestoreStaging.staged(item)) {
                    continue;
                }
                if (staging.isReady(n)) {
                    results.add(resumed(item, staging.ready(n)));
                    continue;
                }
                results.add(fill(item, plan, staging.filling(n), pool));
                staging.rename(item.targetDb(), staging.filling(n), staging.ready(n), false);
            }
            staging.markPublishing();
            return publish(plan, drop, staging, false, results, pool);
        } catch (RuntimeException | InterruptedException | Error e) {
            pool.shutdownNow();
            // let inserts already on the wire finish, or they would re-create what the clean-up drops
            boolean idle = pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
            if (!staging.publishing()) {
                staging.dropLeftovers(true);
            } else {
                e.addSuppressed(new IllegalStateException("run the same restore again to finish publishing"));
            }
            if (!idle) {
                e.addSuppressed(new IllegalStateException("inserts still running after the clean-up"));
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Moves every staged collection to its target, then writes the time-series collections and the
     * views at theirs, and removes the marker. {@code resuming}: an earlier run had begun this, so a
     * target it already published is kept, and a time-series collection or view it may have begun is
     * written again.
     */
    private List<Restored> publish(RestorePlan plan, boolean drop, RestoreStaging staging, boolean resuming,
                                   List<Restored> results, ExecutorService given) throws InterruptedException {
        ExecutorService pool = given != null ? given : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "restore-insert");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int n = 0; n < plan.items().size(); n++) {
                RestorePlan.Item item = plan.items().get(n);
                if (!RestoreStaging.staged(item)) {
                    continue;
                }
                if (staging.isReady(n)) {
                    if (resuming) {
                        results.add(resumed(item, staging.ready(n)));
                    }
                    // preflight let through only an absent or empty target without --drop: an empty one is replaced
                    Catalog catalog = new Catalog(target);
                    boolean replace = drop || (catalog.exists(item.targetDb(), item.targetCollection())
                            && !catalog.hasDocuments(item.targetDb(), item.targetCollection()));
                    staging.rename(item.targetDb(), staging.ready(n), item.targetCollection(), replace);
                } else if (resuming) {
                    results.add(resumed(item, item.targetCollection()));   // published by the earlier run
                }
            }
            List<RestorePlan.Item> direct = new ArrayList<>(plan.items().stream().filter(i -> !RestoreStaging.staged(i)).toList());
            direct.sort((a, b) -> Boolean.compare(isView(a), isView(b)));
            for (RestorePlan.Item item : direct) {
                if (drop || resuming) {
                    target.getDatabase(item.targetDb()).getCollection(item.targetCollection()).drop();
                }
                results.add(fill(item, plan, item.targetCollection(), pool));
            }
            staging.unmark();
            return results;
        } finally {
            if (given == null) {
                pool.shutdownNow();
            }
        }
    }

    /** How many collections the last execute found restored by an earlier, interrupted run of the same restore. */
    public int resumed() {
        return resumed;
    }

    /** What an earlier run restored into {@code collection}, counted there. */
    private Restored resumed(RestorePlan.Item item, String collection) {
        resumed++;
        long docs = target.getDatabase(item.targetDb()).getCollection(collection).countDocuments();
        return new Restored(item.source().ns(), item.targetNs(), docs, (int) item.source().indexes().stream()
                .filter(i -> !"_id_".equals(i.getString("name"))).count(), 0, 0);
    }

    private static boolean isView(RestorePlan.Item i) {
        return "view".equals(i.source().type());
    }

    private void preflight(RestorePlan plan, boolean drop) {
        Catalog catalog = new Catalog(target);
        List<String> occupied = new ArrayList<>();
        for (RestorePlan.Item item : plan.items()) {
            for (ObjectRef o : item.source().objects()) {
                String name = Repository.objectName(o.hash());
                long size;
                try {
                    size = repo.store().size(name);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (size < StoredFile.HEADER_SIZE) {
                    throw RewindException.corrupt("snapshot " + plan.snapshot().id() + " needs " + name
                                    + (size < 0 ? ", which is missing" : ", which is truncated") + "; nothing was restored",
                            "run 'rewind verify --repo " + repo.location() + "' to list every damaged file");
                }
            }
            if (!drop && catalog.exists(item.targetDb(), item.targetCollection())
                    && (isView(item) || catalog.hasDocuments(item.targetDb(), item.targetCollection()))) {
                occupied.add(item.targetNs());
            }
        }
        if (!occupied.isEmpty()) {
            throw new RewindException(ExitCode.TARGET_NOT_EMPTY, "the restore target already holds data: "
                    + String.join(", ", occupied.subList(0, Math.min(10, occupied.size())))
                    + (occupied.size() > 10 ? " and " + (occupied.size() - 10) + " more" : "") + "; nothing was restored",
                    "restore under other names (--ns-to or --to-db), or replace them with --drop");
        }
    }

    /** Creates {@code collection} in the item's target database as its source was, and fills it. */
    private Restored fill(RestorePlan.Item item, RestorePlan plan, String collection, ExecutorService pool)
            throws InterruptedException {
        MongoDatabase db = target.getDatabase(item.targetDb());
        if (!new Catalog(target).exists(item.targetDb(), collection)) {
            Document create = CreateCommand.of(item, plan);
            create.put("create", collection);
            db.runCommand(create);
        }
        if (isView(item)) {
            return new Restored(item.source().ns(), item.targetNs(), 0, 0, 0, 0);
        }
        MongoCollection<RawBsonDocument> coll = db.getCollection(collection, RawBsonDocument.class);
        Batches batches = new Batches(pool, coll, threads);
        long[] quality = new long[2];
        long documents = 0;
        boolean discarded = false;
        int passes = log == null ? 1 : log.partitions();
        for (int pass = 0; pass < passes; pass++) {
            StateAt state = log == null ? null : log.read().apply(pass);
            NetEffect effect = state == null ? null : state.effect(item.source().db(), item.source().collection());
            discarded = effect != null && effect.baseDiscarded();
            Set<DocumentId> seen = new HashSet<>();
            if (!discarded) {
                for (ObjectRef ref : item.source().objects()) {
                    byte[] plain = log == null ? repo.getObject(ref.hash()) : log.documents(repo, ref, pass);
                    for (RawBsonDocument doc : Documents.in(repo, ref.hash(), plain)) {
                        if (passes > 1 && !state.holds(DocumentId.of(doc.get("_id")))) {
                            continue;
                        }
                        documents++;
                        if (effect != null && effect.size() > 0) {
                            DocumentId id = DocumentId.of(doc.get("_id"));
                            if (effect.documents().containsKey(id)) {
                                seen.add(id);
                                batches.add(merged(effect.resolve(id, doc), quality));
                                continue;
                            }
                        }
                        batches.add(doc);
                        if (batches.submitted()) {
                            progress.update(item.targetNs(), documents, 0, item.source().documents());
                        }
                    }
                }
            }
            if (effect != null) {
                for (DocumentId id : effect.documents().keySet()) {
                    if (!seen.contains(id)) {
                        batches.add(merged(effect.resolve(id, null), quality));
                    }
                }
            }
        }
        long inserted = batches.finish();
        if (log == null && inserted != item.source().documents()) {
            throw RewindException.corrupt("restored " + inserted + " documents into " + item.targetNs() + " but snapshot "
                    + "lists " + item.source().documents(), "run: " + dev.rewind.Shell.rewind("verify", "--repo", repo.location(), "--read-data"));
        }
        progress.update(item.targetNs(), inserted, 0, inserted);
        int indexes = createIndexes(db, item, collection);
        return new Restored(item.source().ns(), item.targetNs(), inserted, indexes, quality[0], quality[1]);
    }

    /** The document to write for a merged state, or null when it is absent at the target time. */
    private static RawBsonDocument merged(ApplyResult r, long[] quality) {
        if (r.isUnknown()) {
            quality[1]++;
            return null;
        }
        if (r.status() == ApplyResult.Status.INEXACT) {
            quality[0]++;
        }
        return r.isAbsent() ? null : new RawBsonDocument(r.state(), new BsonDocumentCodec());
    }

    private static int createIndexes(MongoDatabase db, RestorePlan.Item item, String collection) {
        List<Document> specs = CreateCommand.indexSpecs(item.source().indexes());
        if (!specs.isEmpty()) {
            db.runCommand(new Document("createIndexes", collection).append("indexes", specs));
        }
        return specs.size();
    }


}
