package dev.rewind.repo.store;

import java.io.IOException;
import java.util.List;

/**
 * A dumb store of named byte blobs: a local folder today, an S3-compatible bucket later. It knows
 * nothing of the repository format. Names are relative, '/'-separated, made of
 * {@code [A-Za-z0-9._-]} segments other than "." and ".."; every method that takes a name throws
 * {@link IllegalArgumentException} for any other name. Every implementation passes {@code ByteStoreContract}.
 */
public interface ByteStore {

    /**
     * Publishes {@code data} under {@code name} atomically: a reader sees either nothing or all of
     * it, never a prefix. Replaces an existing blob of that name.
     */
    void put(String name, byte[] data) throws IOException;

    /**
     * Publishes {@code data} under {@code name} only if no blob of that name exists, atomically
     * with respect to other writers. Returns false (and writes nothing) if it exists.
     */
    boolean putIfAbsent(String name, byte[] data) throws IOException;

    /** The whole blob; throws {@link java.nio.file.NoSuchFileException} if there is none. */
    byte[] get(String name) throws IOException;

    /** The blob's size in bytes, or -1 if there is none. */
    long size(String name) throws IOException;

    /** Whether a blob of that name exists. */
    default boolean exists(String name) throws IOException {
        return size(name) >= 0;
    }

    /** Names under {@code prefix} (a folder such as "snapshots/"), recursively, sorted. Empty if none. */
    List<String> list(String prefix) throws IOException;

    /** Removes the blob; does nothing if it does not exist. */
    void delete(String name) throws IOException;

    /** Where the store is, for messages (never contains credentials). */
    String location();
}
