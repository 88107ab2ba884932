package dev.rewind.dump;

import dev.rewind.event.ApplyResult;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.DocumentId;
import dev.rewind.event.NetEffect;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Documents;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.restore.LogPasses;
import dev.rewind.restore.PointInTimePlan;
import dev.rewind.restore.StateAt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * The documents of each collection as of a snapshot, or as of any time T: restore's "state at T"
 * (the newest snapshot before T, with the net effect of the log merged in, in as many passes over
 * the snapshot as {@code memoryDocs} allows) read into a stream instead of a server. The namespaces
 * are those that exist then, with their options and indexes then.
 */
public final class StateDocuments implements AutoCloseable {
    /** Receives one document's bytes. */
    public interface Sink {
        void accept(byte[] document) throws IOException;
    }

    private final Repository repo;
    private final SnapshotManifest snapshot;
    private final ClusterTime at;
    private final LogPasses log;
    private final List<NamespaceSnapshot> namespaces;
    private long inexact;
    private long unknown;

    private StateDocuments(Repository repo, SnapshotManifest snapshot, ClusterTime at, LogPasses log,
                           List<NamespaceSnapshot> namespaces) {
        this.repo = repo;
        this.snapshot = snapshot;
        this.at = at;
        this.log = log;
        this.namespaces = namespaces;
    }

    public static StateDocuments ofSnapshot(Repository repo, SnapshotManifest snapshot) {
        return new StateDocuments(repo, snapshot, null, null, snapshot.namespaces());
    }

    /** The state after every event at or before {@code at}; refused (with the windows) outside every window. */
    public static StateDocuments at(Repository repo, ClusterTime at, long memoryDocs) {
        PointInTimePlan plan = PointInTimePlan.of(repo.snapshots(), repo.segmentNames(), at);
        LogPasses log = LogPasses.plan(repo, plan.segments(), plan.snapshot(), at, memoryDocs);
        return new StateDocuments(repo, plan.snapshot(), at, log, log.namespacesAtTarget());
    }

    public SnapshotManifest snapshot() {
        return snapshot;
    }

    /** Deletes the temporary files of the passes, if any. */
    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }

    /** The time of the state, or null for a snapshot as it is. */
    public ClusterTime at() {
        return at;
    }

    public List<NamespaceSnapshot> namespaces() {
        return namespaces;
    }

    /** What the log could not tell exactly (the catalog's warnings). */
    public List<String> warnings() {
        return log == null ? List.of() : log.catalog().warnings();
    }

    /** Documents rebuilt from a later lookup (updateLookup), which may show later changes. */
    public long inexact() {
        return inexact;
    }

    /** Documents whose state could not be rebuilt, left out. */
    public long unknown() {
        return unknown;
    }

    /** Streams the documents of one namespace (one of {@link #namespaces}); returns how many. */
    public long documents(NamespaceSnapshot n, Sink sink) throws IOException {
        long count = 0;
        int passes = log == null ? 1 : log.partitions();
        for (int pass = 0; pass < passes; pass++) {
            StateAt state = log == null ? null : log.read().apply(pass);
            NetEffect effect = state == null ? null : state.effect(n.db(), n.collection());
            Set<DocumentId> seen = new HashSet<>();
            if (effect == null || !effect.baseDiscarded()) {
                for (ObjectRef ref : n.objects()) {
                    byte[] plain = log == null ? repo.getObject(ref.hash()) : log.documents(repo, ref, pass);
                    for (RawBsonDocument doc : Documents.in(repo, ref.hash(), plain)) {
                        if (passes > 1 && !state.holds(DocumentId.of(doc.get("_id")))) {
                            continue;
                        }
                        if (effect != null && effect.size() > 0) {
                            DocumentId id = DocumentId.of(doc.get("_id"));
                            if (effect.documents().containsKey(id)) {
                                seen.add(id);
                                count += emit(effect.resolve(id, doc), sink);
                                continue;
                            }
                        }
                        sink.accept(Documents.copy(doc).getByteBuffer().array());
                        count++;
                    }
                }
            }
            if (effect != null) {
                for (DocumentId id : effect.documents().keySet()) {
                    if (!seen.contains(id)) {
                        count += emit(effect.resolve(id, null), sink);
                    }
                }
            }
        }
        return count;
    }

    private int emit(ApplyResult r, Sink sink) throws IOException {
        if (r.isUnknown()) {
            unknown++;
            return 0;
        }
        if (r.status() == ApplyResult.Status.INEXACT) {
            inexact++;
        }
        if (r.isAbsent()) {
            return 0;
        }
        ByteBuffer b = new RawBsonDocument(r.state(), new BsonDocumentCodec()).getByteBuffer().asNIO();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        sink.accept(bytes);
        return 1;
    }
}
