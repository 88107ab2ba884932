package dev.rewind.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Whether output goes to a terminal, so that colours and progress lines are drawn there only: never
 * into a file, a pipe or a log (and never with {@code NO_COLOR} set). Standard output is picocli's
 * judgement; standard error is judged on its own, since either may be redirected without the other.
 */
final class Terminal {
    private Terminal() { }

    /** The styles for a command's standard output. */
    static Ansi stdout(CommandSpec spec) {
        return noColor() ? Ansi.OFF : spec.commandLine().getColorScheme().ansi();
    }

    /** The styles for standard error: on only when file descriptor 2 is a terminal. */
    static Ansi stderr() {
        return !noColor() && stderrIsTerminal() ? Ansi.ON : Ansi.OFF;
    }

    /** Whether this process's standard error is a terminal (Linux: what /proc/self/fd/2 points to). */
    static boolean stderrIsTerminal() {
        if (System.console() == null) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Text in bold red where standard error is a terminal, plain elsewhere. */
    static String errorText(String text) {
        return stderr() == Ansi.ON ? "\u001b[1;31m" + text + "\u001b[0m" : text;
    }

    private static boolean noColor() {
        String v = System.getenv("NO_COLOR");
        return v != null && !v.isEmpty();
    }
}
