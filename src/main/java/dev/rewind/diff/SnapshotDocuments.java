package dev.rewind.diff;

import dev.rewind.RewindException;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.restore.PassSpill;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
            ByteBuffer buf = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
            int pos = 0;
            while (pos < plain.length) {
                int len = pos + 4 <= plain.length ? buf.getInt(pos) : -1;
                if (len < 5 || pos + len > plain.length) {
                    throw RewindException.corrupt("object " + ref.hash() + " holds a malformed document",
                            "run: " + dev.rewind.Shell.rewind("verify", "--repo", repo.location(), "--read-data"));
                }
                sink.accept(new RawBsonDocument(plain, pos, len));
                pos += len;
            }
        }
    }
}
