package dev.rewind.repo.crypto;

import java.nio.charset.StandardCharsets;

/**
 * A password or the contents of a key file, and where it came from (for messages; the secret itself
 * is never printed). A password file's trailing newline is not part of the password.
 */
public record Secret(byte[] bytes, String source) {
    public static Secret password(String password, String source) {
        return new Secret(password.getBytes(StandardCharsets.UTF_8), source);
    }

    @Override
    public String toString() {
        return "secret from " + source;
    }
}
