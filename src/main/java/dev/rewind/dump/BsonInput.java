package dev.rewind.dump;

import dev.rewind.RewindException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.bson.BsonBinaryReader;
import org.bson.BsonType;
import org.bson.io.ByteBufferBsonInput;
import org.bson.ByteBufNIO;

/**
 * Reads whole BSON documents one after another from a stream (a dump's {@code .bson} file, or an
 * archive), checking each: its length, that it is all there, and that every element is well formed.
 * A damaged document is an error that names the file and the byte offset where it starts.
 */
final class BsonInput {
    /** mongod's largest document (16 MiB) and the room the server allows on top of it for its own fields. */
    static final int MAX_SIZE = 16 * 1024 * 1024 + 16 * 1024;
    /** The four bytes that end a block in an archive, read where a document length would be. */
    static final int TERMINATOR = -1;

    private final InputStream in;
    private final String where;
    private final boolean check;
    private long offset;

    BsonInput(InputStream in, String where) {
        this(in, where, true);
    }

    /** With {@code check} false, documents are taken as whole and sound (files Rewind wrote itself). */
    BsonInput(InputStream in, String where, boolean check) {
        this.in = in;
        this.where = where;
        this.check = check;
    }

    void close() throws IOException {
        in.close();
    }

    long offset() {
        return offset;
    }

    /** The next document's bytes, or null at the end of the stream (between documents). */
    byte[] next() throws IOException {
        byte[] head = new byte[4];
        int n = in.readNBytes(head, 0, 4);
        if (n == 0) {
            return null;
        }
        return readAfterLength(head, n, false);
    }

    /** The next document, or {@code TERMINATOR_DOC} for a terminator; end of stream only where {@code endAllowed}. */
    byte[] nextOrTerminator(boolean endAllowed) throws IOException {
        byte[] head = new byte[4];
        int n = in.readNBytes(head, 0, 4);
        if (n == 0 && endAllowed) {
            return null;
        }
        if (n == 4 && ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() == TERMINATOR) {
            offset += 4;
            return TERMINATOR_DOC;
        }
        return readAfterLength(head, n, true);
    }

    static final byte[] TERMINATOR_DOC = new byte[0];

    private byte[] readAfterLength(byte[] head, int n, boolean archive) throws IOException {
        long start = offset;
        if (n < 4) {
            throw truncated(start);
        }
        int length = ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        if (length < 5 || length > MAX_SIZE) {
            throw corrupt(start, length + " is not a BSON document length" + (archive ? " nor an archive terminator" : ""));
        }
        byte[] doc = new byte[length];
        System.arraycopy(head, 0, doc, 0, 4);
        int read;
        try {
            read = in.readNBytes(doc, 4, length - 4);
        } catch (EOFException e) {
            throw truncated(start);
        }
        if (read < length - 4) {
            throw truncated(start);
        }
        offset += length;
        if (check) {
            check(doc, start);
        }
        return doc;
    }

    /** Walks every element, so that a damaged document fails here and not half-way through a write. */
    private void check(byte[] doc, long start) {
        if (doc[doc.length - 1] != 0) {
            throw corrupt(start, "the document does not end with a zero byte");
        }
        try (BsonBinaryReader r = new BsonBinaryReader(new ByteBufferBsonInput(new ByteBufNIO(ByteBuffer.wrap(doc))))) {
            walk(r);
        } catch (org.bson.BSONException | IllegalStateException
                 | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw corrupt(start, "malformed BSON (" + e.getMessage() + ")");
        }
    }

    private static void walk(BsonBinaryReader r) {
        r.readStartDocument();
        walkElements(r, false);
        r.readEndDocument();
    }

    /** Every element of the current document or array (whose elements' names the reader reads with their types). */
    private static void walkElements(BsonBinaryReader r, boolean array) {
        while (r.readBsonType() != BsonType.END_OF_DOCUMENT) {
            if (!array) {
                r.readName();
            }
            switch (r.getCurrentBsonType()) {
                case DOCUMENT -> walk(r);
                case ARRAY -> {
                    r.readStartArray();
                    walkElements(r, true);
                    r.readEndArray();
                }
                case STRING -> r.readString();
                default -> r.skipValue();
            }
        }
    }

    private RewindException truncated(long start) {
        return RewindException.corrupt(where + " ends in the middle of a document (at byte " + start + "): it is truncated",
                "the dump was cut short (a full disk, an interrupted copy or mongodump stopped): take it again, or copy it again");
    }

    RewindException corrupt(long start, String what) {
        return RewindException.corrupt(where + " is damaged at byte " + start + ": " + what,
                "take the dump again, or copy it again from where it is kept; nothing was written");
    }
}
