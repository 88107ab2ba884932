package dev.rewind.repo;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.bson.Document;

/**
 * A reader's mark in the repository, {@code locks/read-<uuid>} (docs/FORMAT.md, "Readers"), so that
 * forget and prune delete nothing a restore, undo, diff, timeline, verify or export is reading. The
 * reader publishes its mark before it lists anything, then waits while a forget or prune holds
 * {@code locks/prune}; forget and prune publish {@code locks/prune} first, then look for marks and
 * delete nothing while one is there. Both publish before they look, so at least one side sees the
 * other (as with snapshots, {@link PruneGuard}).
 *
 * <p>A mark names its holder, as the lock does, and its last beat: the reader rewrites it every
 * minute. A mark is gone when its holder ran on this host and has ended, or when its beat is older
 * than five minutes (a reader elsewhere that died without deleting it). A reader that cannot write
 * its mark (read-only credentials, a read-only copy) says so and reads anyway, unprotected.
 */
public final class ReadMark implements AutoCloseable {
    static final String PREFIX = "locks/read-";
    static final Duration BEAT = Duration.ofMinutes(1);
    static final Duration SILENCE = Duration.ofMinutes(5);

    /** A mark as read from the repository: who reads, and when it last said so. */
    public record Reader(WriterLock.Holder holder, Instant beat) {
        /** Gone: its process on this host has ended, or it has not beaten for {@link #SILENCE}. */
        boolean isGone(Instant now) {
            return holder.isStale() || beat.plus(SILENCE).isBefore(now);
        }

        public String describe() {
            return holder.describe();
        }
    }

    private final ByteStore store;
    private final String name;
    private final WriterLock.Holder holder;
    private final Thread beat;
    private final Thread onExit;

    private ReadMark(ByteStore store, String name, WriterLock.Holder holder) {
        this.store = store;
        this.name = name;
        this.holder = holder;
        this.beat = holder == null ? null : new Thread(this::beatUntilClosed, "read-mark-beat");
        this.onExit = holder == null ? null : new Thread(this::remove, "read-mark-remove");
        if (beat != null) {
            beat.setDaemon(true);
            beat.start();
            Runtime.getRuntime().addShutdownHook(onExit);
        }
    }

    /**
     * Publishes the mark of {@code command}, then waits while a forget or prune is deleting (at
     * most {@code patience}; then LOCKED, the mark removed). Warnings and waiting go to {@code say}.
     */
    public static ReadMark publish(ByteStore store, String command, Duration patience, Consumer<String> say) {
        String name = PREFIX + UUID.randomUUID();
        WriterLock.Holder me = new WriterLock.Holder(command, ProcessHandle.current().pid(), WriterLock.thisHost(),
                Instant.now(), UUID.randomUUID().toString());
        try {
            store.put(name, bytes(me, Instant.now()));
        } catch (IOException | RuntimeException e) {
            say.accept("warning: cannot mark this read in " + store.location() + " (" + e.getMessage() + "): a forget or"
                    + " prune that runs meanwhile may delete files it reads (it then fails with a missing file; run it again)");
            return new ReadMark(store, name, null);
        }
        ReadMark mark = new ReadMark(store, name, me);
        try {
            PruneGuard.awaitNoPrune(store, patience, "'" + command + "'", say);
        } catch (RuntimeException e) {
            mark.close();
            throw e;
        }
        return mark;
    }

    /** The readers now (their marks); gone ones are removed on the way. */
    public static List<Reader> readers(ByteStore store) {
        return readers(store, true);
    }

    /** The readers now, for showing ({@code status}): gone marks are skipped, and left where they are. */
    public static List<Reader> reading(ByteStore store) {
        return readers(store, false);
    }

    private static List<Reader> readers(ByteStore store, boolean removeGone) {
        List<Reader> out = new ArrayList<>();
        Instant now = Instant.now();
        try {
            for (String n : store.list("locks/")) {
                if (!n.startsWith(PREFIX)) {
                    continue;
                }
                Reader r = parse(get(store, n));
                if (r == null) {
                    continue;   // deleted since the listing: that reader has finished
                }
                if (r.isGone(now)) {
                    if (removeGone) {
                        store.delete(n);
                    }
                } else {
                    out.add(r);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Refuses (LOCKED) to delete while someone reads: for forget and prune, which call it after
     * publishing {@code locks/prune}.
     */
    static void refuseWhileRead(ByteStore store, String what) {
        List<Reader> readers = readers(store);
        if (!readers.isEmpty()) {
            throw new RewindException(ExitCode.LOCKED, what + " deletes nothing while the repository is being read: "
                    + readers.get(0).describe() + (readers.size() > 1 ? " and " + (readers.size() - 1) + " more" : ""),
                    "run it again when that has finished (a reader on another host that stopped without a word counts as gone "
                            + SILENCE.toMinutes() + " minutes after its last beat; its mark is " + PREFIX + "*)");
        }
    }

    private void beatUntilClosed() {
        while (true) {
            try {
                Thread.sleep(BEAT.toMillis());
                store.put(name, bytes(holder, Instant.now()));
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // the next beat tries again; silence for SILENCE makes the mark count as gone
            }
        }
    }

    private void remove() {
        try {
            store.delete(name);
        } catch (IOException | RuntimeException e) {
            // a mark left behind counts as gone once this process has ended (or after SILENCE elsewhere)
        }
    }

    @Override
    public void close() {
        if (beat == null) {
            return;
        }
        beat.interrupt();
        try {
            beat.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // shutting down: the hook removes the mark
        }
    }

    private static byte[] bytes(WriterLock.Holder holder, Instant beat) {
        return holder.toDocument().append("beat", beat.toString()).toJson().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] get(ByteStore store, String name) throws IOException {
        try {
            return store.get(name);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** The mark's reader, or null for no bytes; an unreadable mark is a reader that never beat (gone). */
    static Reader parse(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        WriterLock.Holder h = WriterLock.Holder.parse(bytes);
        Instant beat = Instant.EPOCH;
        try {
            if (Document.parse(new String(bytes, StandardCharsets.UTF_8)).get("beat") instanceof String b) {
                beat = Instant.parse(b);
            }
        } catch (RuntimeException e) {
            // no beat: gone
        }
        return new Reader(h == null ? new WriterLock.Holder("unknown (unreadable mark)", -1, "unknown", Instant.EPOCH, "") : h,
                beat);
    }
}
