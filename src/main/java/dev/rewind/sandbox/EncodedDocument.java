package dev.rewind.sandbox;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.buffer.ByteBuf;

/**
 * A document already encoded as BSON, for a reply that sends it as it is: a query's batch is encoded
 * while it is read, under the data lock (the stored documents change in place), instead of copied
 * there and encoded again on the way out. The wire encoder writes its bytes where the document goes.
 */
public final class EncodedDocument {
    private final byte[] bytes;
    private final int offset;
    private final int length;

    private EncodedDocument(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /** Encodes {@code document} at the end of {@code into}; {@link #of} makes the result once the batch is complete. */
    public static int append(Document document, ByteBuf into) {
        int before = into.writerIndex();
        Bson.write(document, into);
        return into.writerIndex() - before;
    }

    /** The document of {@code length} bytes at {@code offset} of a batch's bytes. */
    public static EncodedDocument of(byte[] batch, int offset, int length) {
        return new EncodedDocument(batch, offset, length);
    }

    public int length() {
        return length;
    }

    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes, offset, length);
    }

    /** The document decoded again (for a caller inside the sandbox that reads a reply). */
    public Document decode() {
        return Bson.decode(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
    }

    @Override
    public String toString() {
        return decode().toString();
    }
}
