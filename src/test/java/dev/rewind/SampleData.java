package dev.rewind;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bson.BsonBinarySubType;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/** Test data with the variety of BSON that real databases hold. */
public final class SampleData {
    private SampleData() { }

    /** A family document: nested documents, arrays, dates, decimals, binary, every common type. */
    public static Document family(Random random, int i) {
        return family(random, i, new ObjectId());
    }

    private static Document family(Random random, int i, ObjectId id) {
        return new Document("_id", id)
                .append("name", "Family " + i)
                .append("email", "family" + i + "@example.org")
                .append("plan", random.nextBoolean() ? "premium" : "free")
                .append("balance", new Decimal128(new java.math.BigDecimal(random.nextInt(100000) + ".25")))
                .append("score", random.nextDouble())
                .append("visits", random.nextLong())
                .append("members", random.nextInt(6))
                .append("created", new Date(1700000000000L + i * 1000L))
                .append("active", random.nextBoolean())
                .append("nothing", null)
                .append("avatar", new Binary(BsonBinarySubType.BINARY, bytes(random, 16)))
                .append("token", new Binary(BsonBinarySubType.UUID_STANDARD, bytes(random, 16)))
                .append("pattern", new org.bson.BsonRegularExpression("^f", "i"))
                .append("ts", new org.bson.BsonTimestamp(1700000000, i))
                .append("big", 1234567890123L)
                .append("small", i)
                .append("address", new Document("street", i + " Main St").append("city", "Springfield")
                        .append("geo", new Document("lat", random.nextDouble()).append("lng", random.nextDouble())))
                .append("tags", List.of("a" + (i % 7), "b" + (i % 3)))
                .append("history", List.of(new Document("at", new Date(1700000000000L)).append("what", "signup"),
                        List.of(1, 2.5, "x")));
    }

    /** Fills {@code db} with families (ObjectId _ids), and a collection with non-ObjectId _ids, and indexes. */
    public static void load(MongoDatabase db, int families, long seed) {
        Random random = new Random(seed);
        // ObjectIds as one client process makes them (a second's timestamp, a process value, a counter),
        // but from the seed: the same data, so the same objects and sizes, in every run
        byte[] process = bytes(new Random(seed ^ 0x5DEECE66DL), 5);
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < families; i++) {
            batch.add(family(random, i, objectId(1_700_000_000 + i / 1000, process, i)));
            if (batch.size() == 1000) {
                db.getCollection("family").insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            db.getCollection("family").insertMany(batch);
        }
        db.getCollection("family").createIndex(new Document("email", 1), new IndexOptions().unique(true).name("email_1"));
        db.getCollection("family").createIndex(new Document("plan", 1).append("created", -1), new IndexOptions().name("plan_created"));
        List<Document> odd = List.of(
                new Document("_id", 42).append("v", "int id"),
                new Document("_id", "string-id").append("v", "string id"),
                new Document("_id", new Document("region", "eu").append("n", 1)).append("v", "compound id"),
                new Document("_id", 7L).append("v", "long id"),
                new Document("_id", new Date(0)).append("v", "date id"),
                new Document("_id", new Binary(BsonBinarySubType.UUID_STANDARD, bytes(random, 16))).append("v", "uuid id"));
        db.getCollection("settings").insertMany(odd);
    }

    private static ObjectId objectId(int seconds, byte[] process, int counter) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12).putInt(seconds).put(process);
        b.put((byte) (counter >>> 16)).put((byte) (counter >>> 8)).put((byte) counter);
        return new ObjectId(b.array());
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
