package dev.rewind.undo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.types.ObjectId;

/** The seed story's database: families (unique email), children and devices that reference them. */
final class Famigo {
    private Famigo() { }

    static List<ObjectId> create(MongoDatabase db, int families, Random random) {
        MongoCollection<Document> family = db.getCollection("family");
        family.createIndex(new Document("email", 1), new IndexOptions().unique(true).name("email_1"));
        List<ObjectId> ids = new ArrayList<>();
        List<Document> batch = new ArrayList<>();
        List<Document> children = new ArrayList<>();
        List<Document> devices = new ArrayList<>();
        for (int i = 0; i < families; i++) {
            ObjectId id = new ObjectId();
            ids.add(id);
            batch.add(family(id, "family" + i + "@example.org", random));
            children.add(new Document("_id", new ObjectId()).append("familyId", id).append("name", "kid " + i));
            devices.add(new Document("_id", new ObjectId()).append("owner", new Document("familyId", id))
                    .append("model", "phone " + random.nextInt(9)));
            if (batch.size() == 1000) {
                flush(db, batch, children, devices);
            }
        }
        flush(db, batch, children, devices);
        return ids;
    }

    static Document family(ObjectId id, String email, Random random) {
        return new Document("_id", id).append("email", email).append("name", "The " + email.substring(0, email.indexOf('@')))
                .append("plan", random.nextBoolean() ? "premium" : "free").append("members", 1 + random.nextInt(5))
                .append("address", new Document("city", "Lyon").append("zip", String.valueOf(69000 + random.nextInt(10))));
    }

    private static void flush(MongoDatabase db, List<Document> f, List<Document> c, List<Document> d) {
        if (!f.isEmpty()) {
            db.getCollection("family").insertMany(f);
            db.getCollection("child").insertMany(c);
            db.getCollection("device").insertMany(d);
        }
        f.clear();
        c.clear();
        d.clear();
    }
}
