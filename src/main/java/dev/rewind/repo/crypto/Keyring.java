package dev.rewind.repo.crypto;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** The key files of an encrypted repository ({@code keys/}): open with one, add, list, remove. */
public final class Keyring {
    private final ByteStore store;
    private final String repoId;
    private final int logN;

    public Keyring(ByteStore store, String repoId) {
        this(store, repoId, KeyFile.LOG_N);
    }

    /** {@code logN} sets scrypt's cost for keys added from here (tests use a cheaper one). */
    public Keyring(ByteStore store, String repoId, int logN) {
        this.store = store;
        this.repoId = repoId;
        this.logN = logN;
    }

    /** Every key file, oldest first by name order of ids (ids are random: the list is sorted by creation). */
    public List<KeyFile> all() {
        List<KeyFile> out = new ArrayList<>();
        try {
            for (String name : store.list(KeyFile.FOLDER)) {
                try {
                    out.add(KeyFile.parse(name, store.get(name)));
                } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
                    // a key file this version cannot read opens nothing; verify reports it
                } catch (RewindException e) {
                    // damaged: the others may still open the repository
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort((a, b) -> a.created().compareTo(b.created()));
        return out;
    }

    /** The master key and the key file that opened it; WRONG_KEY (exit 13) when no key file takes the secret. */
    public Unlocked unlock(Secret secret, String location) {
        List<KeyFile> keys = all();
        if (keys.isEmpty()) {
            throw RewindException.corrupt("the encrypted repository at " + location + " has no readable key file (keys/)",
                    "restore keys/ from another copy of the repository");
        }
        for (KeyFile k : keys) {
            MasterKey m = k.unwrap(secret, repoId);
            if (m != null) {
                return new Unlocked(m, k);
            }
        }
        throw new RewindException(ExitCode.WRONG_KEY, "wrong password or key for the repository at " + location
                + " (" + secret.source() + " opens none of its " + keys.size() + " key" + (keys.size() == 1 ? "" : "s") + ")",
                "check " + secret.source() + "; 'rewind key list' shows which keys exist");
    }

    /** Adds a key file wrapping {@code master} under {@code secret}. */
    public KeyFile add(MasterKey master, Secret secret, String label) {
        KeyFile k = KeyFile.wrap(master, secret, repoId, host(), label, logN);
        try {
            if (!store.putIfAbsent(k.fileName(), k.toBytes())) {
                throw new IllegalStateException("key id collision: " + k.id());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return k;
    }

    /** Removes a key file; refuses the last one, and the one in use. */
    public KeyFile remove(String id, KeyFile inUse) {
        List<KeyFile> keys = all();
        KeyFile doomed = keys.stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow(() ->
                RewindException.notFound("no key '" + id + "' in this repository", "list them with 'rewind key list'"));
        if (doomed.id().equals(inUse.id())) {
            throw new RewindException(ExitCode.REFUSED, "key " + id + " is the one this command opened the repository with",
                    "open it with another key (--password-file or --key-file) to remove this one");
        }
        try {
            store.delete(doomed.fileName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return doomed;
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** An open repository's master key and the key file that opened it. */
    public record Unlocked(MasterKey master, KeyFile key) { }
}
