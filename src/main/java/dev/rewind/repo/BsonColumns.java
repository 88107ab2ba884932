package dev.rewind.repo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
final class BsonColumns {
    static final int MAX_COLUMNS = 1024;
    static final byte FORM_VERSION = 1;
    private static final int MAX_DEPTH = 200;
    /** How many distinct strings a column remembers, to write a repeat as its number. */
    static final int MAX_STRINGS = 1 << 14;

    private BsonColumns() { }

    /** The column form of {@code plain}, or null when it is not whole BSON documents this form holds exactly. */
    static byte[] encode(byte[] plain) {
        try {
            Encoder e = new Encoder(plain);
            return e.run();
        } catch (Unsupported u) {
            return null;
        }
    }

    /** The documents of a column form, which must come to exactly {@code plainLength} bytes. */
    static byte[] decode(byte[] form, int plainLength) {
        try {
            return new Decoder(form, plainLength).run();
        } catch (IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("column form is cut short or malformed");
        }
    }

    /** How a value of each BSON type is laid out in its column. */
    private static int fixedSize(byte type) {
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

    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private record Key(int parent, byte type, String name) { }

    /** One column as the encoder builds it. */
    private static final class Column {
        final int parent;
        final byte type;
        final boolean arrayElement;
        final byte[] name;
        final Sink values = new Sink(256);
        int nextGuess = -1;
        long prevLong;
        int prevCounter;
        final byte[] prevMiddle = new byte[5];
        StringTable strings;

        Column(int parent, byte type, boolean arrayElement, byte[] name) {
            this.parent = parent;
            this.type = type;
            this.arrayElement = arrayElement;
            this.name = name;
        }
    }

    private static final class Encoder {
        private final byte[] in;
        private final List<Column> columns = new ArrayList<>();
        private final Map<Key, Integer> index = new HashMap<>();
        /** Per parent column (+1; 0 is the top level), the column its first element was in last time. */
        private final int[] firstGuess = filled(MAX_COLUMNS + 1);
        private final Sink structure;
        private int documents;

        Encoder(byte[] in) {
            this.in = in;
            this.structure = new Sink(Math.max(64, in.length / 16));
        }

        byte[] run() {
            int pos = 0;
            while (pos < in.length) {
                pos = document(pos, in.length, -1, false, 0);
                documents++;
            }
            Sink out = new Sink(in.length / 2 + 64);
            out.write(FORM_VERSION);
            out.varint(documents);
            out.varint(columns.size());
            for (Column c : columns) {
                out.write(c.type);
                out.write(c.arrayElement ? 1 : 0);
                out.varint(c.name.length);
                out.write(c.name, 0, c.name.length);
            }
            out.varint(structure.size);
            out.write(structure.bytes, 0, structure.size);
            for (Column c : columns) {
                out.varint(c.values.size);
                out.write(c.values.bytes, 0, c.values.size);
            }
            return out.toArray();
        }

        /** Reads the document at {@code pos} (which must end by {@code limit}); returns the position after it. */
        private int document(int pos, int limit, int parent, boolean array, int depth) {
            if (depth > MAX_DEPTH || limit - pos < 5) {
                throw new Unsupported();
            }
            int length = int32(pos);
            if (length < 5 || length > limit - pos || in[pos + length - 1] != 0) {
                throw new Unsupported();
            }
            int end = pos + length - 1;
            int p = pos + 4;
            int previous = -1;
            int element = 0;
            while (p < end) {
                byte type = in[p++];
                int nameStart = p;
                while (p < end && in[p] != 0) {
                    p++;
                }
                if (p >= end) {
                    throw new Unsupported();
                }
                int nameEnd = p++;
                if (array && !isIndex(nameStart, nameEnd, element)) {
                    throw new Unsupported();
                }
                int col = column(parent, previous, type, array, nameStart, nameEnd);
                structure.varint(col + 1);
                p = value(columns.get(col), col, p, end, depth);
                previous = col;
                element++;
            }
            if (p != end) {
                throw new Unsupported();
            }
            structure.write(0);
            return pos + length;
        }

        private int value(Column c, int col, int p, int end, int depth) {
            Sink s = c.values;
            byte type = c.type;
            int fixed = fixedSize(type);
            if (fixed >= 0) {
                if (end - p < fixed) {
                    throw new Unsupported();
                }
                switch (type) {
                    case 0x10 -> {
                        int v = int32(p);
                        s.varint(zigzag(v - (int) c.prevLong));
                        c.prevLong = v;
                    }
                    case 0x09, 0x11, 0x12 -> {
                        long v = int64(p);
                        s.varlong(zigzag(v - c.prevLong));
                        c.prevLong = v;
                    }
                    case 0x07 -> {
                        int seconds = bigEndian(p, 4);
                        s.varint(zigzag(seconds - (int) c.prevLong));
                        c.prevLong = seconds;
                        for (int i = 0; i < 5; i++) {
                            s.write(in[p + 4 + i] ^ c.prevMiddle[i]);
                            c.prevMiddle[i] = in[p + 4 + i];
                        }
                        int counter = bigEndian(p + 9, 3);
                        s.varint(zigzag(signed24(counter - c.prevCounter)));
                        c.prevCounter = counter;
                    }
                    default -> s.write(in, p, fixed);
                }
                return p + fixed;
            }
            switch (type) {
                case 0x02, 0x0D, 0x0E -> {
                    int n = lengthAt(p, end, 0);
                    if (c.strings == null) {
                        c.strings = new StringTable();
                    }
                    int seen = c.strings.find(in, p + 4, n);
                    if (seen >= 0) {
                        s.varint(seen + 1);
                    } else {
                        s.write(0);
                        s.varint(n);
                        s.write(in, p + 4, n);
                        c.strings.add(in, p + 4, n);
                    }
                    return p + 4 + n;
                }
                case 0x05 -> {
                    int n = lengthAt(p, end, 1);
                    s.varint(n);
                    s.write(in, p + 4, n + 1);
                    return p + 5 + n;
                }
                case 0x0C -> {
                    int n = lengthAt(p, end, 12);
                    s.varint(n);
                    s.write(in, p + 4, n + 12);
                    return p + 4 + n + 12;
                }
                case 0x0F -> {
                    int total = end - p < 4 ? -1 : int32(p);
                    if (total < 4 || total > end - p) {
                        throw new Unsupported();
                    }
                    s.varint(total);
                    s.write(in, p + 4, total - 4);
                    return p + total;
                }
                case 0x0B -> {
                    int q = p;
                    for (int strings = 0; strings < 2; strings++) {
                        while (q < end && in[q] != 0) {
                            q++;
                        }
                        if (q >= end) {
                            throw new Unsupported();
                        }
                        q++;
                    }
                    s.write(in, p, q - p);
                    return q;
                }
                case 0x03, 0x04 -> {
                    return document(p, end, col, type == 0x04, depth + 1);
                }
                default -> throw new Unsupported();
            }
        }

        /** The length {@code n} at {@code p} of a value taking {@code 4 + n + tail} bytes within {@code end}. */
        private int lengthAt(int p, int end, int tail) {
            if (end - p < 4) {
                throw new Unsupported();
            }
            int n = int32(p);
            if (n < 0 || (long) p + 4 + n + tail > end) {
                throw new Unsupported();
            }
            return n;
        }

        private int column(int parent, int previous, byte type, boolean array, int nameStart, int nameEnd) {
            int guess = previous < 0 ? firstGuess[parent + 1] : columns.get(previous).nextGuess;
            int col;
            if (guess >= 0 && matches(columns.get(guess), parent, type, array, nameStart, nameEnd)) {
                col = guess;
            } else {
                byte[] name = array ? new byte[0] : Arrays.copyOfRange(in, nameStart, nameEnd);
                Key key = new Key(parent, type, new String(name, java.nio.charset.StandardCharsets.ISO_8859_1));
                Integer known = index.get(key);
                if (known == null) {
                    if (columns.size() == MAX_COLUMNS) {
                        throw new Unsupported();
                    }
                    known = columns.size();
                    columns.add(new Column(parent, type, array, name));
                    index.put(key, known);
                }
                col = known;
            }
            if (previous < 0) {
                firstGuess[parent + 1] = col;
            } else {
                columns.get(previous).nextGuess = col;
            }
            return col;
        }

        private boolean matches(Column c, int parent, byte type, boolean array, int nameStart, int nameEnd) {
            if (c.parent != parent || c.type != type || c.arrayElement != array) {
                return false;
            }
            return array || Arrays.equals(c.name, 0, c.name.length, in, nameStart, nameEnd);
        }

        /** Whether the name is the decimal index {@code i} with no leading zero, as BSON arrays number elements. */
        private boolean isIndex(int start, int end, int i) {
            String digits = Integer.toString(i);
            if (end - start != digits.length()) {
                return false;
            }
            for (int k = 0; k < digits.length(); k++) {
                if (in[start + k] != digits.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        private int int32(int p) {
            return (in[p] & 0xFF) | (in[p + 1] & 0xFF) << 8 | (in[p + 2] & 0xFF) << 16 | (in[p + 3] & 0xFF) << 24;
        }

        private long int64(int p) {
            return (int32(p) & 0xFFFFFFFFL) | (long) int32(p + 4) << 32;
        }

        private int bigEndian(int p, int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | (in[p + i] & 0xFF);
            }
            return v;
        }
    }

    private static final class Decoder {
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

        Decoder(byte[] form, int plainLength) {
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
            int[] p = {0};
            if (form.length == 0 || form[p[0]++] != FORM_VERSION) {
                throw new IllegalArgumentException("unknown column form version");
            }
            long documents = readVarint(p);
            long count = readVarint(p);
            if (count > MAX_COLUMNS || documents > limit / 5) {
                throw new IllegalArgumentException("column form counts are out of range");
            }
            int n = (int) count;
            types = new byte[n];
            arrayElement = new boolean[n];
            names = new byte[n][];
            for (int i = 0; i < n; i++) {
                types[i] = form[p[0]++];
                int flag = form[p[0]++];
                if (flag != 0 && flag != 1) {
                    throw new IllegalArgumentException("bad column flag");
                }
                arrayElement[i] = flag == 1;
                int len = length(p);
                names[i] = Arrays.copyOfRange(form, p[0], p[0] + len);
                p[0] += len;
                for (byte b : names[i]) {
                    if (b == 0) {
                        throw new IllegalArgumentException("column name holds a NUL");
                    }
                }
            }
            int structureLength = length(p);
            structurePos = p[0];
            structureEnd = structurePos + structureLength;
            p[0] = structureEnd;
            valuePos = new int[n];
            valueEnd = new int[n];
            for (int i = 0; i < n; i++) {
                int len = length(p);
                valuePos[i] = p[0];
                valueEnd[i] = p[0] + len;
                p[0] += len;
            }
            if (p[0] != form.length) {
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

        private int length(int[] p) {
            long v = readVarint(p);
            if (v > form.length - p[0]) {
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

        private long readVarint(int[] p) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = form[p[0]++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("a number in the column form is too long");
        }
    }

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

    /**
     * The distinct strings a column stored literally, by their place in the input, numbered in the
     * order they came: an open-addressing table that allocates nothing per lookup.
     */
    private static final class StringTable {
        private int[] slots = new int[64];
        private int[] offsets = new int[32];
        private int[] lengths = new int[32];
        private int[] hashes = new int[32];
        private int size;

        private int hits;
        private int misses;

        /**
         * The number of an equal string, or -1. A column whose strings hardly repeat (one in eight
         * after 64 of them) stops looking: the reader numbers every literal it meets, so the
         * numbers given so far stay right whenever the writer stops.
         */
        int find(byte[] in, int offset, int length) {
            if (misses >= 64 && hits < misses / 8) {
                return -1;
            }
            int h = hash(in, offset, length);
            int mask = slots.length - 1;
            for (int i = h & mask; slots[i] != 0; i = (i + 1) & mask) {
                int k = slots[i] - 1;
                if (hashes[k] == h && lengths[k] == length
                        && Arrays.equals(in, offsets[k], offsets[k] + length, in, offset, offset + length)) {
                    hits++;
                    return k;
                }
            }
            misses++;
            return -1;
        }

        /** Remembers a string not met before, while the column holds fewer than {@value #MAX_STRINGS}. */
        void add(byte[] in, int offset, int length) {
            if (size == MAX_STRINGS || (misses >= 64 && hits < misses / 8)) {
                return;
            }
            if (size == offsets.length) {
                offsets = Arrays.copyOf(offsets, size * 2);
                lengths = Arrays.copyOf(lengths, size * 2);
                hashes = Arrays.copyOf(hashes, size * 2);
            }
            if (2 * (size + 1) > slots.length) {
                slots = new int[slots.length * 2];
                for (int k = 0; k < size; k++) {
                    place(k);
                }
            }
            offsets[size] = offset;
            lengths[size] = length;
            hashes[size] = hash(in, offset, length);
            place(size++);
        }

        private void place(int k) {
            int mask = slots.length - 1;
            int i = hashes[k] & mask;
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = k + 1;
        }

        private static int hash(byte[] in, int offset, int length) {
            int h = length;
            for (int i = offset; i < offset + length; i++) {
                h = 31 * h + in[i];
            }
            return h ^ (h >>> 16);
        }
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    private static int zigzag(int v) {
        return (v << 1) ^ (v >> 31);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static int unzigzag(int v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int signed24(int v) {
        return (v << 8) >> 8;
    }

    /** A growable byte array. */
    private static final class Sink {
        byte[] bytes;
        int size;

        Sink(int capacity) {
            bytes = new byte[capacity];
        }

        void write(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = (byte) b;
        }

        void write(byte[] b, int off, int len) {
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        void varint(int v) {
            varlong(v & 0xFFFFFFFFL);
        }

        void varlong(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
