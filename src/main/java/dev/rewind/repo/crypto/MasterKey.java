package dev.rewind.repo.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An encrypted repository's master key: 32 random bytes for AES-256-GCM and 32 for the keyed content
 * address (HMAC-SHA-256). Made once by {@code init --encrypt}; every key file wraps the same one.
 */
public final class MasterKey {
    public static final int SIZE = 64;
    private final byte[] material;

    MasterKey(byte[] material) {
        if (material.length != SIZE) {
            throw new IllegalArgumentException("a master key is " + SIZE + " bytes");
        }
        this.material = material.clone();
    }

    public static MasterKey random() {
        byte[] b = new byte[SIZE];
        new SecureRandom().nextBytes(b);
        return new MasterKey(b);
    }

    byte[] material() {
        return material.clone();
    }

    SecretKeySpec dataKey() {
        return new SecretKeySpec(Arrays.copyOfRange(material, 0, 32), "AES");
    }

    /** The keyed content address of a plaintext: HMAC-SHA-256 under the address key, lower-case hex. */
    public String address(byte[] plaintext) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Arrays.copyOfRange(material, 32, 64), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short public name for this master key (not secret: an HMAC of a constant), to tell copies apart. */
    public String fingerprint() {
        return address("rewind master key fingerprint".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).substring(0, 16);
    }
}
