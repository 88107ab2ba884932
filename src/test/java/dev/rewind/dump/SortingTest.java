package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.sandbox.Sandbox;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import sorts a dump by _id as the server's _id index orders it (MongoDB manual, "Comparison/Sort
 * Order"), merging sorted runs from disk and keeping the last copy of a document read twice; the
 * archive checksum is CRC-64/XZ, Go's crc64 with the ECMA table.
 */
class SortingTest {
    @TempDir
    Path tmp;

    @Test
    void idsSortAsTheServersIdIndexSortsThem() {
        // (the sandbox sorts NaN last, takes Decimal128 beyond a double's range as an infinity and drops a binary of
        // subtype 5 or a short UUID: the order of numbers is checked against mongod's rule below instead)
        List<Object> ids = new ArrayList<>(List.of(new BsonMinKey(), new BsonMaxKey(), -5, 3, 3.5, 4L,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Decimal128.parse("3.25"),
                9_007_199_254_740_993L, 9.007199254740992E15, "", "a", "B", "ä", "aa", new Document("a", 1), new Document("a", "x"),
                new Document("b", 0), new Document("a", 1).append("b", 1), new BsonBinary(new byte[] {1}),
                new BsonBinary((byte) 0x80, new byte[] {0}), new BsonBinary(new byte[] {0, 0}), new ObjectId(new Date(0), 1),
                new ObjectId(new Date(1_000_000), 0), false, true, new Date(-1), new Date(5), new BsonTimestamp(1, 2),
                new BsonTimestamp(0xFFFFFFFF, 0)));
        Collections.shuffle(ids, new Random(7));
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            var coll = client.getDatabase("t").getCollection("ids", BsonDocument.class);
            for (Object id : ids) {
                client.getDatabase("t").getCollection("ids").insertOne(new Document("_id", id));
            }
            List<BsonValue> byServer = new ArrayList<>();
            coll.find().sort(new BsonDocument("_id", new BsonInt32(1))).forEach(d -> byServer.add(d.get("_id")));
            List<BsonValue> byImport = new ArrayList<>(byServer);
            Collections.shuffle(byImport, new Random(8));
            byImport.sort(BsonOrder.INSTANCE);
            assertThat(byImport).hasSize(ids.size()).isEqualTo(byServer);
        }
    }

    /** mongod orders NaN below every number (src/mongo/base/compare_numbers.h, compareDoubles) and decimals by value. */
    @Test
    void nanComesFirstAndDecimalsBeyondADoubleKeepTheirValue() {
        List<BsonValue> values = new ArrayList<>(List.of(new org.bson.BsonDouble(Double.NEGATIVE_INFINITY),
                new org.bson.BsonDecimal128(Decimal128.parse("-1E+400")), new org.bson.BsonDouble(-1e300),
                new org.bson.BsonDouble(Double.NaN), new org.bson.BsonDecimal128(Decimal128.parse("1E+400")),
                new org.bson.BsonDouble(Double.POSITIVE_INFINITY)));
        List<BsonValue> expected = List.of(values.get(3), values.get(0), values.get(1), values.get(2), values.get(4), values.get(5));
        Collections.shuffle(values, new Random(3));
        values.sort(BsonOrder.INSTANCE);
        assertThat(values).isEqualTo(expected);
    }

    @Test
    void runsMergeInIdOrderAndADocumentReadTwiceIsKeptOnceAsReadLast() throws Exception {
        List<String> merged = new ArrayList<>();
        try (SortedRuns runs = new SortedRuns(tmp, "t.c")) {
            runs.add(doc(3, "first"), "test");
            runs.add(doc(1, "first"), "test");
            runs.spill();
            runs.add(doc(2, "only"), "test");
            runs.add(doc(3, "moved"), "test");
            runs.spill();
            runs.add(doc(1, "moved"), "test");
            runs.add(doc(0, "held"), "test");
            runs.merge(d -> merged.add(new RawBsonDocument(d).get("_id").asInt32().getValue() + " "
                    + new RawBsonDocument(d).getString("v").getValue()));
            assertThat(merged).containsExactly("0 held", "1 moved", "2 only", "3 moved");
            assertThat(runs.duplicates()).isEqualTo(2);
        }
    }

    @Test
    void theArchiveChecksumIsCrc64Xz() {
        Crc64 crc = new Crc64();
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        crc.update(check, 0, 4);
        crc.update(check, 4, 5);
        assertThat(crc.value()).isEqualTo(0x995DC9BBDF1939FAL);
    }

    private static byte[] doc(int id, String v) {
        BsonDocument d = new BsonDocument("_id", new BsonInt32(id)).append("v", new BsonString(v));
        ByteBuffer b = new RawBsonDocument(d, new BsonDocumentCodec()).getByteBuffer().asNIO();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
