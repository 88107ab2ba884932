package dev.rewind.diff;

import dev.rewind.repo.Documents;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.restore.PassSpill;
import java.util.function.Consumer;
import org.bson.RawBsonDocument;

/** Streams the documents of one collection of a snapshot, object by object: memory holds one object. */
final class SnapshotDocuments {
    private SnapshotDocuments() { }

    static void forEach(Repository repo, NamespaceSnapshot ns, Consumer<RawBsonDocument> sink) {
        forEach(repo, null, 0, ns, sink);
    }

    /** As above, with {@code spill} (when not null): only the documents of pass {@code partition}, each object read once for all passes. */
    static void forEach(Repository repo, PassSpill spill, int partition, NamespaceSnapshot ns,
                        Consumer<RawBsonDocument> sink) {
        for (ObjectRef ref : ns.objects()) {
            byte[] plain = spill == null ? repo.getObject(ref.hash()) : spill.documents(ref, partition);
            Documents.forEach(repo, ref.hash(), plain, sink);
        }
    }
}
