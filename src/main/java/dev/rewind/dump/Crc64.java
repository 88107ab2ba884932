package dev.rewind.dump;

/**
 * The checksum a mongodump archive gives each namespace in its EOF header: CRC-64 with the ECMA-182
 * polynomial, bit-reflected, all ones in and out (what Go's {@code hash/crc64} computes with its ECMA
 * table; also known as CRC-64/XZ), over the bytes of every document of the namespace in order.
 */
final class Crc64 {
    private static final long POLY = 0xC96C5795D7870F42L;
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private long crc = ~0L;

    void update(byte[] b, int off, int len) {
        long c = crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(int) ((c ^ b[i]) & 0xFF)] ^ (c >>> 8);
        }
        crc = c;
    }

    /** The checksum so far, as the archive stores it (a signed 64-bit integer). */
    long value() {
        return ~crc;
    }
}
