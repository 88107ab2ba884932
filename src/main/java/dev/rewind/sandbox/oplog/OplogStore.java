package dev.rewind.sandbox.oplog;

import java.util.List;

/** Where the oplog's entries outlive the process: nowhere for an in-memory server, its data file otherwise. */
public interface OplogStore {
    OplogStore NONE = new OplogStore() {
        @Override public List<OplogEntry> load() { return List.of(); }
        @Override public void append(OplogEntry entry) { }
        @Override public void truncateThrough(long seq) { }
    };

    /** The entries kept, oldest first. */
    List<OplogEntry> load();

    /** Keeps one more entry (called in oplog order). */
    void append(OplogEntry entry);

    /** Forgets every entry up to and including {@code seq}. */
    void truncateThrough(long seq);
}
