package dev.rewind.capture;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A seeded random workload over a few collections: inserts, updates of every operator kind,
 * replaces, deletes, deleteMany and drops. It avoids the sandbox's known blind spots
 * (findAndModify and duplicate-key inserts), which are tested with recorded event shapes instead.
 */
final class Workload {
    static final List<String> COLLECTIONS = List.of("a", "b", "c");

    private final MongoDatabase db;
    private final Random random;
    private final boolean drops;
    private int nextId;

    Workload(MongoDatabase db, long seed, boolean drops) {
        this.db = db;
        this.random = new Random(seed);
        this.drops = drops;
    }

    /** One random operation; returns a description for failure messages. */
    String step() {
        MongoCollection<Document> c = db.getCollection(COLLECTIONS.get(random.nextInt(COLLECTIONS.size())));
        int roll = random.nextInt(100);
        int id = nextId == 0 ? 0 : random.nextInt(nextId);
        if (roll < 30 || nextId < 5) {
            int n = random.nextInt(3) + 1;
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                docs.add(document(nextId++));
            }
            c.insertMany(docs);
            return "insert " + n + " into " + c.getNamespace();
        }
        if (roll < 70) {
            Bson update = update();
            c.updateOne(Filters.eq("_id", id), update);
            return "update " + id + " in " + c.getNamespace() + " with " + update;
        }
        if (roll < 75) {
            c.updateMany(Filters.lt("_id", random.nextInt(nextId)), Updates.inc("counter", 1));
            return "updateMany in " + c.getNamespace();
        }
        if (roll < 83) {
            c.replaceOne(Filters.eq("_id", id), document(id).append("replaced", true));
            return "replace " + id + " in " + c.getNamespace();
        }
        if (roll < 93) {
            c.deleteOne(Filters.eq("_id", id));
            return "delete " + id + " in " + c.getNamespace();
        }
        if (roll < 98 || !drops) {
            c.deleteMany(Filters.gt("_id", nextId - 3));
            return "deleteMany in " + c.getNamespace();
        }
        c.drop();
        return "drop " + c.getNamespace();
    }

    private Document document(int id) {
        return new Document("_id", id).append("name", "doc " + id).append("counter", random.nextInt(10))
                .append("nested", new Document("x", random.nextInt(5)).append("y", new Document("z", "deep")))
                .append("list", new ArrayList<>(List.of(1, 2, 3)))
                .append("tags", new ArrayList<>(List.of("t" + random.nextInt(3))));
    }

    private Bson update() {
        return switch (random.nextInt(10)) {
            case 0 -> Updates.set("nested.x", random.nextInt(100));
            case 1 -> Updates.unset("name");
            case 2 -> Updates.inc("counter", random.nextInt(5) + 1);
            case 3 -> Updates.push("list", random.nextInt(100));
            case 4 -> Updates.pull("list", 2);
            case 5 -> Updates.addToSet("tags", "t" + random.nextInt(5));
            case 6 -> Updates.popLast("list");
            case 7 -> Updates.combine(Updates.set("fresh", random.nextDouble()), Updates.unset("nested.y"));
            case 8 -> Updates.mul("counter", 2);
            default -> Updates.max("counter", random.nextInt(20));
        };
    }
}
