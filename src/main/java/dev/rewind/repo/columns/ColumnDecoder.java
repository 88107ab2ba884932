package dev.rewind.repo.columns;

import static dev.rewind.repo.columns.BsonColumns.FORM_VERSION;
import static dev.rewind.repo.columns.BsonColumns.MAX_COLUMNS;
import static dev.rewind.repo.columns.BsonColumns.MAX_DEPTH;
import static dev.rewind.repo.columns.BsonColumns.MAX_STRINGS;
import static dev.rewind.repo.columns.BsonColumns.fixedSize;
import static dev.rewind.repo.columns.BsonColumns.unzigzag;

import java.util.Arrays;

/** Reads a column form back into the documents it holds ({@link BsonColumns}); one per object. */
final class ColumnDecoder {
    private static final byte[][] INDEXES = new byte[1000][];

    static {
        for (int i = 0; i < INDEXES.length; i++) {
            INDEXES[i] = Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /** The field name of array element {@code i}. */
    private static byte[] index(int i) {
        return i < INDEXES.length ? INDEXES[i] : Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private final byte[] form;
    private final int limit;
    private int next;
    private byte[] out;
    private int outPos;
    private int structurePos;
    private int structureEnd;
    private byte[] types;
    private boolean[] arrayElement;
    private byte[][] names;
    private int[] valuePos;
    private int[] valueEnd;
    private long[] prevLong;
    private int[] prevCounter;
    private byte[][] prevMiddle;
    private int[][] stringAt;
    private int[] strings;

    ColumnDecoder(byte[] form, int plainLength) {
        this.form = form;
        this.limit = plainLength;
        // the output grows as it is written, so a wrong length allocates no more than the form makes
        this.out = new byte[(int) Math.min(plainLength, Math.max(1024, 4L * form.length))];
    }

    /** Makes room for {@code n} more bytes of output, never past the documents' length. */
    private void room(long n) {
        if (outPos + n > out.length) {
            if (outPos + n > limit) {
                throw new IllegalArgumentException("column form makes more than its documents' length");
            }
            out = Arrays.copyOf(out, (int) Math.min(limit, Math.max(2L * out.length, outPos + n)));
        }
    }

    byte[] run() {
        int p = 0;
        if (form.length == 0 || form[p++] != FORM_VERSION) {
            throw new IllegalArgumentException("unknown column form version");
        }
        long documents = varintAt(p);
        long count = varintAt(next);
        p = next;
        if (count > MAX_COLUMNS || documents > limit / 5) {
            throw new IllegalArgumentException("column form counts are out of range");
        }
        int n = (int) count;
        types = new byte[n];
        arrayElement = new boolean[n];
        names = new byte[n][];
        for (int i = 0; i < n; i++) {
            types[i] = form[p++];
            int flag = form[p++];
            if (flag != 0 && flag != 1) {
                throw new IllegalArgumentException("bad column flag");
            }
            arrayElement[i] = flag == 1;
            int len = length(p);
            p = next;
            names[i] = Arrays.copyOfRange(form, p, p + len);
            p += len;
            for (byte b : names[i]) {
                if (b == 0) {
                    throw new IllegalArgumentException("column name holds a NUL");
                }
            }
        }
        int structureLength = length(p);
        structurePos = next;
        structureEnd = structurePos + structureLength;
        p = structureEnd;
        valuePos = new int[n];
        valueEnd = new int[n];
        for (int i = 0; i < n; i++) {
            int len = length(p);
            valuePos[i] = next;
            valueEnd[i] = next + len;
            p = next + len;
        }
        if (p != form.length) {
            throw new IllegalArgumentException("column form has trailing bytes");
        }
        prevLong = new long[n];
        prevCounter = new int[n];
        prevMiddle = new byte[n][5];
        stringAt = new int[n][];
        strings = new int[n];
        for (long d = 0; d < documents; d++) {
            document(false, 0);
        }
        if (outPos != limit || out.length != limit || structurePos != structureEnd) {
            throw new IllegalArgumentException("column form does not come to its documents' length");
        }
        for (int i = 0; i < n; i++) {
            if (valuePos[i] != valueEnd[i]) {
                throw new IllegalArgumentException("column " + i + " has values left over");
            }
        }
        return out;
    }

    /** The length (a varint) at {@code p}, which must fit in what follows it; {@link #next} is then where that starts. */
    private int length(int p) {
        long v = varintAt(p);
        if (v > form.length - next) {
            throw new IllegalArgumentException("a length runs past the end of the column form");
        }
        return (int) v;
    }

    private void document(boolean array, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("documents nest too deeply");
        }
        room(4);
        int start = outPos;
        outPos += 4;
        int element = 0;
        while (true) {
            long id = structure();
            if (id == 0) {
                break;
            }
            int col = (int) id - 1;
            if (id > types.length || arrayElement[col] != array) {
                throw new IllegalArgumentException("structure names a column that does not fit");
            }
            byte type = types[col];
            byte[] name = array ? index(element) : names[col];
            room(2L + name.length);
            out[outPos++] = type;
            System.arraycopy(name, 0, out, outPos, name.length);
            outPos += name.length;
            out[outPos++] = 0;
            value(col, type, depth);
            element++;
        }
        room(1);
        out[outPos++] = 0;
        putInt32(start, outPos - start);
    }

    private long structure() {
        if (structurePos >= structureEnd) {
            throw new IllegalArgumentException("structure stream ends inside a document");
        }
        long v = varintAt(structurePos);
        if (next > structureEnd) {
            throw new IllegalArgumentException("structure stream ends inside a number");
        }
        structurePos = next;
        return v;
    }

    private void value(int col, byte type, int depth) {
        int fixed = fixedSize(type);
        if (fixed >= 0) {
            room(fixed);
            switch (type) {
                case 0x10 -> {
                    int v = (int) prevLong[col] + unzigzag((int) varint(col));
                    putInt32(outPos, v);
                    prevLong[col] = v;
                }
                case 0x09, 0x11, 0x12 -> {
                    long v = prevLong[col] + unzigzag(varint(col));
                    putInt32(outPos, (int) v);
                    putInt32(outPos + 4, (int) (v >>> 32));
                    prevLong[col] = v;
                }
                case 0x07 -> {
                    int seconds = (int) prevLong[col] + unzigzag((int) varint(col));
                    prevLong[col] = seconds;
                    for (int i = 0; i < 4; i++) {
                        out[outPos + i] = (byte) (seconds >>> (24 - 8 * i));
                    }
                    if (valueEnd[col] - valuePos[col] < 5) {
                        throw new IllegalArgumentException("column " + col + " ends inside a value");
                    }
                    for (int i = 0; i < 5; i++) {
                        prevMiddle[col][i] ^= form[valuePos[col]++];
                        out[outPos + 4 + i] = prevMiddle[col][i];
                    }
                    int counter = (prevCounter[col] + unzigzag((int) varint(col))) & 0xFFFFFF;
                    prevCounter[col] = counter;
                    out[outPos + 9] = (byte) (counter >>> 16);
                    out[outPos + 10] = (byte) (counter >>> 8);
                    out[outPos + 11] = (byte) counter;
                }
                default -> copy(col, outPos, fixed);
            }
            outPos += fixed;
            return;
        }
        switch (type) {
            case 0x02, 0x0D, 0x0E -> string(col);
            case 0x05 -> {
                int n = size(col);
                room(5L + n);
                putInt32(outPos, n);
                copy(col, outPos + 4, n + 1);
                outPos += 5 + n;
            }
            case 0x0C -> {
                int n = size(col);
                room(16L + n);
                putInt32(outPos, n);
                copy(col, outPos + 4, n + 12);
                outPos += 4 + n + 12;
            }
            case 0x0F -> {
                int total = size(col);
                if (total < 4) {
                    throw new IllegalArgumentException("code with scope shorter than its length");
                }
                room(total);
                putInt32(outPos, total);
                copy(col, outPos + 4, total - 4);
                outPos += total;
            }
            case 0x0B -> {
                for (int strings = 0; strings < 2; strings++) {
                    byte b;
                    do {
                        if (valuePos[col] >= valueEnd[col]) {
                            throw new IllegalArgumentException("column " + col + " ends inside a regular expression");
                        }
                        b = form[valuePos[col]++];
                        room(1);
                        out[outPos++] = b;
                    } while (b != 0);
                }
            }
            case 0x03, 0x04 -> document(type == 0x04, depth + 1);
            default -> throw new IllegalArgumentException("unknown BSON type " + type + " in a column");
        }
    }

    /** A string: a number for one met before in this column, or 0 and the string itself. */
    private void string(int col) {
        long ref = varint(col);
        if (ref > 0) {
            if (ref > strings[col]) {
                throw new IllegalArgumentException("column " + col + " names a string it has not held");
            }
            int at = stringAt[col][(int) ref - 1];
            int n = int32At(at - 4);
            room(4L + n);
            System.arraycopy(out, at - 4, out, outPos, 4 + n);
            outPos += 4 + n;
            return;
        }
        int n = size(col);
        room(4L + n);
        putInt32(outPos, n);
        copy(col, outPos + 4, n);
        if (strings[col] < MAX_STRINGS) {
            if (stringAt[col] == null || stringAt[col].length == strings[col]) {
                stringAt[col] = Arrays.copyOf(stringAt[col] == null ? new int[0] : stringAt[col], Math.max(16, strings[col] * 2));
            }
            stringAt[col][strings[col]++] = outPos + 4;
        }
        outPos += 4 + n;
    }

    private int int32At(int p) {
        return (out[p] & 0xFF) | (out[p + 1] & 0xFF) << 8 | (out[p + 2] & 0xFF) << 16 | (out[p + 3] & 0xFF) << 24;
    }

    /** A length in a column: never negative, never near the 2 GiB limit. */
    private int size(int col) {
        long v = varint(col);
        if (v > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("column " + col + " holds a length out of range");
        }
        return (int) v;
    }

    private long varint(int col) {
        long v = varintAt(valuePos[col]);
        if (next > valueEnd[col]) {
            throw new IllegalArgumentException("column " + col + " ends inside a number");
        }
        valuePos[col] = next;
        return v;
    }

    private void copy(int col, int to, int n) {
        if (n < 0 || valueEnd[col] - valuePos[col] < n) {
            throw new IllegalArgumentException("column " + col + " ends inside a value");
        }
        System.arraycopy(form, valuePos[col], out, to, n);
        valuePos[col] += n;
    }

    private void putInt32(int p, int v) {
        out[p] = (byte) v;
        out[p + 1] = (byte) (v >>> 8);
        out[p + 2] = (byte) (v >>> 16);
        out[p + 3] = (byte) (v >>> 24);
    }

    /** The varint at {@code pos}; {@link #next} is then the position after it. */
    private long varintAt(int pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = form[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                next = pos;
                return v;
            }
        }
        throw new IllegalArgumentException("a number in the column form is too long");
    }

}
