package dev.rewind.repo.columns;

import java.util.Arrays;

/**
 * The distinct strings a column stored literally, by their place in the input, numbered in the
 * order they came: an open-addressing table that allocates nothing per lookup.
 */
final class StringTable {
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

    /** Remembers a string not met before, while the column holds fewer than {@value BsonColumns#MAX_STRINGS}. */
    void add(byte[] in, int offset, int length) {
        if (size == BsonColumns.MAX_STRINGS || (misses >= 64 && hits < misses / 8)) {
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
