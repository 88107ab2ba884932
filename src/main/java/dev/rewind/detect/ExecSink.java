package dev.rewind.detect;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a shell command for each alert ({@code sh -c SCRIPT}) with the alert's JSON on standard
 * input and {@code REWIND_ALERT} (opened or closed) and {@code REWIND_INCIDENT} (the id) in the
 * environment. A non-zero exit or a run longer than the timeout is a failed delivery.
 */
public final class ExecSink implements AlertSink {
    private final String script;
    private final Duration timeout;

    public ExecSink(String script, Duration timeout) {
        this.script = script;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "exec hook";
    }

    @Override
    public void send(Alert alert) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        pb.environment().put("REWIND_ALERT", alert.event());
        pb.environment().put("REWIND_INCIDENT", String.valueOf(alert.incident().id()));
        Process p = pb.start();
        Thread drain = new Thread(() -> {
            try {
                p.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the process went away
            }
        }, "alert-exec-output");
        drain.setDaemon(true);
        drain.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(alert.toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the script need not read its input
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("still running after " + timeout.toSeconds() + " s; killed");
        }
        if (p.exitValue() != 0) {
            throw new IOException("exited with " + p.exitValue());
        }
    }
}
