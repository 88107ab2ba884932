package dev.rewind.cli;

import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import dev.rewind.ExitCode;
import dev.rewind.Redact;
import dev.rewind.RewindException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns every failure into a one-line {@code error:} with a {@code hint:} and a documented exit
 * code. The stack trace is printed only with {@code --verbose}.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
        RewindException e = translate(ex);
        PrintWriter err = cli.getErr();
        err.println(Terminal.errorText("error: " + Redact.uri(e.getMessage())));
        if (e.hint() != null) {
            err.println("hint: " + Redact.uri(e.hint()));
        }
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return e.exitCode().code();
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cli = ex.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println(Terminal.errorText("error: " + Redact.uri(ex.getMessage())));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("hint: see '" + cli.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return ExitCode.USAGE.code();
    }

    static RewindException translate(Throwable ex) {
        if (ex instanceof RewindException r) {
            return r;
        }
        if (ex instanceof MongoSecurityException) {
            return new RewindException(ExitCode.UNREACHABLE, "the server refused the credentials: " + firstLine(ex),
                    "check the user, password and authSource in --uri", ex);
        }
        if (ex instanceof MongoTimeoutException || ex instanceof MongoSocketException) {
            return new RewindException(ExitCode.UNREACHABLE, "cannot reach the MongoDB server: " + firstLine(ex),
                    "check the host and port in --uri, and that the server is running", ex);
        }
        if (ex instanceof UncheckedIOException u) {
            return translate(u.getCause());
        }
        if (ex instanceof dev.rewind.repo.store.StoreFailure f) {
            return new RewindException(ExitCode.IO, f.getMessage(), f.hint(), f);

        }
        if (ex instanceof IOException io && String.valueOf(io.getMessage()).contains("No space left on device")) {
            return new RewindException(ExitCode.IO, "the disk is full: " + io.getMessage().replace(": No space left on device", ""),
                    "free space on the disk that holds the repository, then run the command again: every file already"
                            + " in the repository is whole (a file is published only once it is complete)", io);
        }
        if (ex instanceof IOException io) {
            String msg = String.valueOf(io.getMessage());
            String hint = msg.contains("No space left") ? "free some disk space and run the command again"
                    : "check the path, its permissions and free space";
            return new RewindException(ExitCode.IO, "I/O error: " + io.getClass().getSimpleName() + ": " + msg, hint, io);
        }
        return new RewindException(ExitCode.INTERNAL, "unexpected error: " + ex,
                "rerun with --verbose and report the stack trace", ex);
    }

    private static String firstLine(Throwable ex) {
        String m = String.valueOf(ex.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static boolean verbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
