package dev.rewind.event;

/**
 * An update description that does not fit the prior state it is applied to: a path runs
 * through a scalar, an index into a document, a field name into an array, a truncation of
 * something that is not an array. It means the prior state is not the one the server updated.
 */
public class PathConflictException extends RuntimeException {
    private final String path;

    public PathConflictException(String path, String message) {
        super("cannot apply the update at '" + path + "': " + message);
        this.path = path;
    }

    public String path() { return path; }
}
