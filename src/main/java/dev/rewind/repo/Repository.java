package dev.rewind.repo;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.event.ClusterTime;
import dev.rewind.repo.crypto.EncryptedStore;
import dev.rewind.repo.crypto.KeyFile;
import dev.rewind.repo.crypto.KeySource;
import dev.rewind.repo.crypto.Keyring;
import dev.rewind.repo.crypto.MasterKey;
import dev.rewind.repo.crypto.Secret;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Rewind repository on a {@link ByteStore}: the config, the content-addressed objects and the
 * snapshot manifests (docs/FORMAT.md). Files are written once and never modified. An encrypted
 * repository is read and written through an {@link EncryptedStore}, so {@link #store()} is in clear
 * either way, and its objects are named by a keyed hash ({@link #address}).
 */
public final class Repository {
    public static final String CONFIG = "config";
    private final ByteStore store;
    private final ByteStore stored;
    private final RepoConfig config;
    static final String VERIFY_HINT = "run 'rewind verify --read-data' to list every damaged file; restore from another copy"
            + " of the repository";
    private final java.util.Map<String, Damage> damage = new java.util.LinkedHashMap<>();
    private volatile Consumer<Damage> damageSink = d -> { };
    private final Keyring.Unlocked unlocked;

    private Repository(ByteStore stored, RepoConfig config, Keyring.Unlocked unlocked) {
        this.stored = stored;
        this.store = unlocked == null ? stored : new EncryptedStore(stored, unlocked.master());
        this.config = config;
        this.unlocked = unlocked;
    }

    /** Creates a repository; refuses a location that already holds one or holds anything else. */
    public static Repository init(ByteStore store) {
        return init(store, null, KeyFile.LOG_N);
    }

    /**
     * Creates a repository, encrypted under {@code secret} when it is not null: a random master key,
     * wrapped in a first key file (scrypt cost 2^{@code logN}), written before the config.
     */
    public static Repository init(ByteStore store, Secret secret, int logN) {
        try {
            if (store.exists(CONFIG)) {
                throw new RewindException(ExitCode.REFUSED, "a repository already exists at " + store.location(),
                        "use it as it is, or pick another folder");
            }
            RepoConfig config = RepoConfig.fresh(secret != null);
            Keyring.Unlocked unlocked = null;
            if (secret != null) {
                MasterKey master = MasterKey.random();
                KeyFile first = new Keyring(store, config.id(), logN).add(master, secret, label(secret));
                unlocked = new Keyring.Unlocked(master, first);
            }
            byte[] bytes = config.toBytes();
            if (!store.putIfAbsent(CONFIG, bytes)) {
                throw new RewindException(ExitCode.REFUSED, "a repository was just created at " + store.location()
                        + " by someone else", "use it as it is, or pick another folder");
            }
            if (store.putIfAbsent(CONFIG, bytes)) {
                // the store wrote over a name that exists: it does not honour put-if-absent (docs/FORMAT.md, "S3")
                throw new RewindException(ExitCode.REFUSED, "the store at " + store.location()
                        + " does not honour conditional writes: a second put-if-absent of the config succeeded",
                        "use a server that supports If-None-Match: * (AWS S3, MinIO, Ceph RGW), or add conditional-writes=false"
                                + " to the s3:// location and never run two writers at once");
            }
            return new Repository(store, config, unlocked);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String label(Secret secret) {
        return secret.source().startsWith("the key file") ? "key file" : "password";
    }

    /** Opens an existing repository, asking for a key only from the environment (REWIND_PASSWORD). */
    public static Repository open(ByteStore store) {
        return open(store, KeySource.environment());
    }

    /**
     * Opens an existing repository; refuses what is missing, foreign, or of an unknown version, and an
     * encrypted one that no key given opens (WRONG_KEY, before anything is written).
     */
    public static Repository open(ByteStore store, KeySource keys) {
        byte[] bytes;
        try {
            bytes = store.get(CONFIG);
        } catch (NoSuchFileException e) {
            throw new RewindException(ExitCode.NO_REPOSITORY, "no repository at " + store.location() + " (no config file)",
                    "create one with 'rewind init --repo " + store.location() + "', or check the --repo path");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RepoConfig config = RepoConfig.parse(store.location(), bytes);
        Keyring ring = new Keyring(store, config.id());
        if (!config.encrypted()) {
            if (!ring.all().isEmpty()) {
                throw RewindException.corrupt("the repository at " + store.location()
                        + " has key files (keys/) but its config says it is not encrypted",
                        "the config was changed; restore it from another copy of the repository");
            }
            return new Repository(store, config, null);
        }
        return new Repository(store, config, ring.unlock(keys.secret(store.location()), store.location()));
    }

    /** The repository as the rest of Rewind reads and writes it: in clear, even when it is stored encrypted. */
    public ByteStore store() { return store; }

    /** The files as they are stored (encrypted ones encrypted): for copy, and for the sizes and deletes of prune. */
    public ByteStore storedFiles() { return stored; }

    /** The keys of an encrypted repository (cost 2^{@code logN} for keys added); null for one in clear. */
    public Keyring keyring(int logN) {
        return config.encrypted() ? new Keyring(stored, config.id(), logN) : null;
    }

    /** The master key and the key file this repository was opened with; null when it is not encrypted. */
    public Keyring.Unlocked unlocked() { return unlocked; }

    /** The content address of a plaintext: SHA-256, or HMAC-SHA-256 under the repository's key when encrypted. */
    public String address(byte[] plaintext) {
        return unlocked == null ? Hash.sha256(plaintext) : unlocked.master().address(plaintext);
    }

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

    /** Stores plaintext (whole BSON documents) as an object unless an identical one exists. */
    public StoredObject putObject(byte[] plaintext) {
        String hash = address(plaintext);
        String name = objectName(hash);
        try {
            long existing = store.size(name);
            if (existing >= 0) {
                return new StoredObject(hash, (int) existing, false);
            }
            byte[] stored = config.columnObjects() ? StoredFile.encodeDocuments(plaintext) : StoredFile.encode(plaintext, true);
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
        if (!address(plain).equals(hash)) {
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

    /**
     * The change-log segments, oldest first, from their names alone, without the redundant ones: a
     * segment whose range lies inside another's was merged into it by prune (docs/FORMAT.md,
     * "Compaction") and is left only until prune deletes it.
     */
    public List<SegmentName> segmentNames() {
        return withoutContained(allSegmentNames());
    }

    /** Drops every segment whose {@code (from, to]} lies within another's; the list is sorted, and stays so. */
    public static List<SegmentName> withoutContained(List<SegmentName> sorted) {
        List<SegmentName> out = new ArrayList<>();
        ClusterTime reach = null;  // the furthest `to` of the segments kept so far, which all start no later
        for (int i = 0; i < sorted.size(); i++) {
            SegmentName s = sorted.get(i);
            boolean insidePrevious = reach != null && !s.to().isAfter(reach);
            boolean insideNext = i + 1 < sorted.size() && sorted.get(i + 1).from().equals(s.from())
                    && sorted.get(i + 1).to().isAfter(s.to());
            if (insidePrevious || insideNext) {
                continue;
            }
            out.add(s);
            reach = reach == null || s.to().isAfter(reach) ? s.to() : reach;
        }
        return out;
    }

    /** Every segment listed, redundant ones included (for prune), oldest first. */
    public List<SegmentName> allSegmentNames() {
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

    /** How many events a segment holds (its header's count), without reading them. */
    public int segmentEventCount(SegmentName name) {
        try {
            return Segment.count(name.name(), store.get(name.name()));
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
