package dev.rewind.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.columns.BsonColumns;
import dev.rewind.repo.columns.BsonColumnsTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoredFileTest {

    private static byte[] compressible(int size) {
        byte[] b = new byte[size];
        byte[] text = "{\"name\": \"Ada\", \"city\": \"London\"} ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            b[i] = text[i % text.length];
        }
        return b;
    }

    private static byte[] incompressible(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void compressibleDataRoundTripsThroughZstd() {
        byte[] plain = compressible(100_000);
        byte[] stored = StoredFile.encode(plain, true);
        assertThat(stored[5]).isEqualTo(StoredFile.CODEC_ZSTD);
        assertThat(stored.length).isLessThan(plain.length / 10);
        assertThat(StoredFile.decode("x", stored)).isEqualTo(plain);
    }

    @Test
    void incompressibleDataIsStoredAsIs() {
        byte[] plain = incompressible(10_000);
        byte[] stored = StoredFile.encode(plain, true);
        assertThat(stored[5]).isEqualTo(StoredFile.CODEC_NONE);
        assertThat(stored).hasSize(StoredFile.HEADER_SIZE + plain.length);
        assertThat(StoredFile.decode("x", stored)).isEqualTo(plain);
    }

    @Test
    void dataIsStoredAsIsWhenCompressionIsOff() {
        byte[] plain = compressible(10_000);
        byte[] stored = StoredFile.encode(plain, false);
        assertThat(stored[5]).isEqualTo(StoredFile.CODEC_NONE);
        assertThat(java.util.Arrays.copyOfRange(stored, StoredFile.HEADER_SIZE, stored.length)).isEqualTo(plain);
        assertThat(StoredFile.decode("x", stored)).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void emptyDataRoundTrips(boolean compress) {
        byte[] stored = StoredFile.encode(new byte[0], compress);
        assertThat(stored).hasSize(StoredFile.HEADER_SIZE);
        assertThat(StoredFile.decode("x", stored)).isEmpty();
    }

    @Test
    void headerIsLaidOutAsDocumented() {
        byte[] plain = compressible(5000);
        byte[] stored = StoredFile.encode(plain, true);
        ByteBuffer b = ByteBuffer.wrap(stored);
        assertThat(new String(stored, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RWND");
        assertThat(stored[4]).isEqualTo((byte) 1);
        assertThat(stored[5]).isEqualTo((byte) 1);
        assertThat(stored[6]).isEqualTo((byte) 0);
        assertThat(stored[7]).isEqualTo((byte) 0);
        assertThat(b.getInt(8)).isEqualTo(5000);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(stored, 16, stored.length - 16);
        assertThat(b.getInt(12)).isEqualTo((int) crc.getValue());
    }

    @Property(tries = 200)
    void anyContentRoundTrips(@ForAll @Size(max = 3000) byte[] plain, @ForAll boolean compress) {
        assertThat(StoredFile.decode("x", StoredFile.encode(plain, compress))).isEqualTo(plain);
    }

    @Provide
    Arbitrary<byte[]> encodedFiles() {
        Arbitrary<byte[]> plain = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 4000).map(StoredFileTest::compressible),
                Arbitraries.integers().between(0, 4000).map(StoredFileTest::incompressible));
        return Combinators.combine(plain, Arbitraries.of(true, false)).as(StoredFile::encode);
    }

    @Property(tries = 2000)
    void anySingleByteChangeIsDetected(@ForAll("encodedFiles") byte[] stored,
                                       @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
                                       @ForAll @IntRange(min = 1, max = 255) int xor) {
        int position = where % stored.length;
        byte[] damaged = stored.clone();
        damaged[position] ^= (byte) xor;
        assertThatThrownBy(() -> StoredFile.decode("objects/ab/abc", damaged))
                .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CORRUPT))
                .hasMessageContaining("objects/ab/abc");
    }

    @Test
    void everyByteOfACompressedAndAStoredFileIsCovered() {
        for (byte[] stored : new byte[][] {StoredFile.encode(compressible(2000), true),
            StoredFile.encode(incompressible(300), true), StoredFile.encodeDocuments(families(2000))}) {
            for (int position = 0; position < stored.length; position++) {
                for (int xor : new int[] {0x01, 0x80, 0xFF, 0x7F}) {
                    byte[] damaged = stored.clone();
                    damaged[position] ^= (byte) xor;
                    int at = position;
                    assertThatThrownBy(() -> StoredFile.decode("f", damaged))
                            .as("byte %d ^ %02x", at, xor)
                            .isInstanceOfSatisfying(RewindException.class,
                                    e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CORRUPT));
                }
            }
        }
    }

    @Test
    void refusesAForeignFileNamingTheMagic() {
        byte[] stored = StoredFile.encode(compressible(100), true);
        stored[0] = '{';
        assertThatThrownBy(() -> StoredFile.decode("config", stored))
                .isInstanceOf(RewindException.class)
                .hasMessageContaining("config").hasMessageContaining("bad magic");
    }

    @Test
    void refusesAnUnknownEnvelopeVersionNamingIt() {
        byte[] stored = StoredFile.encode(compressible(100), true);
        stored[4] = 2;
        assertThatThrownBy(() -> StoredFile.decode("config", stored))
                .isInstanceOf(RewindException.class)
                .hasMessageContaining("unknown envelope version 2");
    }

    @Test
    void refusesAnEncryptedFileNamingTheCipher() {
        byte[] stored = StoredFile.encode(compressible(100), true);
        stored[6] = 1;
        assertThatThrownBy(() -> StoredFile.decode("snapshots/x", stored))
                .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CORRUPT))
                .hasMessageContaining("snapshots/x").hasMessageContaining("cipher 1");
    }

    /** Family documents (bench/Families) of at least {@code size} bytes of BSON. */
    static byte[] families(int size) {
        dev.rewind.bench.Families families = new dev.rewind.bench.Families(size);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (out.size() < size) {
            out.writeBytes(BsonColumnsTest.bson(org.bson.BsonDocument.parse(families.next().toJson())));
        }
        return out.toByteArray();
    }

    @Test
    void documentsAreStoredInColumnFormSmallerThanZstdAloneAndComeBack() {
        byte[] plain = families(64 * 1024);
        byte[] stored = StoredFile.encodeDocuments(plain);
        assertThat(stored[5]).isEqualTo(StoredFile.CODEC_COLUMNS);
        assertThat(stored.length).isLessThan(StoredFile.encode(plain, true).length * 3 / 4);
        assertThat(ByteBuffer.wrap(stored).getInt(8)).isEqualTo(plain.length);
        assertThat(StoredFile.decode("x", stored)).isEqualTo(plain);
    }

    @Test
    void bytesThatAreNotDocumentsAreStoredAsBefore() {
        byte[] text = compressible(10_000);
        byte[] stored = StoredFile.encodeDocuments(text);
        assertThat(stored).isEqualTo(StoredFile.encode(text, true));
        byte[] noise = incompressible(10_000);
        assertThat(StoredFile.encodeDocuments(noise)[5]).isEqualTo(StoredFile.CODEC_NONE);
        assertThat(StoredFile.decode("x", StoredFile.encodeDocuments(new byte[0]))).isEmpty();
    }

    @Test
    void aColumnFormThatDoesNotReadIsRefusedAsCorrupt() {
        byte[] plain = families(3000);
        byte[] form = BsonColumns.encode(plain);
        form[form.length - 3] ^= 0x40;
        byte[] wrapped = sound(StoredFile.CODEC_COLUMNS, plain.length, com.github.luben.zstd.Zstd.compress(form, 3));
        // the damage is inside a sound envelope (checksum recomputed): the form's own checks or the address catch it
        try {
            assertThat(StoredFile.decode("objects/ab/abc", wrapped)).isNotEqualTo(plain);
        } catch (RewindException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.CORRUPT);
            assertThat(e.getMessage()).contains("objects/ab/abc");
        }
        byte[] bomb = sound(StoredFile.CODEC_COLUMNS, 10, com.github.luben.zstd.Zstd.compress(new byte[1 << 21], 1));
        assertThatThrownBy(() -> StoredFile.decode("f", bomb)).hasMessageContaining("does not fit");
        byte[] notColumns = sound(StoredFile.CODEC_COLUMNS, plain.length, com.github.luben.zstd.Zstd.compress(plain, 3));
        assertThatThrownBy(() -> StoredFile.decode("f", notColumns)).hasMessageContaining("column form does not read");
    }

    /** An envelope laid out as docs/FORMAT.md says, checksum and all, around any payload. */
    static byte[] sound(byte codec, int length, byte[] payload) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(StoredFile.HEADER_SIZE + payload.length).put("RWND".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1).put(codec).put((byte) 0).put((byte) 0).putInt(length).putInt((int) crc.getValue()).put(payload).array();
    }

    @Test
    void refusesAnUnknownCodecNamingIt() {
        byte[] stored = StoredFile.encode(compressible(100), true);
        stored[5] = 9;
        assertThatThrownBy(() -> StoredFile.decode("f", stored)).hasMessageContaining("unknown codec 9");
    }

    @Test
    void refusesAFileShorterThanItsHeader() {
        assertThatThrownBy(() -> StoredFile.decode("f", "RWND".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(RewindException.class).hasMessageContaining("shorter than its header");
    }

    @Test
    void refusesATruncatedFile() {
        byte[] stored = StoredFile.encode(compressible(5000), true);
        byte[] truncated = java.util.Arrays.copyOf(stored, stored.length - 1);
        assertThatThrownBy(() -> StoredFile.decode("f", truncated))
                .isInstanceOf(RewindException.class).hasMessageContaining("checksum mismatch");
    }

    @Test
    void refusesALengthFieldThatDisagreesWithTheCompressedFrame() {
        byte[] stored = StoredFile.encode(compressible(5000), true);
        ByteBuffer.wrap(stored).putInt(8, 0x7fff_0000);
        assertThatThrownBy(() -> StoredFile.decode("f", stored))
                .isInstanceOf(RewindException.class).hasMessageContaining("length");
    }
}
