package dev.rewind.repo;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.crypto.KeyFile;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code copy --from R1 --to R2} (docs/FORMAT.md, "Copy"): the files of R1 that R2 lacks, byte for
 * byte, so an encrypted repository is copied without its key and stays encrypted under the same one.
 * R2 is either new (it becomes a copy of R1: same id, keys and config) or a copy of R1 already, or
 * both are in clear (objects are then named alike by SHA-256). Files are written in an order that
 * keeps R2 valid if the copy stops half-way: keys, config, objects, the log, incidents, journals
 * (each {@code done} after its batches), and manifests last, each after the objects it names. A file
 * that vanished from R1 meanwhile (a concurrent forget or prune) is skipped. The capture status and
 * the locks are not copied.
 */
public final class Copy {
    private static final int THREADS = 8;
    private final ByteStore from;
    private final ByteStore to;

    public Copy(ByteStore from, ByteStore to) {
        this.from = from;
        this.to = to;
    }

    public record Result(boolean created, int copied, long bytes, int present, int vanished) { }

    public Result run(Consumer<String> say) {
        try {
            RepoConfig source = config(from);
            if (source == null) {
                throw new RewindException(ExitCode.NO_REPOSITORY, "no repository at " + from.location() + " (no config file)",
                        "check --from");
            }
            RepoConfig target = config(to);
            if (target != null && !target.id().equals(source.id()) && (source.encrypted() || target.encrypted())) {
                throw new RewindException(ExitCode.REFUSED, "the repository at " + to.location() + " (id " + target.id()
                        + ") is not a copy of " + from.location() + " (id " + source.id() + "), and one of them is encrypted",
                        "copy into a new location (it becomes a copy of the source with the same keys), or into a copy made that way");
            }
            AtomicInteger copied = new AtomicInteger();
            AtomicLong bytes = new AtomicLong();
            AtomicInteger present = new AtomicInteger();
            AtomicInteger vanished = new AtomicInteger();
            Counter counter = new Counter(copied, bytes, present, vanished);
            if (target == null || target.id().equals(source.id())) {
                folder(KeyFile.FOLDER, counter, n -> true);
            }
            if (target == null) {
                copyOne(Repository.CONFIG, counter);
            }
            // a prune of the target must not sweep objects whose manifests are not copied yet
            try (PruneGuard guard = PruneGuard.forSnapshot(to, Duration.ofMinutes(30), say)) {
                folder("objects/", counter, n -> true);
                folder(SegmentName.FOLDER, counter, n -> true);
                folder(Gap.FOLDER, counter, n -> true);
                folder("incidents/", counter, n -> true);
                folder("journals/", counter, n -> !n.endsWith("/done"));
                folder("journals/", counter, n -> n.endsWith("/done"));
                folder("snapshots/", counter, n -> true);
            }
            return new Result(target == null, copied.get(), bytes.get(), present.get(), vanished.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Counter(AtomicInteger copied, AtomicLong bytes, AtomicInteger present, AtomicInteger vanished) { }

    private void folder(String prefix, Counter counter, java.util.function.Predicate<String> which) throws IOException {
        SortedMap<String, Long> there = to.listSizes(prefix);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Long> e : from.listSizes(prefix).entrySet()) {
            if (!which.test(e.getKey())) {
                continue;
            }
            if (there.containsKey(e.getKey())) {
                counter.present().incrementAndGet();
            } else {
                missing.add(e.getKey());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "copy");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> work = new ArrayList<>();
            for (String name : missing) {
                work.add(pool.submit(() -> {
                    copyOne(name, counter);
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("copy interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void copyOne(String name, Counter counter) throws IOException {
        byte[] data;
        try {
            data = from.get(name);
        } catch (NoSuchFileException gone) {
            counter.vanished().incrementAndGet();
            return;
        }
        boolean wrote;
        if (name.startsWith("objects/")) {
            to.put(name, data);
            wrote = true;
        } else {
            wrote = to.putIfAbsent(name, data);
        }
        if (wrote) {
            counter.copied().incrementAndGet();
            counter.bytes().addAndGet(data.length);
        } else {
            counter.present().incrementAndGet();
        }
    }

    private static RepoConfig config(ByteStore store) throws IOException {
        try {
            return RepoConfig.parse(store.location(), store.get(Repository.CONFIG));
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
