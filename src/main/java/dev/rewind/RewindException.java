package dev.rewind;

/**
 * The one error type a command reports to the user: what failed, a hint for what to do, and the
 * exit code. The CLI prints {@code error: message} and {@code hint: hint}; the stack trace only
 * with --verbose. Messages never contain passwords (see {@link Redact}).
 */
public class RewindException extends RuntimeException {
    private final ExitCode exitCode;
    private final String hint;

    public RewindException(ExitCode exitCode, String message, String hint) {
        this(exitCode, message, hint, null);
    }

    public RewindException(ExitCode exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public ExitCode exitCode() { return exitCode; }

    /** What the user can do about it; may be null. */
    public String hint() { return hint; }

    public static RewindException usage(String message, String hint) {
        return new RewindException(ExitCode.USAGE, message, hint);
    }

    public static RewindException notFound(String message, String hint) {
        return new RewindException(ExitCode.NOT_FOUND, message, hint);
    }

    public static RewindException corrupt(String message, String hint) {
        return new RewindException(ExitCode.CORRUPT, message, hint);
    }
}
