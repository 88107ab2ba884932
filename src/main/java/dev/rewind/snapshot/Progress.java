package dev.rewind.snapshot;

/** Receives progress while data is copied; the CLI draws it on a terminal. */
public interface Progress {
    Progress NONE = (ns, documents, bytes, expected) -> { };

    /** {@code documents} and {@code bytes} so far in {@code ns}; {@code expected} documents, or -1. */
    void update(String ns, long documents, long bytes, long expected);
}
