package dev.rewind.dump;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A mongodump output to read: a directory ({@link DumpDirectory}) or an archive
 * ({@link DumpArchive}). It lists what it holds before any document is read, then streams the
 * documents in the order the dump holds them, checking everything as it goes; {@link #read} returns
 * only once the whole dump has been read and found sound.
 */
public interface DumpReader {
    /** Receives the documents of a dump, one at a time. */
    interface Sink {
        void accept(CollectionMetadata collection, byte[] document) throws IOException;
    }

    /** Where the dump is, for people: {@code mongodump directory /path} or {@code mongodump archive /path}. */
    String description();

    /** The source server's version, where the dump records it (an archive's prelude); null otherwise. */
    String serverVersion();

    /** When the dump was written, as well as the files tell (their modification times). */
    Instant written();

    /**
     * The oplog of a dump taken with {@code --oplog}: the entries written while it ran
     * ({@code oplog.bson} at the top of a directory, the namespace with an empty database name and
     * collection "oplog" in an archive), which mongorestore replays with {@code --oplogReplay}, and
     * {@code import --oplog-replay} ({@link OplogReplay}). Null when the dump holds none. An
     * archive's is counted as {@link #read} streams it (its block comes after the collections'), so
     * it is whole only after.
     */
    DumpOplog oplog() throws IOException;

    /** Whether the oplog is read only by {@link #read}, after the documents (an archive's block comes last). */
    default boolean oplogComesLast() {
        return false;
    }

    /** Whether the dump holds an oplog (it was taken with {@code --oplog}), known before anything is read. */
    boolean hasOplog();

    /**
     * Keeps, for a replay, the oplog's entries that may change {@code namespaces} (a write to one,
     * a command in one's database, a transaction's end, an entry that cannot be read); the others
     * are only counted. Called before the oplog is read ({@link #oplog} of a directory, {@link #read}
     * of an archive); without it no entry is kept.
     */
    default void keepOplogWrites(java.util.Collection<String> namespaces) {
        keepOplogWrites(namespaces, ns -> false);
    }

    /**
     * As {@link #keepOplogWrites(java.util.Collection)}, and also the entries that may create and
     * write a collection the dump does not hold whose namespace {@code created} accepts (a write to
     * one, a command in a database other than admin, config and local).
     */
    void keepOplogWrites(java.util.Collection<String> namespaces, Predicate<String> created);

    /** The collections, views and time-series collections the dump holds, by namespace. */
    List<CollectionMetadata> collections();

    /**
     * The namespaces of the server's own that the dump holds and that are left out: the
     * {@code admin}, {@code config} and {@code local} databases, and {@code system.*} collections
     * (a whole-deployment mongodump holds {@code admin.system.version}, users and roles), sorted.
     */
    List<String> serverCollections();

    /** Streams the documents of the collections {@code wanted} accepts (by namespace) to {@code sink}. */
    void read(Predicate<String> wanted, Sink sink) throws IOException;

    /** Opens a directory or an archive (gzipped or not: the content tells). */
    static DumpReader open(java.nio.file.Path path, boolean archive) {
        return archive ? DumpArchive.open(path) : DumpDirectory.open(path);
    }
}
