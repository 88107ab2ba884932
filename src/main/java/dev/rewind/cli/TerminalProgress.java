package dev.rewind.cli;

import dev.rewind.snapshot.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Draws a one-line progress display (documents/s, bytes, ETA) on stderr when it is a terminal;
 * draws nothing otherwise, so logs and pipes stay clean.
 */
final class TerminalProgress implements Progress {
    private final PrintWriter err;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private String current;
    private long nsStarted;

    private TerminalProgress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    static Progress on(PrintWriter err, boolean quiet) {
        boolean tty = Terminal.stderrIsTerminal() && !quiet;
        return tty ? new TerminalProgress(err, true) : Progress.NONE;
    }

    @Override
    public synchronized void update(String ns, long documents, long bytes, long expected) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (!ns.equals(current)) {
            current = ns;
            nsStarted = now;
        }
        double secs = Math.max(1e-3, (now - nsStarted) / 1e9);
        double rate = documents / secs;
        String eta = expected > documents && rate > 0
                ? " ETA " + Units.duration(Duration.ofMillis((long) ((expected - documents) / rate * 1000))) : "";
        String line = String.format(Locale.ROOT, "%s  %s docs  %s  %,.0f docs/s%s", ns, Units.count(documents),
                Units.bytes(bytes), rate, eta);
        err.print("\r" + line + "\u001b[K");
        if (expected >= 0 && documents >= expected) {
            err.println();
        }
        err.flush();
    }
}
