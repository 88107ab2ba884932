package dev.rewind.capture;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Decimal128;

/**
 * A seeded random workload over a few collections, of every kind of write whose events a server
 * makes in a way capture and restore must get exactly right: inserts (and insertMany, batched on
 * 8.0), updates of every operator kind and of arrays (push with position, pop, pull, positional
 * {@code $}, {@code $[]} with array filters, pipeline updates that shorten arrays), replaces, deletes,
 * {@code deleteMany} of a few and of thousands (batched deletes), multi-document transactions
 * committed and aborted, drops, and {@code _id}s of mixed numeric types (stored as int, long, double
 * or decimal, and written to by another numeric type of the same value, which MongoDB treats as the
 * same key).
 */
final class Workload {
    static final List<String> COLLECTIONS = List.of("a", "b", "c");

    private final MongoClient client;
    private final MongoDatabase db;
    private final Random random;
    private final boolean drops;
    private int nextId;

    Workload(MongoClient client, MongoDatabase db, long seed, boolean drops) {
        this.client = client;
        this.db = db;
        this.random = new Random(seed);
        this.drops = drops;
    }

    private final java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();

    /** How many steps of each kind ran (the first word of each step's description). */
    java.util.Map<String, Integer> kinds() {
        return kinds;
    }

    /** One random operation; returns a description for failure messages. */
    String step() {
        String what = oneStep();
        kinds.merge(what.split(" ")[0], 1, Integer::sum);
        return what;
    }

