package dev.rewind.repo;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Cuts a stream of BSON documents into objects at boundaries chosen by content, never inside a
 * document (docs/FORMAT.md, "Chunking"). After each document the chunk is cut when it has at
 * least {@code min} bytes and the document's CRC-32C, read as a fraction of 2^32, is below
 * {@code documentSize / target}: each byte past {@code min} has the same chance to end a chunk, so
 * chunks average about {@code min + target} bytes whatever the document sizes, and a candidate
 * cut depends only on the document before it. Inserting or changing one document therefore
 * changes the chunk that holds it and, in about 1-2% of cases (when the minimum moves a cut),
 * one or two neighbours. A chunk is always cut at {@code max} bytes.
 */
public final class Chunker {
    /** Receives each finished chunk: the concatenated documents and how many there are. */
    public interface Sink {
        void accept(byte[] chunk, int documents);
    }

    public static final int DEFAULT_TARGET = 64 * 1024;
    public static final int DEFAULT_MIN = 16 * 1024;
    public static final int DEFAULT_MAX = 256 * 1024;

    private final int target;
    private final int min;
    private final int max;
    private final Sink sink;
    private final CRC32C crc = new CRC32C();
    private byte[] buffer;
    private int size;
    private int documents;

    public Chunker(int target, int min, int max, Sink sink) {
        if (min > target || target > max || min <= 0) {
            throw new IllegalArgumentException("need 0 < min <= target <= max");
        }
        this.target = target;
        this.min = min;
        this.max = max;
        this.sink = sink;
        this.buffer = new byte[Math.min(max, 1 << 20) + 1024];
    }

    /** Adds one whole BSON document (its bytes from position to limit). */
    public void add(ByteBuffer document) {
        int length = document.remaining();
        if (size > 0 && size + length > max) {
            cut();
        }
        ensure(size + length);
        document.duplicate().get(buffer, size, length);
        crc.reset();
        crc.update(buffer, size, length);
        size += length;
        documents++;
        if (size >= max || (size >= min && isBoundary(crc.getValue(), length))) {
            cut();
        }
    }

    /** Emits the last, partial chunk. */
    public void finish() {
        if (size > 0) {
            cut();
        }
    }

    private boolean isBoundary(long crc32, int length) {
        // crc32 / 2^32 < length / target  <=>  crc32 * target < length * 2^32
        return crc32 * target < ((long) length << 32);
    }

    private void cut() {
        sink.accept(Arrays.copyOf(buffer, size), documents);
        size = 0;
        documents = 0;
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
        }
    }
}
