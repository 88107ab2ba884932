package dev.rewind.repo.columns;

import java.util.Arrays;

/** A growable byte array. */
final class ByteSink {
    byte[] bytes;
    int size;

    ByteSink(int capacity) {
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
