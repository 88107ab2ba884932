package dev.rewind.repo;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Rewind repository on a {@link ByteStore}: the config, the content-addressed objects and the
 * snapshot manifests (docs/FORMAT.md). Files are written once and never modified.
 */
public final class Repository {
    public static final String CONFIG = "config";
    private final ByteStore store;
    private final RepoConfig config;
    static final String VERIFY_HINT = "run 'rewind verify --read-data' to list every damaged file; restore from another copy"
            + " of the repository";
    private final java.util.Map<String, Damage> damage = new java.util.LinkedHashMap<>();
    private volatile Consumer<Damage> damageSink = d -> { };

    private Repository(ByteStore store, RepoConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Creates a repository; refuses a location that already holds one or holds anything else. */
    public static Repository init(ByteStore store) {
        try {
            if (store.exists(CONFIG)) {
                throw new RewindException(ExitCode.REFUSED, "a repository already exists at " + store.location(),
                        "use it as it is, or pick another folder");
            }
            RepoConfig config = RepoConfig.fresh();
            if (!store.putIfAbsent(CONFIG, config.toBytes())) {
                throw new RewindException(ExitCode.REFUSED, "a repository was just created at " + store.location()
                        + " by someone else", "use it as it is, or pick another folder");
            }
            return new Repository(store, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens an existing repository; refuses what is missing, foreign, or of an unknown version. */
    public static Repository open(ByteStore store) {
        byte[] bytes;
        try {
            bytes = store.get(CONFIG);
        } catch (NoSuchFileException e) {
            throw new RewindException(ExitCode.NO_REPOSITORY, "no repository at " + store.location() + " (no config file)",
                    "create one with 'rewind init --repo " + store.location() + "', or check the --repo path");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Repository(store, RepoConfig.parse(store.location(), bytes));
    }

    public ByteStore store() { return store; }

    public RepoConfig config() { return config; }

    public String location() { return store.location(); }

    public WriterLock lock(String command) {
        return WriterLock.acquire(store, command);
    }

    public Chunker chunker(Chunker.Sink sink) {
        return new Chunker(config.chunkTarget(), config.chunkMin(), config.chunkMax(), sink);
    }

    public static String objectName(String hash) {
        if (!Hash.isHash(hash)) {
            throw RewindException.corrupt("not an object address: '" + abbreviate(hash) + "'",
                    "run 'rewind verify' on the repository: the manifest naming it is damaged");
        }
        return "objects/" + hash.substring(0, 2) + "/" + hash;
    }

    /** Stores plaintext as an object unless an identical one exists. */
    public StoredObject putObject(byte[] plaintext) {
        String hash = Hash.sha256(plaintext);
        String name = objectName(hash);
        try {
            long existing = store.size(name);
            if (existing >= 0) {
                return new StoredObject(hash, (int) existing, false);
            }
            byte[] stored = StoredFile.encode(plaintext, true);
            store.put(name, stored);
            return new StoredObject(hash, stored.length, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An object's plaintext, checked against its envelope checksum and its content address. */
    public byte[] getObject(String hash) {
        String name = objectName(hash);
        byte[] stored;
        try {
            stored = store.get(name);
        } catch (NoSuchFileException e) {
            throw RewindException.corrupt("missing repository file " + name,
                    "run 'rewind verify' to list every missing file; restore from another copy of the repository");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] plain = StoredFile.decode(name, stored);
        if (!Hash.sha256(plain).equals(hash)) {
            throw StoredFile.corrupt(name, "content does not match its address");
        }
        return plain;
    }

    /**
     * Every snapshot whose manifest reads, oldest first. A manifest that does not read (damaged, a
     * stray file, a version this Rewind does not know) is skipped and reported (see {@link #damaged()}):
     * what does not need it keeps working.
     */
    public List<SnapshotManifest> snapshots() {
        List<SnapshotManifest> all = new ArrayList<>();
        for (String name : list("snapshots/")) {
            try {
                all.add(SnapshotManifest.parse(name, store.get(name)));
            } catch (RewindException e) {
                noteDamage(name, e);
            } catch (NoSuchFileException gone) {
                // removed while listing
            } catch (IllegalArgumentException badName) {
                noteDamage(name, RewindException.corrupt("a stray file under snapshots/: " + name, VERIFY_HINT));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    /** The files met so far that could not be read, each once, in the order met. */
    public List<Damage> damaged() {
        synchronized (damage) {
            return List.copyOf(damage.values());
        }
    }

    /** Tells {@code sink} of each damaged file as it is met (a command prints a warning). */
    public void reportDamageTo(Consumer<Damage> sink) {
        this.damageSink = sink;
        damaged().forEach(sink);
    }

    void noteDamage(String file, RewindException why) {
        Damage d = new Damage(file, why);
        synchronized (damage) {
            if (damage.putIfAbsent(file, d) != null) {
                return;
            }
        }
        damageSink.accept(d);
    }

    private List<String> list(String prefix) {
        try {
            return store.list(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file that could not be read, and the error reading it gave. */
    public record Damage(String file, RewindException error) {
        public String describe() {
            return file + ": " + error.getMessage().replace("corrupt repository file " + file + ": ", "");
        }
    }

    /** The snapshot with this id (or a unique prefix of it), or the newest for "latest". */
    public SnapshotManifest snapshot(String idOrPrefix) {
        List<SnapshotManifest> all = snapshots();
        if (all.isEmpty() && !damaged().isEmpty() && !"latest".equals(idOrPrefix)) {
            // fall through: the id may name a damaged manifest, which is then reported as such
        } else if (all.isEmpty()) {
            throw RewindException.notFound("the repository at " + location() + " has no " + (damaged().isEmpty() ? ""
                            : "readable ") + "snapshots",
                    "take one with 'rewind snapshot --uri ... --repo " + location() + "'");
        }
        if ("latest".equals(idOrPrefix)) {
            return all.get(all.size() - 1);
        }
        List<SnapshotManifest> matches = all.stream().filter(s -> s.id().startsWith(idOrPrefix)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        String ids = String.join(", ", all.stream().map(SnapshotManifest::id).toList());
        if (matches.isEmpty()) {
            for (Damage d : damaged()) {
                String leaf = d.file().substring(d.file().lastIndexOf('/') + 1);
                if (leaf.indexOf('-') >= 0 && leaf.substring(leaf.indexOf('-') + 1).startsWith(idOrPrefix)) {
                    throw d.error();
                }
            }
            throw RewindException.notFound("no snapshot '" + idOrPrefix + "' in " + location(),
                    "the snapshots are: " + abbreviate(ids) + " (or say 'latest'); list them with 'rewind snapshots'");
        }
        throw RewindException.usage("'" + idOrPrefix + "' matches " + matches.size() + " snapshots",
                "give more characters of the id; list them with 'rewind snapshots'");
    }

    public void saveSnapshot(SnapshotManifest manifest) {
        try {
            if (!store.putIfAbsent(manifest.fileName(), manifest.toBytes())) {
                throw new IllegalStateException("snapshot manifest already exists: " + manifest.fileName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The change-log segments, oldest first, from their names alone; a stray name is skipped and reported. */
    public List<SegmentName> segmentNames() {
        List<SegmentName> out = new ArrayList<>();
        for (String name : list(SegmentName.FOLDER)) {
            try {
                out.add(SegmentName.parse(name));
            } catch (IllegalArgumentException e) {
                noteDamage(name, RewindException.corrupt("a file under segments/ is not a segment: " + name, VERIFY_HINT));
            }
        }
        out.sort(null);
        return out;
    }

    public Segment readSegment(SegmentName name) {
        try {
            return Segment.parse(name.name(), store.get(name.name()));
        } catch (NoSuchFileException e) {
            throw RewindException.corrupt("missing repository file " + name.name(), "run 'rewind verify' on the repository");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void saveSegment(Segment segment) {
        try {
            if (!store.putIfAbsent(segment.name().name(), segment.toBytes())) {
                throw new IllegalStateException("segment already exists: " + segment.name().name());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records that the change log misses {@code (from, to]}, and why. */
    public void recordGap(Gap gap) {
        try {
            store.putIfAbsent(gap.fileName(), gap.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded gaps; one that does not read is skipped and reported. */
    public List<Gap> gaps() {
        List<Gap> out = new ArrayList<>();
        for (String name : list(Gap.FOLDER)) {
            try {
                out.add(Gap.parse(name, store.get(name)));
            } catch (RewindException e) {
                noteDamage(name, e);
            } catch (IllegalArgumentException e) {
                noteDamage(name, RewindException.corrupt("a stray file under gaps/: " + name, VERIFY_HINT));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** The result of storing an object: its address, its stored size, whether it was new. */
    public record StoredObject(String hash, int storedBytes, boolean written) { }
}
