package dev.rewind.repo.columns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDbPointer;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** The column form of objects (docs/FORMAT.md, "Object columns"): exact, or refused. */
public class BsonColumnsTest {

    /** A value of any BSON type the BSON spec (bsonspec.org) lists, deprecated ones included. */
    static BsonValue value(Random r, int depth) {
        int kind = r.nextInt(depth <= 0 ? 19 : 21);
        return switch (kind) {
            case 0 -> new BsonDouble(r.nextInt(3) == 0 ? Double.NaN : r.nextGaussian());
            case 1 -> new BsonString(r.nextInt(3) == 0 ? "" : pick(r, "a", "Ada", "Grüße", "x".repeat(r.nextInt(300)), "\uD83D\uDE00"));
            case 2 -> new BsonBinary((byte) r.nextInt(256), bytes(r, r.nextInt(40)));
            case 3 -> new BsonUndefined();
            case 4 -> new BsonObjectId(r.nextBoolean() ? new ObjectId() : new ObjectId(bytes(r, 12)));
            case 5 -> BsonBoolean.valueOf(r.nextBoolean());
            case 6 -> new BsonDateTime(r.nextBoolean() ? r.nextLong() : 1_700_000_000_000L + r.nextInt(1000));
            case 7 -> new BsonNull();
            case 8 -> new BsonRegularExpression(pick(r, "^a", "", "x.*y"), pick(r, "", "i", "imsx"));
            case 9 -> new BsonDbPointer(pick(r, "db.coll", ""), new ObjectId());
            case 10 -> new BsonJavaScript(pick(r, "function(){}", ""));
            case 11 -> new BsonSymbol(pick(r, "sym", ""));
            case 12 -> new BsonJavaScriptWithScope("f()", new BsonDocument("x", new BsonInt32(r.nextInt())));
            case 13 -> new BsonInt32(r.nextBoolean() ? r.nextInt() : r.nextInt(10));
            case 14 -> new BsonTimestamp(r.nextLong());
            case 15 -> new BsonInt64(r.nextBoolean() ? r.nextLong() : r.nextInt(10));
            case 16 -> new BsonDecimal128(Decimal128.parse(r.nextInt(100_000) + ".0" + r.nextInt(10)));
            case 17 -> new BsonMinKey();
            case 18 -> new BsonMaxKey();
            case 19 -> {
                BsonArray a = new BsonArray();
                for (int i = 0, n = r.nextInt(5); i < n; i++) {
                    a.add(value(r, depth - 1));
                }
                yield a;
            }
            default -> document(r, depth - 1);
        };
    }

    static BsonDocument document(Random r, int depth) {
        BsonDocument d = new BsonDocument();
        for (int i = 0, n = r.nextInt(7); i < n; i++) {
            d.put(pick(r, "_id", "a", "b", "name", "", "é", "x" + r.nextInt(20)), value(r, depth));
        }
        return d;
    }

    static String pick(Random r, String... s) {
        return s[r.nextInt(s.length)];
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    public static byte[] bson(BsonDocument d) {
        RawBsonDocument raw = new RawBsonDocument(d, new org.bson.codecs.BsonDocumentCodec());
        return Arrays.copyOf(raw.getByteBuffer().array(), raw.getByteBuffer().remaining());
    }

    static byte[] concat(Random r, int documents, int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < documents; i++) {
            out.writeBytes(bson(document(r, depth)));
        }
        return out.toByteArray();
    }

    @Property(tries = 300)
    void anyRunOfBsonDocumentsComesBackByteForByte(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int documents) {
        byte[] plain = concat(new Random(seed), documents, 3);
        byte[] form = BsonColumns.encode(plain);
        assertThat(form).as("every type the BSON spec lists has a column layout").isNotNull();
        assertThat(BsonColumns.decode(form, plain.length)).isEqualTo(plain);
    }

