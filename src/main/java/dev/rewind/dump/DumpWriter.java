package dev.rewind.dump;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes mongodump's output formats, for a stock mongorestore to read: {@link DirectoryWriter} (a
 * directory) or {@link ArchiveWriter} (an archive). Everything is written under a temporary name
 * beside the destination and moved into place by {@link #commit}; {@link #abort} removes it, so a
 * failed export leaves nothing behind.
 */
interface DumpWriter extends AutoCloseable {
    /** Receives the documents of one collection. */
    interface Documents {
        void writeTo(StateDocuments.Sink sink) throws IOException;
    }

    /** Starts the output with every collection it will hold (an archive names them all first). */
    void begin(List<CollectionMetadata> collections, String serverVersion) throws IOException;

    /** Writes one collection's documents (a view's: none), in the order {@link #begin} named them. */
    void collection(CollectionMetadata c, Documents documents) throws IOException;

    /** Moves the finished output into place. */
    void commit() throws IOException;

    /** Removes what was written, unless committed. */
    @Override
    void close() throws IOException;

    /** Refuses to replace something that exists (a directory only when it holds something). */
    static void refuseExisting(Path destination) throws IOException {
        boolean occupied = Files.isDirectory(destination)
                ? Files.list(destination).findAny().isPresent() : Files.exists(destination);
        if (occupied) {
            throw new RewindException(ExitCode.REFUSED, destination.toAbsolutePath().normalize() + " already exists"
                    + (Files.isDirectory(destination) ? " and is not empty" : "") + "; nothing was written",
                    "give a new name, or remove it first");
        }
    }

    /** A mongorestore-readable version string: the server's when it is one, else 0.0.0. */
    static String version(String serverVersion) {
        return serverVersion != null && serverVersion.matches("\\d+\\.\\d+\\.\\d+.*") ? serverVersion : "0.0.0";
    }
}
