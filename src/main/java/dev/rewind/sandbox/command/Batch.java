package dev.rewind.sandbox.command;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.Bson;
import dev.rewind.sandbox.EncodedDocument;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * A cursor batch's documents, encoded one after the other into one buffer as they are added, and
 * no more than fit in 16 MiB, though always one (mongod's {@code FindCommon::haveSpaceForNext};
 * MongoDB manual, "Cursors", "Cursor Batches").
 */
final class Batch {
    private static final int BATCH_BYTES = 16 * 1024 * 1024;

    private final ByteBuf bytes = Unpooled.buffer(64 * 1024);
    private final List<Integer> lengths = new ArrayList<>();
    boolean full;

    int size() {
        return lengths.size();
    }

    /** Adds the document unless the batch holds some and it would take them past 16 MiB. */
    boolean add(Document d) {
        int before = bytes.writerIndex();
        Bson.write(d, bytes);
        if (!lengths.isEmpty() && bytes.writerIndex() > BATCH_BYTES) {
            bytes.writerIndex(before);
            full = true;
            return false;
        }
        lengths.add(bytes.writerIndex() - before);
        return true;
    }

    /** Adds the document whatever the size (and ends the batch once past 16 MiB). */
    void addAnyway(Document d) {
        int before = bytes.writerIndex();
        Bson.write(d, bytes);
        lengths.add(bytes.writerIndex() - before);
        full |= bytes.writerIndex() >= BATCH_BYTES;
    }

    List<Object> documents() {
        byte[] all = new byte[bytes.writerIndex()];
        bytes.getBytes(0, all);
        List<Object> out = new ArrayList<>(lengths.size());
        int offset = 0;
        for (int length : lengths) {
            out.add(EncodedDocument.of(all, offset, length));
            offset += length;
        }
        return out;
    }
}
