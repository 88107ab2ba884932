package dev.rewind.cli;

import dev.rewind.RewindException;

/**
 * The {@code --memory-docs} of undo, diff, {@code restore --at} and {@code export --at}: how many
 * documents touched by the log they hold in memory at once before reading the log in several passes. By default one per
 * {@link #BYTES_PER_DOCUMENT} of the heap (measured in docs/benchmarks.md: an undo of 100,000 deletes
 * peaks near 300 MiB of heap, about 3 KiB per document), and never fewer than 10,000.
 */
final class MemoryDocs {
    /** The heap one touched document is allowed while it is planned and written. */
    static final long BYTES_PER_DOCUMENT = 4096;

    private MemoryDocs() { }

    /** The option's value, checked, or the default for this JVM's heap. */
    static long of(Long option) {
        if (option == null) {
            return Math.max(10_000, Runtime.getRuntime().maxMemory() / BYTES_PER_DOCUMENT);
        }
        if (option < 1) {
            throw RewindException.usage("--memory-docs must be at least 1, not " + option, "it bounds the documents held in memory at once");
        }
        return option;
    }
}
