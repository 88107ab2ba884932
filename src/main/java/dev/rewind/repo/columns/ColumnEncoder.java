package dev.rewind.repo.columns;

import static dev.rewind.repo.columns.BsonColumns.FORM_VERSION;
import static dev.rewind.repo.columns.BsonColumns.MAX_COLUMNS;
import static dev.rewind.repo.columns.BsonColumns.MAX_DEPTH;
import static dev.rewind.repo.columns.BsonColumns.filled;
import static dev.rewind.repo.columns.BsonColumns.fixedSize;
import static dev.rewind.repo.columns.BsonColumns.signed24;
import static dev.rewind.repo.columns.BsonColumns.zigzag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes the column form of a run of BSON documents ({@link BsonColumns}); one per object. */
final class ColumnEncoder {
    static final class Unsupported extends RuntimeException {
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
        final ByteSink values = new ByteSink(256);
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

    private final byte[] in;
    private final List<Column> columns = new ArrayList<>();
    private final Map<Key, Integer> index = new HashMap<>();
    /** Per parent column (+1; 0 is the top level), the column its first element was in last time. */
    private final int[] firstGuess = filled(MAX_COLUMNS + 1);
    private final ByteSink structure;
    private int documents;

    ColumnEncoder(byte[] in) {
        this.in = in;
        this.structure = new ByteSink(Math.max(64, in.length / 16));
    }

    byte[] run() {
        int pos = 0;
        while (pos < in.length) {
            pos = document(pos, in.length, -1, false, 0);
            documents++;
        }
        ByteSink out = new ByteSink(in.length / 2 + 64);
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
        ByteSink s = c.values;
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
