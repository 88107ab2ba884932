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

        /** The holder a lock file names, or null when it is not a lock file (any bytes are safe to pass). */
        static Holder parse(byte[] bytes) {
            try {
                Document d = Document.parse(new String(bytes, StandardCharsets.UTF_8));
                if (!(d.get("command") instanceof String command) || !(d.get("pid") instanceof Number pid)
                        || !(d.get("host") instanceof String host) || !(d.get("since") instanceof String since)) {
                    return null;
                }
                return new Holder(command, pid.longValue(), host, Instant.parse(since),
                        d.get("token") instanceof String t ? t : "");
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** True when the holder ran on this host and its process is still alive. */
        public boolean isAliveHere() {
            return host.equals(thisHost()) && pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        public static String thisHostName() {
            return thisHost();
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

    /**
     * Takes the lock for {@code command} or throws LOCKED naming the holder. A stale lock is broken
     * by one writer only, even when several find it at once: breaking it needs the break marker
     * {@code locks/break-<its token>}, taken with put-if-absent, so only the writer that wins the
     * marker deletes the stale lock, and a writer that read the lock before someone else replaced it
     * finds the token changed and deletes nothing. Only {@link ByteStore} operations are used, so
     * this holds on any store.
     */
    public static WriterLock acquire(ByteStore store, String command) {
        Holder me = new Holder(command, ProcessHandle.current().pid(), thisHost(), Instant.now(), UUID.randomUUID().toString());
        byte[] bytes = me.toDocument().toJson().getBytes(StandardCharsets.UTF_8);
        try {
            if (store.putIfAbsent(NAME, bytes)) {
                return new WriterLock(store, me, null);
            }
            Holder other = current(store);
            if (other != null && other.isStale()) {
                if (breakStale(store, other)) {
                    if (store.putIfAbsent(NAME, bytes)) {
                        return new WriterLock(store, me, "broke a stale lock left by " + other.describe());
                    }
                }
                other = current(store);
            } else if (other == null && store.putIfAbsent(NAME, bytes)) {
                return new WriterLock(store, me, null);   // released between our two looks
            }
            String who = other == null ? "another writer" : other.describe();
            throw new RewindException(ExitCode.LOCKED, "the repository at " + store.location() + " is locked by " + who,
                    "wait for it to finish; if that process is gone, run 'rewind unlock --repo " + store.location() + "'");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the lock held by {@code stale} if this writer wins the right to: true when the lock
     * is gone (deleted by us), false when another writer is breaking it or already replaced it.
     */
    static boolean breakStale(ByteStore store, Holder stale) throws IOException {
        String marker = breakMarker(stale);
        byte[] breaker = ("{\"pid\": " + ProcessHandle.current().pid() + "}").getBytes(StandardCharsets.UTF_8);
        if (marker == null || !store.putIfAbsent(marker, breaker)) {
            return false;
        }
        try {
            Holder now = current(store);
            if (now == null) {
                return true;
            }
            if (!stale.token().equals(now.token())) {
                return false;   // someone else broke it and took it since we read it
            }
            store.delete(NAME);
            return true;
        } finally {
            store.delete(marker);
        }
    }

    /** The marker that one breaker of this stale lock takes; null for a lock without a usable token. */
    static String breakMarker(Holder stale) {
        String token = stale.token();
        return token != null && token.matches("[A-Za-z0-9-]{1,64}") ? "locks/break-" + token : null;
    }

    /**
     * Checks that the lock still holds this writer's token, and throws LOCKED naming who holds it
     * otherwise: a writer calls it before publishing anything (capture before every seal), so that
     * one whose lock was removed under it ({@code unlock --force}) stops instead of writing beside
     * another writer.
     */
    public void checkStillHeld() {
        Holder now;
        try {
            now = current(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (now == null || !holder.token().equals(now.token())) {
            throw new RewindException(ExitCode.LOCKED, "this " + holder.command() + " no longer holds the writer lock of "
                    + store.location() + (now == null ? " (it was removed)" : "; it is held by " + now.describe())
                    + "; stopping without writing more",
                    "someone ran 'rewind unlock' while it ran: check that only one writer uses the repository,"
                            + " then start it again");
        }
    }

    /** The token this writer wrote into the lock. */
    public String token() { return holder.token(); }

    /** The current holder, or null when the repository is not locked; an unreadable lock names an unknown holder. */
    public static Holder current(ByteStore store) throws IOException {
        byte[] bytes;
        try {
            bytes = store.get(NAME);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        Holder h = Holder.parse(bytes);
        return h != null ? h : new Holder("unknown (unreadable lock file)", -1, "unknown", Instant.EPOCH, "");
    }

    /** Break markers left by a breaker that died between taking one and removing it (unlock removes them). */
    public static java.util.List<String> breakMarkers(ByteStore store) throws IOException {
        return store.list("locks/").stream().filter(n -> n.startsWith("locks/break-")).toList();
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