    @Property(tries = 300)
    void bytesThatAreNotWholeDocumentsAreRefusedNotMangled(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] plain = concat(r, 1 + r.nextInt(5), 2);
        byte[] damaged = dev.rewind.harden.ReaderFuzzTest.mutateBytes(plain, r);
        byte[] form = BsonColumns.encode(damaged);
        if (form != null) {
            // what the encoder takes it must give back exactly: a damaged length is still a valid document run
            assertThat(BsonColumns.decode(form, damaged.length)).isEqualTo(damaged);
        }
        // whichever way it is stored, it reads back as it was
        assertThat(dev.rewind.repo.StoredFile.decode("x", dev.rewind.repo.StoredFile.encodeDocuments(damaged))).isEqualTo(damaged);
    }

    @Property(tries = 200)
    void randomBytesAreRefused(@ForAll @Size(min = 1, max = 200) byte[] bytes) {
        byte[] form = BsonColumns.encode(bytes);
        if (form != null) {
            assertThat(BsonColumns.decode(form, bytes.length)).isEqualTo(bytes);
        }
        assertThat(dev.rewind.repo.StoredFile.decode("x", dev.rewind.repo.StoredFile.encodeDocuments(bytes))).isEqualTo(bytes);
    }

    @Test
    void anArrayWhoseIndexesAreNotCanonicalIsRefused() {
        // BSON spec: array keys are "0", "1", ... in order; anything else is stored as it is, not in columns
        BsonDocument d = new BsonDocument("a", new BsonDocument("1", new BsonInt32(1)).append("0", new BsonInt32(2)));
        byte[] plain = bson(d);
        assertThat(plain[4]).isEqualTo((byte) 0x03);
        plain[4] = 0x04;   // the type byte of "a": now an array numbered "1", "0"
        assertThat(BsonColumns.encode(plain)).isNull();
        assertThat(BsonColumns.encode(bson(new BsonDocument("a", new BsonArray(java.util.List.of(new BsonInt32(2), new BsonInt32(1)))))))
                .isNotNull();
    }

    @Test
    void tooManyDistinctFieldsAreRefused() {
        BsonDocument d = new BsonDocument();
        for (int i = 0; i <= BsonColumns.MAX_COLUMNS; i++) {
            d.put("f" + i, new BsonInt32(i));
        }
        assertThat(BsonColumns.encode(bson(d))).isNull();
        d.remove("f0");
        assertThat(BsonColumns.encode(bson(d))).isNotNull();
    }

    @Test
    void documentsOfOneShapeCompressFarBetterInColumns() {
        dev.rewind.bench.Families families = new dev.rewind.bench.Families(7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < 64 * 1024) {
            out.writeBytes(bson(BsonDocument.parse(families.next().toJson())));
        }
        byte[] plain = out.toByteArray();
        byte[] form = BsonColumns.encode(plain);
        int columns = Zstd.compress(form, 3).length;
        int rows = Zstd.compress(plain, 3).length;
        assertThat(columns).as("zstd of the column form against zstd of the documents").isLessThan(rows * 3 / 4);
        assertThat(BsonColumns.decode(form, plain.length)).isEqualTo(plain);
    }

    @Test
    void repeatedStringsAreWrittenOnceAndComeBack() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            out.writeBytes(bson(new BsonDocument("plan", new BsonString(i % 3 == 0 ? "premium" : "free"))
                    .append("note", new BsonString("n" + i))));
        }
        byte[] plain = out.toByteArray();
        byte[] form = BsonColumns.encode(plain);
        assertThat(new String(form, StandardCharsets.ISO_8859_1).split("premium", -1)).hasSize(2);
        assertThat(BsonColumns.decode(form, plain.length)).isEqualTo(plain);
    }

    @Test
    void aFormFarSmallerThanItsDocumentsComesBack() {
        // the reader starts with room for four times its form and grows as it writes: here it must grow
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 3000; i++) {
            out.writeBytes(bson(new BsonDocument("_id", new BsonInt32(i)).append("total", new BsonInt32(i))
                    .append("note", new BsonString("x".repeat(40)))));
        }
        byte[] plain = out.toByteArray();
        byte[] form = BsonColumns.encode(plain);
        assertThat(form.length * 4).isLessThan(plain.length / 2);
        assertThat(BsonColumns.decode(form, plain.length)).isEqualTo(plain);
    }

    @Test
    void aFormThatDoesNotComeToItsLengthIsRefused() {
        byte[] plain = concat(new Random(1), 10, 2);
        byte[] form = BsonColumns.encode(plain);
        assertThatThrownBy(() -> BsonColumns.decode(form, plain.length - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BsonColumns.decode(form, plain.length + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BsonColumns.decode(Arrays.copyOf(form, form.length - 1), plain.length))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] trailing = Arrays.copyOf(form, form.length + 1);
        assertThatThrownBy(() -> BsonColumns.decode(trailing, plain.length)).isInstanceOf(IllegalArgumentException.class);
        byte[] version = form.clone();
        version[0] = 9;
        assertThatThrownBy(() -> BsonColumns.decode(version, plain.length)).hasMessageContaining("version");
    }

    @Property(tries = 500)
    void aDamagedFormIsRefusedOrReadWithinItsLength(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] plain = concat(r, 1 + r.nextInt(20), 3);
        byte[] form = dev.rewind.harden.ReaderFuzzTest.mutateBytes(BsonColumns.encode(plain), r);
        try {
            byte[] back = BsonColumns.decode(form, plain.length);
            assertThat(back).hasSize(plain.length);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Test
    void aHugeClaimedLengthAllocatesOnlyWhatTheFormMakes() {
        byte[] plain = concat(new Random(2), 3, 1);
        byte[] form = BsonColumns.encode(plain);
        // the envelope's length is outside its checksum: a forged 2 GiB claim must fail, not allocate 2 GiB
        assertThatThrownBy(() -> BsonColumns.decode(form, Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }
}
