package dev.rewind.repo.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.Hash;
import dev.rewind.repo.Repository;
import dev.rewind.repo.StoredFile;
import dev.rewind.repo.store.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedRepositoryTest {
    static final int CHEAP = 10;
    @TempDir
    Path dir;
    LocalStore store;
    Repository repo;
    final byte[] secretText = "the Smith family, premium plan, smith@example.com".repeat(50).getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void init() {
        store = new LocalStore(dir.resolve("repo"));
        repo = Repository.init(store, Secret.password("correct horse", "test"), CHEAP);
    }

    static KeySource password(String p) {
        return new KeySource(null, null, p);
    }

    @Test
    void objectsAreStoredEncryptedUnderAKeyedAddressAndReadBackWithThePassword() throws IOException {
        Repository.StoredObject put = repo.putObject(secretText);
        assertThat(put.hash()).isNotEqualTo(Hash.sha256(secretText)).hasSize(64);
        byte[] stored = store.get(Repository.objectName(put.hash()));
        assertThat(stored[6]).as("cipher byte").isEqualTo((byte) 1);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("smith@example.com");
        StoredFile.checkEnvelope("crc only", withCipherZero(stored));  // the CRC covers what is stored

        Repository reopened = Repository.open(store, password("correct horse"));
        assertThat(reopened.getObject(put.hash())).isEqualTo(secretText);
        assertThat(reopened.putObject(secretText).written()).as("dedup still works").isFalse();
    }

    @Test
    void aWrongOrMissingPasswordIsRefusedWithItsExitCodeAndWritesNothing() throws IOException {
        repo.putObject(secretText);
        List<String> before = everything();
        assertThatThrownBy(() -> Repository.open(store, password("wrong horse")))
                .isInstanceOfSatisfying(RewindException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.WRONG_KEY);
                    assertThat(e.getMessage()).contains("wrong password").doesNotContain("wrong horse");
                    assertThat(e.hint()).isNotBlank();
                });
        assertThatThrownBy(() -> Repository.open(store, password(null)))
                .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.WRONG_KEY));
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aFileMovedToAnotherNameOrChangedDoesNotAuthenticate() throws IOException {
        String a = repo.putObject(secretText).hash();
        String b = repo.putObject("another family".getBytes(StandardCharsets.UTF_8)).hash();
        store.put(Repository.objectName(b), store.get(Repository.objectName(a)));
        Repository reopened = Repository.open(store, password("correct horse"));
        assertThatThrownBy(() -> reopened.getObject(b)).isInstanceOfSatisfying(RewindException.class,
                e -> assertThat(e.getMessage()).contains("does not authenticate"));

        byte[] flipped = store.get(Repository.objectName(a));
        flipped[40] ^= 1;
        fixCrc(flipped);
        store.put(Repository.objectName(a), flipped);
        assertThatThrownBy(() -> reopened.getObject(a)).isInstanceOfSatisfying(RewindException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CORRUPT));
    }

    @Test
    void aFilePutThereInClearIsRefused() throws IOException {
        String name = Repository.objectName(Hash.sha256(new byte[] {1}));
        store.put(name, StoredFile.encode(new byte[] {1}, false));
        String hash = name.substring(name.lastIndexOf('/') + 1);
        assertThatThrownBy(() -> repo.getObject(hash)).isInstanceOfSatisfying(RewindException.class,
                e -> assertThat(e.getMessage()).contains("stored in clear"));
    }

    @Test
    void anotherKeyOpensTheSameRepositoryAndARemovedOneNoLonger() {
        String hash = repo.putObject(secretText).hash();
        Keyring ring = repo.keyring(CHEAP);
        KeyFile second = ring.add(repo.unlocked().master(), Secret.password("second", "test"), "password");
        Repository viaSecond = Repository.open(store, password("second"));
        assertThat(viaSecond.getObject(hash)).isEqualTo(secretText);
        assertThat(ring.all()).hasSize(2);

        assertThatThrownBy(() -> viaSecond.keyring(CHEAP).remove(second.id(), viaSecond.unlocked().key()))
                .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.REFUSED));
        repo.keyring(CHEAP).remove(second.id(), repo.unlocked().key());
        assertThatThrownBy(() -> Repository.open(store, password("second")))
                .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.WRONG_KEY));
        assertThat(Repository.open(store, password("correct horse")).getObject(hash)).isEqualTo(secretText);
    }

    @Test
    void aConfigTurnedToCleartextBesideKeyFilesIsRefused() throws IOException {
        byte[] config = store.get(Repository.CONFIG);
        String json = new String(StoredFile.decode("config", config), StandardCharsets.UTF_8)
                .replace("\"aes-256-gcm\"", "\"none\"").replace("\"hmac-sha256\"", "\"sha256\"");
        store.put(Repository.CONFIG, StoredFile.encode(json.getBytes(StandardCharsets.UTF_8), false));
        assertThatThrownBy(() -> Repository.open(store, password("correct horse")))
                .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.getMessage()).contains("key files"));
    }

    @Test
    void aKeyFileRecordsTheStandardScryptCost() {
        Repository standard = Repository.init(new LocalStore(dir.resolve("standard")), Secret.password("pw", "test"),
                KeyFile.LOG_N);
        assertThat(Repository.open(new LocalStore(dir.resolve("standard")), password("pw")).config().encrypted()).isTrue();
        assertThat(standard.unlocked().key().logN()).isEqualTo(15);
    }

    private List<String> everything() throws IOException {
        try (var files = Files.walk(dir.resolve("repo"))) {
            return files.filter(Files::isRegularFile).map(p -> p + " " + p.toFile().length()).sorted().toList();
        }
    }

    private static byte[] withCipherZero(byte[] stored) {
        byte[] copy = stored.clone();
        copy[6] = 0;
        return copy;
    }

    private static void fixCrc(byte[] stored) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(stored, 16, stored.length - 16);
        java.nio.ByteBuffer.wrap(stored).putInt(12, (int) crc.getValue());
    }
}
