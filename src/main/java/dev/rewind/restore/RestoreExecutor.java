package dev.rewind.restore;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.mongo.Catalog;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.repo.StoredFile;
import dev.rewind.snapshot.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import dev.rewind.event.ApplyResult;
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

    public List<Restored> execute(RestorePlan plan, boolean drop) throws InterruptedException {
        preflight(plan, drop);
        List<RestorePlan.Item> written = new ArrayList<>();
        List<Restored> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "restore-insert");
            t.setDaemon(true);
            return t;
        });
        try {
            List<RestorePlan.Item> ordered = new ArrayList<>(plan.items());
            ordered.sort((a, b) -> Boolean.compare(isView(a), isView(b)));
            for (RestorePlan.Item item : ordered) {
                written.add(item);
                results.add(restore(item, plan, drop, pool));
            }
            return results;
        } catch (RuntimeException | InterruptedException | Error e) {
            pool.shutdownNow();
            // let inserts already on the wire finish, or they would re-create what the clean-up drops
            boolean idle = pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
            cleanUp(written);
            if (!idle) {
                e.addSuppressed(new IllegalStateException("inserts still running after the clean-up"));
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
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

    private Restored restore(RestorePlan.Item item, RestorePlan plan, boolean drop, ExecutorService pool) throws InterruptedException {
        MongoDatabase db = target.getDatabase(item.targetDb());
        if (drop) {
            db.getCollection(item.targetCollection()).drop();
        }
        if (!new Catalog(target).exists(item.targetDb(), item.targetCollection())) {
            db.runCommand(CreateCommand.of(item, plan));
        }
        if (isView(item)) {
            return new Restored(item.source().ns(), item.targetNs(), 0, 0, 0, 0);
        }
        MongoCollection<RawBsonDocument> coll = db.getCollection(item.targetCollection(), RawBsonDocument.class);
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
                    byte[] plain = repo.getObject(ref.hash());
                    ByteBuffer buf = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
                    int pos = 0;
                    while (pos < plain.length) {
                        int len = buf.getInt(pos);
                        if (len < 5 || pos + len > plain.length) {
                            throw RewindException.corrupt("object " + ref.hash() + " holds a malformed document",
                                    "run: " + dev.rewind.Shell.rewind("verify", "--repo", repo.location(), "--read-data"));
                        }
                        RawBsonDocument doc = new RawBsonDocument(plain, pos, len);
                        pos += len;
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
        int indexes = createIndexes(db, item);
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

    private static int createIndexes(MongoDatabase db, RestorePlan.Item item) {
        List<Document> specs = new ArrayList<>();
        for (Document index : item.source().indexes()) {
            if ("_id_".equals(index.getString("name"))) {
                continue;
            }
            Document spec = new Document(index);
            spec.remove("v");
            spec.remove("ns");
            specs.add(spec);
        }
        if (!specs.isEmpty()) {
            db.runCommand(new Document("createIndexes", item.targetCollection()).append("indexes", specs));
        }
        return specs.size();
    }

    private void cleanUp(List<RestorePlan.Item> written) {
        for (RestorePlan.Item item : written) {
            try {
                target.getDatabase(item.targetDb()).getCollection(item.targetCollection()).drop();
            } catch (RuntimeException ignored) {
                // best effort: the original error matters more
            }
        }
    }

}
