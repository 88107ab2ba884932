package dev.rewind.repo.crypto;

import dev.rewind.repo.StoredFile;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bson.Document;

/**
 * One way into an encrypted repository, the file {@code keys/<id>} (docs/FORMAT.md, "Encryption"):
 * the master key wrapped (AES-256-GCM) under a key derived from a password or key file with scrypt,
 * with the scrypt parameters and salt. Any key file opens the repository; adding one never touches
 * the data. The associated data binds it to its repository and id.
 */
public record KeyFile(String id, Instant created, String host, String label, int logN, int r, int p, byte[] salt,
                      byte[] wrapped) {
    public static final String FOLDER = "keys/";
    /** scrypt N = 2^15, r = 8, p = 1: 32 MiB and a fraction of a second per try, as restic uses. */
    public static final int LOG_N = 15;
    static final int R = 8;
    static final int P = 1;

    public String fileName() {
        return FOLDER + id;
    }

    /** Wraps the master key under {@code secret}, as a new key file of repository {@code repoId}. */
    public static KeyFile wrap(MasterKey master, Secret secret, String repoId, String host, String label, int logN) {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        byte[] idBytes = new byte[4];
        random.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        byte[] kek = derive(secret, salt, logN, R, P);
        byte[] wrapped = Sealing.seal(new SecretKeySpec(kek, "AES"), master.material(), associated(repoId, id));
        return new KeyFile(id, Instant.now(), host, label, logN, R, P, salt, wrapped);
    }

    /** The master key, or null when {@code secret} is not this key file's. */
    public MasterKey unwrap(Secret secret, String repoId) {
        byte[] kek = derive(secret, salt, logN, r, p);
        byte[] material = Sealing.open(new SecretKeySpec(kek, "AES"), wrapped, 0, wrapped.length, associated(repoId, id));
        return material == null || material.length != MasterKey.SIZE ? null : new MasterKey(material);
    }

    private static byte[] derive(Secret secret, byte[] salt, int logN, int r, int p) {
        return SCrypt.generate(secret.bytes(), salt, 1 << logN, r, p, 32);
    }

    private static byte[] associated(String repoId, String keyId) {
        return Sealing.ascii("rewind key " + repoId + " " + keyId);
    }

    public byte[] toBytes() {
        Base64.Encoder b64 = Base64.getEncoder();
        Document d = new Document("kind", "key").append("version", 1).append("id", id)
                .append("created", created.toString()).append("host", host).append("label", label)
                .append("kdf", new Document("algorithm", "scrypt").append("N", 1 << logN).append("r", r).append("p", p)
                        .append("salt", b64.encodeToString(salt)))
                .append("cipher", "aes-256-gcm").append("wrapped", b64.encodeToString(wrapped));
        return StoredFile.encode(d.toJson().getBytes(StandardCharsets.UTF_8), false);
    }

    /** Parses a key file; IllegalArgumentException when it is not one this version reads. */
    public static KeyFile parse(String name, byte[] stored) {
        Document d = Document.parse(new String(StoredFile.decode(name, stored), StandardCharsets.UTF_8));
        Document kdf = d.get("kdf", Document.class);
        if (!"key".equals(d.getString("kind")) || kdf == null || !"scrypt".equals(kdf.getString("algorithm"))
                || !"aes-256-gcm".equals(d.getString("cipher"))) {
            throw new IllegalArgumentException(name + " is not a key file this version reads");
        }
        int n = kdf.getInteger("N");
        if (Integer.bitCount(n) != 1 || n < 2 || n > (1 << 22)) {
            throw new IllegalArgumentException(name + " names scrypt N = " + n + ", not a power of two up to 2^22");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return new KeyFile(d.getString("id"), Instant.parse(d.getString("created")), d.getString("host"),
                d.getString("label"), Integer.numberOfTrailingZeros(n), kdf.getInteger("r"), kdf.getInteger("p"),
                b64.decode(kdf.getString("salt")), b64.decode(d.getString("wrapped")));
    }
}
