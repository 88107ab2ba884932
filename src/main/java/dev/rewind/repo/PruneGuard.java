package dev.rewind.repo;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Keeps a prune's sweep of objects and a snapshot's writing of objects apart (docs/FORMAT.md,
 * "Prune"), so that prune never deletes an object a snapshot in progress wrote or counts on; and
 * forget's and prune's deletions and readers apart ({@link ReadMark}). Each
 * side first publishes its marker, then looks for the other's: prune {@code locks/prune}, a snapshot
 * {@code locks/snapshot-<token>}. On a store where a listing shows every file written before it
 * (a local folder, S3), at least one of the two sees the other: a snapshot that sees a prune waits
 * for it to finish, a prune that sees a snapshot leaves the objects alone this time. A marker whose
 * holder ran on this host and is gone is stale and is removed.
 */
public final class PruneGuard implements AutoCloseable {
    public static final String PRUNE = "locks/prune";
    static final String SNAPSHOT = "locks/snapshot-";
    private final ByteStore store;
    private final String name;

    private PruneGuard(ByteStore store, String name) {
        this.store = store;
        this.name = name;
    }

    /** Takes the prune marker for prune; LOCKED when another prune or a forget holds it. */
    public static PruneGuard forPrune(ByteStore store) {
        return forPrune(store, "rewind prune");
    }

    /**
     * Takes the prune marker for {@code command} (prune, or forget: both delete); LOCKED when
     * another holds it.
     */
    public static PruneGuard forPrune(ByteStore store, String command) {
        byte[] me = holder(command);
        try {
            if (!store.putIfAbsent(PRUNE, me)) {
                WriterLock.Holder other = read(store, PRUNE);
                boolean taken = false;
                // of several prunes that find the same stale marker, only the one that claims its token breaks it
                String claim = PRUNE + "-broken-" + (other == null ? "none" : other.token().replaceAll("[^A-Za-z0-9-]", ""));
                if (other != null && other.isStale() && store.putIfAbsent(claim, me)) {
                    store.delete(PRUNE);
                    taken = store.putIfAbsent(PRUNE, me);  // the claim stays: a later prune must not break the new marker
                }
                if (!taken) {
                    throw new RewindException(ExitCode.LOCKED, "another prune or forget is running on " + store.location()
                            + (other == null ? "" : ": " + other.describe()),
                            "wait for it to finish; if its process is gone, delete " + PRUNE + " from the repository");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PruneGuard(store, PRUNE);
    }

    /** The snapshots being taken now (their markers' holders); stale markers are removed on the way. */
    public List<WriterLock.Holder> snapshotsInProgress() {
        List<WriterLock.Holder> out = new ArrayList<>();
        try {
            for (String n : store.list("locks/")) {
                if (!n.startsWith(SNAPSHOT)) {
                    continue;
                }
                WriterLock.Holder h = read(store, n);
                if (h != null && h.isStale()) {
                    store.delete(n);
                } else if (h != null) {
                    out.add(h);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Marks a snapshot in progress, then waits while a prune runs (at most {@code patience}; then
     * LOCKED). Close it once the manifest is published, or the snapshot failed.
     */
    public static PruneGuard forSnapshot(ByteStore store, Duration patience, Consumer<String> say) {
        String name = SNAPSHOT + UUID.randomUUID();
        try {
            store.put(name, holder("snapshot"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            awaitNoPrune(store, patience, "the snapshot", say);
        } catch (RuntimeException e) {
            try {
                store.delete(name);
            } catch (IOException ignored) {
                // the marker is stale once this process is gone
            }
            throw e;
        }
        return new PruneGuard(store, name);
    }

    /**
     * Waits while {@code locks/prune} is held by a prune or forget that is not stale: at most
     * {@code patience}, then LOCKED. {@code what} ("the snapshot", a reader's command) is named in the hints.
     */
    static void awaitNoPrune(ByteStore store, Duration patience, String what, Consumer<String> say) {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean said = false;
        try {
            while (true) {
                WriterLock.Holder prune = read(store, PRUNE);
                if (prune == null || prune.isStale()) {
                    // a stale marker is no prune; one that breaks it and starts later sees the caller's marker
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new RewindException(ExitCode.LOCKED, "a prune or forget has been running on " + store.location()
                            + " for longer than " + patience.toMinutes() + " minutes: " + prune.describe(),
                            "let it finish and run " + what + " again; if its process is gone, delete " + PRUNE);
                }
                if (!said) {
                    say.accept("waiting for the " + prune.command().replace("rewind ", "") + " in progress to finish: "
                            + prune.describe());
                    said = true;
                }
                Thread.sleep(500);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RewindException(ExitCode.INTERNAL, "interrupted while waiting for a prune or forget to finish",
                    "nothing was read or written; run " + what + " again");
        }
    }

    /** Refuses (LOCKED) while a restore, undo, diff, timeline, verify or export reads the repository ({@link ReadMark}). */
    public void refuseWhileRead(String what) {
        ReadMark.refuseWhileRead(store, what);
    }

    @Override
    public void close() {
        try {
            store.delete(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] holder(String command) {
        return new WriterLock.Holder(command, ProcessHandle.current().pid(), WriterLock.thisHost(), Instant.now(),
                UUID.randomUUID().toString()).toDocument().toJson().getBytes(StandardCharsets.UTF_8);
    }

    private static WriterLock.Holder read(ByteStore store, String name) throws IOException {
        try {
            return WriterLock.Holder.parse(store.get(name));
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (RuntimeException e) {
            return new WriterLock.Holder("unknown (unreadable marker)", -1, "unknown", Instant.EPOCH, "");
        }
    }
}
