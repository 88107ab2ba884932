package dev.rewind.sandbox;

import io.netty.buffer.ByteBuf;

/**
 * A document already encoded as BSON, for a reply that sends it as it is: a query's batch is encoded
 * while it is read, under the data lock (the stored documents change in place), instead of copied
 * there and encoded again on the way out. {@link Bson#write} writes its bytes where the document goes.
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

    /** The document of {@code length} bytes at {@code offset} of a batch's bytes. */
    public static EncodedDocument of(byte[] batch, int offset, int length) {
        return new EncodedDocument(batch, offset, length);
    }

    void writeTo(ByteBuf out) {
        out.writeBytes(bytes, offset, length);
    }

    /** The document, decoded (for logs). */
    @Override
    public String toString() {
        return Bson.decode(java.util.Arrays.copyOfRange(bytes, offset, offset + length)).toString();
    }
}
