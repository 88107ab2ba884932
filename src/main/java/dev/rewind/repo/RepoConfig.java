package dev.rewind.repo;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * The repository's {@code config} file (docs/FORMAT.md, "config"): format name and version, id,
 * creation time, content hash, chunking parameters, compression and encryption.
 */
public record RepoConfig(int version, String id, Instant created, int chunkTarget, int chunkMin, int chunkMax,
                         boolean encrypted) {
    public static final String FORMAT = "rewind-repository";
    /** The version this Rewind writes: 2 stores objects in column form (docs/FORMAT.md, "Versions"). */
    public static final int VERSION = 2;
    /** The oldest version this Rewind reads and writes (its objects are written as version 1 wrote them). */
    public static final int OLDEST_VERSION = 1;
    static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build();
    /** The content hash and cipher of an encrypted repository (docs/FORMAT.md, "Encryption"). */
    static final String KEYED_HASH = "hmac-sha256";
    static final String CIPHER = "aes-256-gcm";

    /** An unencrypted repository's config. */
    public RepoConfig(int version, String id, Instant created, int chunkTarget, int chunkMin, int chunkMax) {
        this(version, id, created, chunkTarget, chunkMin, chunkMax, false);
    }

    public static RepoConfig fresh() {
        return fresh(false);
    }

    public static RepoConfig fresh(boolean encrypted) {
        return new RepoConfig(VERSION, UUID.randomUUID().toString(), Instant.now(),
                Chunker.DEFAULT_TARGET, Chunker.DEFAULT_MIN, Chunker.DEFAULT_MAX, encrypted);
    }

    /** Whether objects are written in column form (version 2 on); a version-1 repository stays readable by older releases. */
    public boolean columnObjects() {
        return version >= 2;
    }

    public byte[] toBytes() {
        Document d = new Document("format", FORMAT)
                .append("version", version)
                .append("id", id)
                .append("created", created.toString())
                .append("hash", encrypted ? KEYED_HASH : "sha256")
                .append("compression", "zstd")
                .append("encryption", encrypted ? CIPHER : "none")
                .append("chunking", new Document("algorithm", "document-crc32c-v1")
                        .append("target", chunkTarget).append("min", chunkMin).append("max", chunkMax));
        return StoredFile.encode(d.toJson(JSON).getBytes(StandardCharsets.UTF_8), false);
    }

    /** Parses a config file; refuses anything that is not a Rewind repository of a known version. */
    public static RepoConfig parse(String location, byte[] stored) {
        Document d;
        try {
            d = Document.parse(new String(StoredFile.decode("config", stored), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw foreign(location, "its config file is not a Rewind config");
        }
        if (!FORMAT.equals(d.get("format"))) {
            throw foreign(location, "its config names format '" + d.get("format") + "'");
        }
        if (!(d.get("version") instanceof Number number)) {
            throw foreign(location, "its config names no format version");
        }
        int version = number.intValue();
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new RewindException(ExitCode.NO_REPOSITORY,
                    "the repository at " + location + " has format version " + version + "; this Rewind reads versions "
                            + OLDEST_VERSION + " to " + VERSION,
                    "use the Rewind release that wrote it, or a newer one");
        }
        Object encryption = d.get("encryption", "none");
        Object hash = d.get("hash", "sha256");
        boolean encrypted = CIPHER.equals(encryption) && KEYED_HASH.equals(hash);
        if (!encrypted && !("none".equals(encryption) && "sha256".equals(hash))) {
            throw new RewindException(ExitCode.NO_REPOSITORY, "the repository at " + location + " uses encryption '"
                    + encryption + "' with hash '" + hash + "', which this Rewind does not know",
                    "use the Rewind release that wrote it, or a newer one");
        }
        known(location, d, "compression", "zstd");
        if (!(d.get("chunking") instanceof Document chunking)) {
            throw foreign(location, "its config has no chunking parameters");
        }
        known(location, chunking, "algorithm", "document-crc32c-v1");
        int target = parameter(location, chunking, "target");
        int min = parameter(location, chunking, "min");
        int max = parameter(location, chunking, "max");
        if (!(min <= target && target <= max && max <= MAX_CHUNK)) {
            throw foreign(location, "its chunking parameters (min " + min + ", target " + target + ", max " + max
                    + ") are not 0 < min <= target <= max <= " + MAX_CHUNK);
        }
        try {
            return new RepoConfig(version, JsonFields.string(d, "id"), JsonFields.instant(d, "created"), target, min, max,
                    encrypted);
        } catch (IllegalArgumentException e) {
            throw foreign(location, "its config is malformed: " + e.getMessage());
        }
    }

    /** The largest chunk a config may ask for: an object must fit an envelope's 31-bit length. */
    static final int MAX_CHUNK = 1 << 30;

    /** Refuses a config whose {@code key} names something this Rewind cannot read or write. */
    private static void known(String location, Document d, String key, String expected) {
        Object v = d.get(key);
        if (!expected.equals(v)) {
            throw new RewindException(ExitCode.NO_REPOSITORY, "the repository at " + location + " uses " + key + " '" + v
                    + "', which this Rewind does not know (it knows '" + expected + "')",
                    "use the Rewind release that wrote it, or a newer one");
        }
    }

    private static int parameter(String location, Document chunking, String key) {
        if (!(chunking.get(key) instanceof Integer n) || n <= 0) {
            throw foreign(location, "its chunking '" + key + "' is not a positive integer (" + chunking.get(key) + ")");
        }
        return n;
    }

    static RewindException foreign(String location, String why) {
        return new RewindException(ExitCode.NO_REPOSITORY, location + " is not a Rewind repository: " + why,
                "point --repo at a folder made by 'rewind init', or create one there with 'rewind init --repo DIR'");
    }
}
