package dev.rewind.repo.crypto;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the password or key of an encrypted repository comes from, in this order: {@code --key-file}
 * (its bytes, whole), {@code --password-file} (its first line), the environment variable
 * {@code REWIND_PASSWORD}, and last a prompt when there is a terminal. Nothing is asked for until a
 * repository turns out to be encrypted.
 */
public final class KeySource {
    public static final String ENV = "REWIND_PASSWORD";
    private final Path passwordFile;
    private final Path keyFile;
    private final String envPassword;

    public KeySource(Path passwordFile, Path keyFile, String envPassword) {
        this.passwordFile = passwordFile;
        this.keyFile = keyFile;
        this.envPassword = envPassword;
    }

    /** Only the environment (and a terminal). */
    public static KeySource environment() {
        return new KeySource(null, null, System.getenv(ENV));
    }

    public static KeySource of(Path passwordFile, Path keyFile) {
        return new KeySource(passwordFile, keyFile, System.getenv(ENV));
    }

    /** Whether a secret was given without asking (a file or the environment). */
    public boolean given() {
        return keyFile != null || passwordFile != null || envPassword != null;
    }

    /** The secret for the repository at {@code location}; WRONG_KEY (exit 13) when none is given. */
    public Secret secret(String location) {
        if (keyFile != null) {
            byte[] b = read(keyFile, "--key-file");
            if (b.length < 16) {
                throw new RewindException(ExitCode.USAGE, "the key file " + keyFile + " holds " + b.length + " bytes; a key file holds at least 16",
                        "make one with: head -c 32 /dev/urandom > KEYFILE (and keep a copy somewhere safe)");
            }
            return new Secret(b, "the key file " + keyFile);
        }
        if (passwordFile != null) {
            String text = new String(read(passwordFile, "--password-file"), java.nio.charset.StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return checked(Secret.password(line, "the password file " + passwordFile));
        }
        if (envPassword != null) {
            return checked(Secret.password(envPassword, ENV));
        }
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("password for %s: ", location);
            if (typed != null) {
                Secret s = checked(Secret.password(new String(typed), "the terminal"));
                Arrays.fill(typed, ' ');
                return s;
            }
        }
        throw new RewindException(ExitCode.WRONG_KEY, "the repository at " + location + " is encrypted and no password was given",
                "set " + ENV + ", or pass --password-file FILE or --key-file FILE");
    }

    private static Secret checked(Secret s) {
        if (s.bytes().length == 0) {
            throw new RewindException(ExitCode.USAGE, "the password from " + s.source() + " is empty",
                    "give a non-empty password");
        }
        return s;
    }

    private static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw RewindException.notFound("no such file: " + file + " (" + option + ")", "check the path given to " + option);
        } catch (IOException e) {
            throw new RewindException(ExitCode.IO, "cannot read " + file + " (" + option + "): " + e.getMessage(),
                    "check the file's permissions");
        }
    }
}
