package dev.rewind.dump;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.bson.BsonBinary;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * The data the dump tests write and compare: families inserted in shuffled {@code _id} order (so a
 * dump's order is not {@code _id} order) with values of many BSON types, their children, a
 * collection whose {@code _id}s mix types, a unique and a compound sparse index, a collection with
 * options and a view; and the comparisons: every document byte for byte, the indexes, the options.
 */
final class DumpData {
    private DumpData() { }

    static void write(MongoClient client, String dbName, int families) {
        MongoDatabase db = client.getDatabase(dbName);
        Random random = new Random(15);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < families; i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, random);
        List<Document> docs = new ArrayList<>();
        for (int i : ids) {
            docs.add(new Document("_id", i).append("name", "family " + i).append("email", "f" + i + "@example.org")
                    .append("members", i % 5).append("balance", Decimal128.parse(i + ".25")).append("visits", (long) i * 1_000_000_007L)
                    .append("score", i / 3.0).append("joined", new Date(1_700_000_000_000L + i * 1000L))
                    .append("address", new Document("city", "city " + (i % 17)).append("zip", String.format("%05d", i)))
                    .append("tags", List.of("t" + (i % 3), "t" + (i % 7))).append("photo", new BsonBinary(new byte[] {(byte) i, 1, 2}))
                    .append("ref", new ObjectId(new Date(1_700_000_000_000L), i)).append("active", i % 2 == 0)
                    .append("note", i % 10 == 0 ? null : "x".repeat(200 + i % 50)).append("seen", new BsonTimestamp(1_700_000_000, i)));
        }
        MongoCollection<Document> family = db.getCollection("family");
        for (int i = 0; i < docs.size(); i += 500) {
            family.insertMany(docs.subList(i, Math.min(docs.size(), i + 500)));
        }
        family.createIndex(new Document("email", 1), new IndexOptions().unique(true));
        family.createIndex(new Document("address.city", 1).append("members", -1), new IndexOptions().sparse(true).name("city_members"));
        List<Document> children = new ArrayList<>();
        for (int i = 0; i < families * 2; i++) {
            children.add(new Document("_id", new ObjectId(new Date(1_700_000_000_000L + i), i)).append("family", ids.get(i % families))
                    .append("name", "child " + i));
        }
        db.getCollection("child").insertMany(children);
        db.getCollection("mixed").insertMany(List.of(new Document("_id", "b"), new Document("_id", 2L), new Document("_id", 1.5),
                new Document("_id", new ObjectId(new Date(1_600_000_000_000L), 1)), new Document("_id", new Document("k", 1)),
                new Document("_id", "a"), new Document("_id", -3), new Document("_id", true), new Document("_id", new Date(0))));
        db.createCollection("audit", new com.mongodb.client.model.CreateCollectionOptions()
                .changeStreamPreAndPostImagesOptions(new com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions(true)));
        db.getCollection("audit").insertOne(new Document("_id", 1).append("what", "created"));
        db.createView("active", "family", List.of(new Document("$match", new Document("active", true))));
    }

    /** Every document of a collection in _id order, as the hex of its bytes. */
    static List<String> documents(MongoClient client, String db, String coll) {
        List<String> out = new ArrayList<>();
        for (RawBsonDocument d : client.getDatabase(db).getCollection(coll, RawBsonDocument.class).find()
                .sort(new Document("_id", 1)).batchSize(1000)) {
            ByteBuffer b = d.getByteBuffer().asNIO();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.add(HexFormat.of().formatHex(bytes));
        }
        return out;
    }

    /** The index specifications, without the fields that name where they are. */
    static List<Document> indexes(MongoClient client, String db, String coll) {
        List<Document> out = new ArrayList<>();
        for (Document i : client.getDatabase(db).getCollection(coll).listIndexes()) {
            i.remove("ns");
            out.add(i);
        }
        return out;
    }

    /** listCollections' options and type of a collection or view. */
    static Document describe(MongoClient client, String db, String coll) {
        Document c = client.getDatabase(db).listCollections().filter(new Document("name", coll)).first();
        return c == null ? null : new Document("type", c.getString("type")).append("options", c.get("options"));
    }
}
