package dev.rewind.repo;

import dev.rewind.RewindException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.bson.RawBsonDocument;

/** The BSON documents laid end to end in an object's plaintext (docs/FORMAT.md, "Objects"), read in place. */
public final class Documents {
    private Documents() { }

    /**
     * Hands each document of object {@code hash} to {@code sink}, a view over the same bytes; a length
     * that does not fit is the repository's damage, reported as CORRUPT naming the object.
     */
    public static void forEach(Repository repo, String hash, byte[] plain, Consumer<RawBsonDocument> sink) {
        forEach("object " + hash, "run: " + dev.rewind.Shell.rewind("verify", "--repo", repo.location(), "--read-data"),
                plain, sink);
    }

    /** As above for documents from anywhere: {@code where} and {@code hint} make the error of a length that does not fit. */
    public static void forEach(String where, String hint, byte[] plain, Consumer<RawBsonDocument> sink) {
        in(where, hint, plain).forEach(sink);
    }

    /**
     * The documents of object {@code hash}, for a loop (one that skips, or throws what its body throws);
     * a length that does not fit is CORRUPT naming the object, when the loop reaches it.
     */
    public static Iterable<RawBsonDocument> in(Repository repo, String hash, byte[] plain) {
        return in("object " + hash, "run: " + dev.rewind.Shell.rewind("verify", "--repo", repo.location(), "--read-data"), plain);
    }

    /** As above for documents from anywhere. */
    public static Iterable<RawBsonDocument> in(String where, String hint, byte[] plain) {
        ByteBuffer buf = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        return () -> new Iterator<>() {
            private int pos;

            @Override
            public boolean hasNext() {
                return pos < plain.length;
            }

            @Override
            public RawBsonDocument next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int len = pos + 4 <= plain.length ? buf.getInt(pos) : -1;
                if (len < 5 || len > plain.length - pos) {
                    throw RewindException.corrupt(where + " holds a malformed document", hint);
                }
                RawBsonDocument doc = new RawBsonDocument(plain, pos, len);
                pos += len;
                return doc;
            }
        };
    }

    /** A copy of {@code doc} with bytes of its own, so that keeping it does not keep the whole object it was read from. */
    public static RawBsonDocument copy(RawBsonDocument doc) {
        org.bson.ByteBuf buf = doc.getByteBuffer();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return new RawBsonDocument(bytes);
    }
}