    private String oneStep() {
        MongoCollection<Document> c = collection();
        int roll = random.nextInt(1000);
        if (roll < 250 || nextId < 5) {
            int n = random.nextInt(3) + 1;
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                docs.add(document(nextId++));
            }
            c.insertMany(docs);
            return "insert " + n + " into " + c.getNamespace();
        }
        if (roll < 600) {
            Bson update = update();
            Object id = key(random.nextInt(nextId));
            try {
                c.updateOne(Filters.eq("_id", id), update);
            } catch (com.mongodb.MongoWriteException refused) {
                return "refused update " + id + " in " + c.getNamespace() + " with " + update;
            }
            return "update " + id + " in " + c.getNamespace() + " with " + update;
        }
        if (roll < 650) {
            List<Bson> pipeline = pipeline();
            c.updateOne(Filters.eq("_id", key(random.nextInt(nextId))), pipeline);
            return "pipeline update in " + c.getNamespace() + ": " + pipeline;
        }
        if (roll < 680) {
            c.updateMany(Filters.lt("_id", random.nextInt(nextId)), Updates.inc("counter", 1));
            return "updateMany in " + c.getNamespace();
        }
        if (roll < 740) {
            int id = random.nextInt(nextId);
            c.replaceOne(Filters.eq("_id", key(id)), document(id).append("replaced", true));
            return "replace " + id + " in " + c.getNamespace();
        }
        if (roll < 800) {
            int id = random.nextInt(nextId);
            c.deleteOne(Filters.eq("_id", key(id)));
            return "delete " + id + " in " + c.getNamespace();
        }
        if (roll < 830) {
            return reinsertAsAnotherNumber(c);
        }
        if (roll < 900) {
            return transaction(random.nextInt(5) == 0);
        }
        if (roll < 940) {
            c.deleteMany(Filters.gt("_id", nextId - 4));
            return "deleteMany of a few in " + c.getNamespace();
        }
        if (roll < 950) {
            return massDelete(c);
        }
        if (roll < 970) {
            c.updateOne(Filters.eq("_id", key(random.nextInt(nextId))), Updates.set("list.$[big]", -1),
                    new UpdateOptions().arrayFilters(List.of(Filters.gte("big", 3))));
            return "arrayFilters update in " + c.getNamespace();
        }
        if (roll < 980 || !drops) {
            int id = random.nextInt(nextId);
            c.updateOne(Filters.and(Filters.eq("_id", key(id)), Filters.eq("list", 3)), Updates.set("list.$", 30));
            return "positional update of " + id + " in " + c.getNamespace();
        }
        if (roll < 990) {
            return ddl(c);
        }
        c.drop();
        return "drop " + c.getNamespace();
    }

    /** A catalog change: an index created or dropped, images switched by collMod, a rename. */
    private String ddl(MongoCollection<Document> c) {
        try {
            switch (random.nextInt(4)) {
                case 0 -> {
                    String field = List.of("counter", "name", "nested.x").get(random.nextInt(3));
                    c.createIndex(new Document(field, random.nextBoolean() ? 1 : -1));
                    return "createIndex on " + field + " in " + c.getNamespace();
                }
                case 1 -> {
                    for (Document index : c.listIndexes()) {
                        if (!"_id_".equals(index.getString("name"))) {
                            c.dropIndex(index.getString("name"));
                            return "dropIndex " + index.getString("name") + " in " + c.getNamespace();
                        }
                    }
                    return "no index to drop in " + c.getNamespace();
                }
                case 2 -> {
                    boolean on = random.nextBoolean();
                    db.runCommand(new Document("collMod", c.getNamespace().getCollectionName())
                            .append("changeStreamPreAndPostImages", new Document("enabled", on)));
                    return "collMod images " + on + " on " + c.getNamespace();
                }
                default -> {
                    String to = c.getNamespace().getCollectionName() + "_r" + random.nextInt(1000);
                    c.renameCollection(new com.mongodb.MongoNamespace(db.getName(), to));
                    return "rename " + c.getNamespace() + " to " + to;
                }
            }
        } catch (com.mongodb.MongoException refused) {
            return "ddl refused in " + c.getNamespace() + ": " + refused.getMessage();
        }
    }

    private MongoCollection<Document> collection() {
        return db.getCollection(COLLECTIONS.get(random.nextInt(COLLECTIONS.size())));
    }

    /** The _id of document {@code n}, in the numeric type it is stored with. */
    static Object stored(int n) {
        return switch (Math.floorMod(n, 4)) {
            case 0 -> n;
            case 1 -> (long) n;
            case 2 -> (double) n;
            default -> new Decimal128(n);
        };
    }

    /** The same key in some numeric type, often not the stored one: MongoDB matches by value. */
    private Object key(int n) {
        return switch (random.nextInt(4)) {
            case 0 -> n;
            case 1 -> (long) n;
            case 2 -> (double) n;
            default -> new Decimal128(n);
        };
    }

    /** Deletes a document and inserts it again under the same value in another numeric type. */
    private String reinsertAsAnotherNumber(MongoCollection<Document> c) {
        int id = random.nextInt(nextId);
        c.deleteOne(Filters.eq("_id", key(id)));
        Document again = document(id);
        again.put("_id", Math.floorMod(id, 4) == 1 ? (Object) id : (Object) (long) id);
        c.insertOne(again);
        return "re-insert " + id + " as " + again.get("_id").getClass().getSimpleName() + " in " + c.getNamespace();
    }

    /** A few writes in one transaction, over the collections, committed or aborted. */
    private String transaction(boolean abort) {
        try (ClientSession s = client.startSession()) {
            s.startTransaction();
            int n = 2 + random.nextInt(6);
            StringBuilder what = new StringBuilder(abort ? "aborted" : "committed").append(" transaction of ").append(n);
            for (int i = 0; i < n; i++) {
                MongoCollection<Document> c = collection();
                switch (random.nextInt(4)) {
                    case 0 -> c.insertOne(s, document(nextId++));
                    case 1 -> c.updateOne(s, Filters.eq("_id", key(random.nextInt(nextId))), update());
                    case 2 -> c.deleteOne(s, Filters.eq("_id", key(random.nextInt(nextId))));
                    default -> {
                        int id = random.nextInt(nextId);
                        c.replaceOne(s, Filters.eq("_id", key(id)), document(id).append("inTransaction", true));
                    }
                }
            }
            if (abort) {
                s.abortTransaction();
            } else {
                s.commitTransaction();
            }
            return what.toString();
        } catch (com.mongodb.MongoException refused) {
            return "transaction refused: " + refused.getMessage();
        }
    }

    /** Thousands of documents inserted, then deleted by one deleteMany (a batched delete on 6.1+). */
    private String massDelete(MongoCollection<Document> c) {
        int from = nextId;
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            docs.add(document(nextId++));
        }
        c.insertMany(docs);
        long n = c.deleteMany(Filters.and(Filters.gte("_id", from), Filters.lt("_id", nextId))).getDeletedCount();
        return "mass delete of " + n + " in " + c.getNamespace();
    }

    private Document document(int id) {
        return new Document("_id", stored(id)).append("name", "doc " + id).append("counter", random.nextInt(10))
                .append("nested", new Document("x", random.nextInt(5)).append("y", new Document("z", "deep")))
                .append("list", new ArrayList<>(List.of(1, 2, 3, 4, 5)))
                .append("tags", new ArrayList<>(List.of("t" + random.nextInt(3))))
                .append("items", new ArrayList<>(List.of(new Document("k", 1).append("v", "a"),
                        new Document("k", 2).append("v", "b"))));
    }

    private Bson update() {
        return switch (random.nextInt(16)) {
            case 0 -> Updates.set("nested.x", random.nextInt(100));
            case 1 -> Updates.unset("name");
            case 2 -> Updates.inc("counter", random.nextInt(5) + 1);
            case 3 -> Updates.push("list", random.nextInt(100));
            case 4 -> Updates.pull("list", 2);
            case 5 -> Updates.addToSet("tags", "t" + random.nextInt(5));
            case 6 -> Updates.popLast("list");
            case 7 -> Updates.combine(Updates.set("fresh", random.nextDouble()), Updates.unset("nested.y"));
            case 8 -> Updates.mul("counter", 2);
            case 9 -> Updates.popFirst("list");
            case 10 -> Updates.pushEach("list", List.of(7, 8), new com.mongodb.client.model.PushOptions().position(0));
            case 11 -> Updates.set("items.1.v", "changed" + random.nextInt(9));
            case 12 -> Updates.set("items.$[].k", random.nextInt(9));
            case 13 -> Updates.set("tags." + random.nextInt(3), "set" + random.nextInt(9));
            case 14 -> Updates.set("list", List.of(random.nextInt(9)));
            default -> Updates.max("counter", random.nextInt(20));
        };
    }

    private List<Bson> pipeline() {
        return switch (random.nextInt(3)) {
            case 0 -> List.of(new Document("$set", new Document("list", new Document("$slice", List.of("$list", 2)))));
            case 1 -> List.of(new Document("$set", new Document("total", new Document("$add", List.of("$counter", 1)))),
                    new Document("$unset", "fresh"));
            default -> List.of(new Document("$set", new Document("tags", List.of("p"))));
        };
    }
}
