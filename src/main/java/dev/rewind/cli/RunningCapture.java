package dev.rewind.cli;

import dev.rewind.capture.CaptureStatus;
import dev.rewind.repo.Repository;
import dev.rewind.repo.WriterLock;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

/** Whether a capture holds the repository and is alive: on this host, its process; elsewhere, a status it keeps fresh. */
final class RunningCapture {
    static final String COMMAND = "rewind capture";

    private RunningCapture() { }

    /** True when {@code holder} is a capture that will see a request: alive here, or recently heard of. */
    static boolean answers(Repository r, WriterLock.Holder holder) {
        if (holder == null || !COMMAND.equals(holder.command()) || holder.isStale()) {
            return false;
        }
        if (holder.host().equals(host())) {
            return true;
        }
        try {
            CaptureStatus cs = CaptureStatus.load(r.store());
            if (cs == null || cs.updated() == null || cs.pid() != holder.pid()) {
                return false;
            }
            Duration fresh = Duration.ofMillis(Math.max(60_000, 3 * cs.idleMillis()));
            return Instant.parse(cs.updated()).plus(fresh).isAfter(Instant.now());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
