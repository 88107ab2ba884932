package dev.rewind.repo.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message, the JDK's: {@code nonce || ciphertext || tag}.
 * The associated data binds a message to where it belongs (a file's name and header), so a file
 * moved to another name, or a header changed, fails authentication.
 */
final class Sealing {
    static final int NONCE = 12;
    static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sealing() { }

    static byte[] seal(SecretKey key, byte[] plaintext, byte[] associated) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(associated);
            byte[] out = new byte[NONCE + c.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            c.doFinal(plaintext, 0, plaintext.length, out, NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plaintext, or null when the message does not authenticate under this key and associated data. */
    static byte[] open(SecretKey key, byte[] sealed, int offset, int length, byte[] associated) {
        if (length < NONCE + TAG) {
            return null;
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, Arrays.copyOfRange(sealed, offset, offset + NONCE)));
            c.updateAAD(associated);
            return c.doFinal(sealed, offset + NONCE, length - NONCE);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
