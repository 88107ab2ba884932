package dev.rewind.repo.crypto;

import dev.rewind.RewindException;
import dev.rewind.repo.StoredFile;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.zip.CRC32C;

/**
 * The view of an encrypted repository that the rest of Rewind reads and writes in clear. Every
 * enveloped file is stored with cipher 1 (docs/FORMAT.md, "Encryption"): the envelope's payload
 * (the plaintext, or its zstd frame) becomes {@code nonce || AES-256-GCM ciphertext || tag}, the
 * associated data being the file's name and its header's first 12 bytes, and the CRC-32C covers
 * what is stored, so {@code verify} checks it without opening it. Reads turn such a file back into
 * the cipher-0 envelope its writer made. The config, the key files and the locks are not encrypted
 * (they must be read before a key is known, or name their holder); any other file stored in clear
 * is refused as corrupt.
 */
public final class EncryptedStore implements ByteStore {
    static final byte CIPHER_AES_GCM = 1;
    private final ByteStore inner;
    private final MasterKey key;

    public EncryptedStore(ByteStore inner, MasterKey key) {
        this.inner = inner;
        this.key = key;
    }

    /** The store underneath, as stored (for copy, prune's sizes and deletes). */
    public ByteStore inner() {
        return inner;
    }

    static boolean inClear(String name) {
        return name.equals("config") || name.startsWith(KeyFile.FOLDER) || name.startsWith("locks/");
    }

    @Override
    public void put(String name, byte[] data) throws IOException {
        inner.put(name, inClear(name) ? data : seal(name, data));
    }

    @Override
    public boolean putIfAbsent(String name, byte[] data) throws IOException {
        return inner.putIfAbsent(name, inClear(name) ? data : seal(name, data));
    }

    @Override
    public byte[] get(String name) throws IOException {
        byte[] stored = inner.get(name);
        return inClear(name) ? stored : open(name, stored);
    }

    @Override
    public long size(String name) throws IOException {
        return inner.size(name);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return inner.list(prefix);
    }

    @Override
    public SortedMap<String, Long> listSizes(String prefix) throws IOException {
        return inner.listSizes(prefix);
    }

    @Override
    public void delete(String name) throws IOException {
        inner.delete(name);
    }

    @Override
    public void deleteAll(Collection<String> names) throws IOException {
        inner.deleteAll(names);
    }

    @Override
    public String location() {
        return inner.location();
    }

    /** A cipher-0 envelope, sealed: same header but the cipher byte, payload encrypted, CRC of what is stored. */
    byte[] seal(String name, byte[] envelope) {
        StoredFile.checkEnvelope(name, envelope);
        byte[] header = Arrays.copyOf(envelope, StoredFile.HEADER_SIZE);
        header[6] = CIPHER_AES_GCM;
        byte[] payload = Arrays.copyOfRange(envelope, StoredFile.HEADER_SIZE, envelope.length);
        byte[] sealed = Sealing.seal(key.dataKey(), payload, associated(name, header));
        return withPayload(header, sealed);
    }

    /** The cipher-0 envelope a sealed file was made from; CORRUPT when it is not one or does not authenticate. */
    byte[] open(String name, byte[] stored) {
        if (stored.length >= StoredFile.HEADER_SIZE && stored[6] == 0) {
            throw RewindException.corrupt("corrupt repository file " + name + ": stored in clear in an encrypted repository",
                    "a file was put there by something other than Rewind; run 'rewind verify --read-data'");
        }
        if (stored.length < StoredFile.HEADER_SIZE || stored[6] != CIPHER_AES_GCM) {
            StoredFile.checkEnvelope(name, stored);  // names what is wrong
        }
        byte[] header = Arrays.copyOf(stored, StoredFile.HEADER_SIZE);
        checkCrc(name, stored);
        byte[] payload = Sealing.open(key.dataKey(), stored, StoredFile.HEADER_SIZE, stored.length - StoredFile.HEADER_SIZE,
                associated(name, header));
        if (payload == null) {
            throw RewindException.corrupt("corrupt repository file " + name + ": it does not authenticate (AES-GCM)",
                    "the file was changed or moved; run 'rewind verify --read-data' and restore it from another copy");
        }
        header[6] = 0;
        return withPayload(header, payload);
    }

    private static void checkCrc(String name, byte[] stored) {
        CRC32C crc = new CRC32C();
        crc.update(stored, StoredFile.HEADER_SIZE, stored.length - StoredFile.HEADER_SIZE);
        if ((int) crc.getValue() != ByteBuffer.wrap(stored).getInt(12)) {
            throw RewindException.corrupt("corrupt repository file " + name + ": checksum mismatch",
                    "run 'rewind verify --read-data' to list every damaged file; restore from another copy of the repository");
        }
    }

    private static byte[] associated(String name, byte[] header) {
        byte[] n = Sealing.ascii(name);
        byte[] out = Arrays.copyOf(n, n.length + 1 + 12);
        out[n.length] = 0;
        System.arraycopy(header, 0, out, n.length + 1, 12);
        return out;
    }

    private static byte[] withPayload(byte[] header, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer out = ByteBuffer.allocate(StoredFile.HEADER_SIZE + payload.length);
        out.put(header, 0, 12).putInt((int) crc.getValue()).put(payload);
        return out.array();
    }
}
