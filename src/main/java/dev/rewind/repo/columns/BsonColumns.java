package dev.rewind.repo.columns;

import java.util.Arrays;

/**
 * The column form of an object (docs/FORMAT.md, "Object columns"): the same documents, byte for
 * byte, rearranged so that zstd sees like next to like. Every field of every document is a column,
 * named by its parent column, BSON type and name (every element of an array shares one column per
 * type); a structure stream lists, document by document, which column each element is in, and each
 * column holds its values one after the other. Documents of one shape give the same structure, so
 * it compresses to almost nothing, and a field's values sit together: {@code _id}s taken in order,
 * counters and dates are stored as differences from the value before.
 *
 * <p>{@link #encode} returns null for anything it does not hold exactly (a byte run that is not
 * whole BSON documents, an unknown type, a non-canonical array index, more than
 * {@value #MAX_COLUMNS} columns); the caller then stores the plain bytes. {@link #decode} throws
 * {@link IllegalArgumentException} for a form that does not read whole.
 */
public final class BsonColumns {
    public static final int MAX_COLUMNS = 1024;
    static final byte FORM_VERSION = 1;
    static final int MAX_DEPTH = 200;
    /** How many distinct strings a column remembers, to write a repeat as its number. */
    static final int MAX_STRINGS = 1 << 14;

    private BsonColumns() { }

    /** The column form of {@code plain}, or null when it is not whole BSON documents this form holds exactly. */
    public static byte[] encode(byte[] plain) {
        try {
            ColumnEncoder e = new ColumnEncoder(plain);
            return e.run();
        } catch (ColumnEncoder.Unsupported u) {
            return null;
        }
    }

    /** The documents of a column form, which must come to exactly {@code plainLength} bytes. */
    public static byte[] decode(byte[] form, int plainLength) {
        try {
            return new ColumnDecoder(form, plainLength).run();
        } catch (IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("column form is cut short or malformed");
        }
    }

    /** How a value of each BSON type is laid out in its column. */
    static int fixedSize(byte type) {
        return switch (type) {
            case 0x01, 0x09, 0x11, 0x12 -> 8;
            case 0x07 -> 12;
            case 0x08 -> 1;
            case 0x10 -> 4;
            case 0x13 -> 16;
            case 0x06, 0x0A, 0x7F, (byte) 0xFF -> 0;
            default -> -1;
        };
    }

    static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    static int zigzag(int v) {
        return (v << 1) ^ (v >> 31);
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static int unzigzag(int v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static int signed24(int v) {
        return (v << 8) >> 8;
    }
}
