package dev.rewind.repo;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.bson.Document;

/**
 * The repository's single-writer lock, the file {@code locks/writer} (docs/FORMAT.md, "Lock"). It
 * names its holder (command, pid, host) and when it was taken. A lock whose holder ran on this
 * host and is no longer alive is stale and is broken automatically, with a warning; any other
 * held lock is refused with the holder named.
 */
public final class WriterLock implements AutoCloseable {
    public static final String NAME = "locks/writer";

    /** Who holds a lock, as read from the lock file. */
    public record Holder(String command, long pid, String host, Instant since, String token) {
        Document toDocument() {
            return new Document("command", command).append("pid", pid).append("host", host)
                    .append("since", since.toString()).append("token", token);
        }

        static Holder parse(byte[] bytes) {
            Document d = Document.parse(new String(bytes, StandardCharsets.UTF_8));
            return new Holder(d.getString("command"), ((Number) d.get("pid")).longValue(), d.getString("host"),
                    Instant.parse(d.getString("since")), d.getString("token"));
        }

        /** True when the holder ran on this host and its process is gone. */
        public boolean isStale() {
            return host.equals(thisHost()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        }

        public String describe() {
            Duration age = Duration.between(since, Instant.now());
            return "'" + command + "' (pid " + pid + " on " + host + ", since " + since + ", " + human(age) + " ago)";
        }
    }

    private final ByteStore store;
    private final Holder holder;
    private final String warning;
    private final Thread releaseOnExit;

    private WriterLock(ByteStore store, Holder holder, String warning) {
        this.store = store;
        this.holder = holder;
        this.warning = warning;
        this.releaseOnExit = new Thread(this::release, "release-writer-lock");
        Runtime.getRuntime().addShutdownHook(releaseOnExit);
    }

    /** Takes the lock for {@code command} or throws LOCKED naming the holder. */
    public static WriterLock acquire(ByteStore store, String command) {
        Holder me = new Holder(command, ProcessHandle.current().pid(), thisHost(), Instant.now(), UUID.randomUUID().toString());
        byte[] bytes = me.toDocument().toJson().getBytes(StandardCharsets.UTF_8);
        try {
            if (store.putIfAbsent(NAME, bytes)) {
                return new WriterLock(store, me, null);
            }
            Holder other = current(store);
            if (other != null && other.isStale()) {
                store.delete(NAME);
                if (store.putIfAbsent(NAME, bytes)) {
                    return new WriterLock(store, me, "broke a stale lock left by " + other.describe());
                }
                other = current(store);
            }
            String who = other == null ? "another writer" : other.describe();
            throw new RewindException(ExitCode.LOCKED, "the repository at " + store.location() + " is locked by " + who,
                    "wait for it to finish; if that process is gone, run 'rewind unlock --repo " + store.location() + "'");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The current holder, or null when the repository is not locked. */
    public static Holder current(ByteStore store) throws IOException {
        try {
            return Holder.parse(store.get(NAME));
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (RuntimeException e) {
            return new Holder("unknown (unreadable lock file)", -1, "unknown", Instant.EPOCH, "");
        }
    }

    /**
     * Leaves the release to {@link #close()} alone, for a holder whose own shutdown hook waits for its
     * work to finish: the release hook runs concurrently with it, and would free the lock while the
     * holder still writes (capture sealing its open segment on SIGTERM).
     */
    public WriterLock releasedOnlyByClose() {
        try {
            Runtime.getRuntime().removeShutdownHook(releaseOnExit);
        } catch (IllegalStateException shuttingDown) {
            // too late: the hook is running
        }
        return this;
    }

    /** A note for the user when taking the lock broke a stale one; null otherwise. */
    public String warning() { return warning; }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(releaseOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook releases it
        }
        release();
    }

    private void release() {
        try {
            Holder now = current(store);
            if (now != null && now.token().equals(holder.token())) {
                store.delete(NAME);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String thisHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m";
        }
        return (s / 3600) + "h";
    }
}
