package dev.rewind;

/**
 * Every exit code Rewind returns, in one place. The README's "Exit codes" table mirrors this.
 */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "unexpected internal error (a bug: rerun with --verbose and report it)"),
    USAGE(2, "bad command line: unknown option, bad value, bad time or pattern, a name MongoDB cannot hold or that belongs to the server"),
    UNREACHABLE(3, "the MongoDB server cannot be reached or refused the credentials"),
    NO_REPOSITORY(4, "no repository at that location, or not a Rewind repository, or something this Rewind does not know (a format version, hash, encryption or chunking in config, a manifest version)"),
    LOCKED(5, "the repository is locked by another writer, or a writer found its lock taken from it; a forget or prune while a reader reads, or another forget or prune"),
    CORRUPT(6, "corrupt or missing data in the repository, or in a dump (truncated, damaged, a file missing)"),
    TARGET_NOT_EMPTY(7, "the restore target already holds data (use --drop to replace it)"),
    NOT_FOUND(8, "an unknown snapshot, namespace, field or file"),
    IO(9, "an I/O error on the repository or a local file (disk full, permission denied), naming the file, or an S3 server that refused or kept failing"),
    REFUSED(10, "refused for safety (for example a restore onto the source in place)"),
    PROBLEMS_FOUND(11, "a check ran and found problems (dangling references, duplicates)"),
    SERVER_REFUSED(12, "the server refused what capture needs and retrying cannot help (an event over 16 MB, missing privileges), or a collection was dropped or renamed under each of a snapshot's attempts to read it"),
    WRONG_KEY(13, "the repository is encrypted and no password or key file given opens it (wrong, or none given)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() { return code; }

    public String meaning() { return meaning; }
}
