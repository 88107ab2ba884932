package dev.rewind.repo.store;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A dumb store of named byte blobs: a local folder or an S3-compatible bucket. It knows
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

    /**
     * Names under {@code prefix} with their sizes in bytes, sorted by name. The default asks
     * {@link #size} for each; a store that lists sizes in one request overrides it.
     */
    default SortedMap<String, Long> listSizes(String prefix) throws IOException {
        SortedMap<String, Long> out = new TreeMap<>();
        for (String name : list(prefix)) {
            long size = size(name);
            if (size >= 0) {
                out.put(name, size);
            }
        }
        return out;
    }

    /** Removes the blob; does nothing if it does not exist. */
    void delete(String name) throws IOException;

    /** Removes every one of these blobs (as {@link #delete} each); a store that deletes in batches overrides it. */
    default void deleteAll(Collection<String> names) throws IOException {
        for (String name : names) {
            delete(name);
        }
    }

    /** Where the store is, for messages (never contains credentials). */
    String location();
}
