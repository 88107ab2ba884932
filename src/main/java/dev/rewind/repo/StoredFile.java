package dev.rewind.repo;

import com.github.luben.zstd.Zstd;
import dev.rewind.RewindException;
import dev.rewind.repo.columns.BsonColumns;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The envelope of every file in a repository (docs/FORMAT.md, "Stored files"): a 16-byte header
 * naming the codec and cipher, then the payload.
 *
 * <pre>
 * offset size  field
 * 0      4     magic "RWND"
 * 4      1     envelope version (1)
 * 5      1     codec: 0 = none, 1 = zstd, 2 = zstd of the documents' column form (objects only)
 * 6      1     cipher: 0 = none (reserved for authenticated encryption)
 * 7      1     reserved, 0
 * 8      4     plaintext length, big-endian unsigned
 * 12     4     CRC-32C of the payload (the bytes after the header), big-endian
 * 16     ...   payload
 * </pre>
 */
public final class StoredFile {
    public static final int HEADER_SIZE = 16;
    static final byte[] MAGIC = "RWND".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    public static final byte CODEC_NONE = 0;
    public static final byte CODEC_ZSTD = 1;
    /** zstd of an object's column form ({@link BsonColumns}); written in repositories of format version 2. */
    public static final byte CODEC_COLUMNS = 2;
    static final byte CIPHER_NONE = 0;
    static final int ZSTD_LEVEL = 3;

    private StoredFile() { }

    /** Wraps plaintext: zstd-compressed when that makes it smaller, stored as is otherwise. */
    public static byte[] encode(byte[] plaintext, boolean compress) {
        byte[] payload = plaintext;
        byte codec = CODEC_NONE;
        if (compress) {
            byte[] z = Zstd.compress(plaintext, ZSTD_LEVEL);
            if (z.length < plaintext.length) {
                payload = z;
                codec = CODEC_ZSTD;
            }
        }
        return envelope(plaintext.length, codec, payload);
    }

    /**
     * Wraps an object's plaintext (whole BSON documents): zstd of their column form when that form
     * holds them exactly, reads back to the same bytes and is smaller; otherwise as {@link #encode}.
     */
    public static byte[] encodeDocuments(byte[] plaintext) {
        byte[] form = BsonColumns.encode(plaintext);
        if (form != null && readsBack(form, plaintext)) {
            byte[] z = Zstd.compress(form, ZSTD_LEVEL);
            if (z.length < plaintext.length) {
                return envelope(plaintext.length, CODEC_COLUMNS, z);
            }
        }
        return encode(plaintext, true);
    }

    /** Whether the column form gives back exactly the plaintext: what is stored must read, whatever the codec's bugs. */
    private static boolean readsBack(byte[] form, byte[] plaintext) {
        try {
            return java.util.Arrays.equals(BsonColumns.decode(form, plaintext.length), plaintext);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] envelope(int plaintextLength, byte codec, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + payload.length);
        out.put(MAGIC).put(VERSION).put(codec).put(CIPHER_NONE).put((byte) 0);
        out.putInt(plaintextLength).putInt((int) crc.getValue()).put(payload);
        return out.array();
    }

    /**
     * Checks the header and the checksum, and returns the plaintext. Throws a CORRUPT
     * {@link RewindException} naming {@code name} when anything is off.
     */
    public static byte[] decode(String name, byte[] stored) {
        checkEnvelope(name, stored);
        ByteBuffer in = ByteBuffer.wrap(stored);
        byte codec = stored[5];
        int length = in.getInt(8);
        byte[] payload = java.util.Arrays.copyOfRange(stored, HEADER_SIZE, stored.length);
        if (codec == CODEC_NONE) {
            if (payload.length != length) {
                throw corrupt(name, "length mismatch");
            }
            return payload;
        }
        if (codec == CODEC_COLUMNS) {
            return columns(name, payload, length);
        }
        try {
            // the length field is outside the checksum: check it against the frame before allocating
            long frameSize = payload.length == 0 ? -1 : Zstd.getFrameContentSize(payload);
            if (frameSize != Integer.toUnsignedLong(length)) {
                throw corrupt(name, "length mismatch");
            }
            byte[] plain = Zstd.decompress(payload, length);
            if (plain.length != length) {
                throw corrupt(name, "decompressed length mismatch");
            }
            return plain;
        } catch (RuntimeException e) {
            if (e instanceof RewindException r) {
                throw r;
            }
            throw corrupt(name, "cannot decompress: " + e.getMessage());
        }
    }

    /** The documents of a column-form payload; the form's size is bounded before it is allocated. */
    private static byte[] columns(String name, byte[] payload, int length) {
        long formSize = payload.length == 0 ? -1 : Zstd.getFrameContentSize(payload);
        // a column form takes at most a few bytes more per element than the documents (BsonColumns)
        if (formSize < 0 || formSize > 3L * Integer.toUnsignedLong(length) + (1 << 20)) {
            throw corrupt(name, "column form size " + formSize + " does not fit " + Integer.toUnsignedLong(length) + " bytes of documents");
        }
        byte[] form;
        try {
            form = Zstd.decompress(payload, (int) formSize);
        } catch (RuntimeException e) {
            throw corrupt(name, "cannot decompress: " + e.getMessage());
        }
        if (form.length != formSize) {
            throw corrupt(name, "decompressed length mismatch");
        }
        try {
            return BsonColumns.decode(form, length);
        } catch (IllegalArgumentException e) {
            throw corrupt(name, "its column form does not read: " + e.getMessage());
        }
    }

    /** Checks magic, versions and the payload checksum without decompressing. */
    public static void checkEnvelope(String name, byte[] stored) {
        if (stored.length < HEADER_SIZE) {
            throw corrupt(name, "shorter than its header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (stored[i] != MAGIC[i]) {
                throw corrupt(name, "not a Rewind file (bad magic)");
            }
        }
        if (stored[4] != VERSION) {
            throw corrupt(name, "unknown envelope version " + stored[4]);
        }
        if (stored[5] != CODEC_NONE && stored[5] != CODEC_ZSTD && stored[5] != CODEC_COLUMNS) {
            throw corrupt(name, "unknown codec " + stored[5]);
        }
        if (stored[6] != CIPHER_NONE) {
            throw corrupt(name, "encrypted with cipher " + stored[6] + ", which this version cannot read");
        }
        if (stored[7] != 0) {
            throw corrupt(name, "reserved header byte is " + stored[7] + ", not 0");
        }
        CRC32C crc = new CRC32C();
        crc.update(stored, HEADER_SIZE, stored.length - HEADER_SIZE);
        int expected = ByteBuffer.wrap(stored).getInt(12);
        if ((int) crc.getValue() != expected) {
            throw corrupt(name, "checksum mismatch");
        }
    }

    static RewindException corrupt(String name, String why) {
        return RewindException.corrupt("corrupt repository file " + name + ": " + why,
                "run 'rewind verify --read-data' to list every damaged file; restore from another copy of the repository");
    }
}
