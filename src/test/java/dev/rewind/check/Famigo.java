package dev.rewind.check;

import com.mongodb.DBRef;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * A small famigo-like database with known dangling references, for the tests.
 *
 * <ul>
 *   <li>{@code family}: 10 families; families 7, 8 and 9 are deleted afterwards.</li>
 *   <li>{@code child}: 30 children, child i has {@code familyId} = family i % 10 (9 dangling).</li>
 *   <li>{@code device}: 10 devices, device i has {@code owner.familyId} = family i (3 dangling), and
 *       {@code history: [{familyId}, {familyId}]} = families i and (i + 1) % 10 (6 dangling).</li>
 *   <li>{@code group}: 5 groups, group k has {@code memberIds: [family k, family k + 5]} (3 dangling, at memberIds.1).</li>
 *   <li>{@code note}: 6 notes, note j has {@code about} = DBRef to family j (none dangling) and
 *       {@code child} = DBRef (with $db) to child j; child 0 and child 3 are deleted (2 dangling).</li>
 * </ul>
 */
public final class Famigo {
    public static final String DB = "famigo";
    public final List<ObjectId> families = new ArrayList<>();
    public final List<ObjectId> children = new ArrayList<>();
    public final List<ObjectId> devices = new ArrayList<>();
    public final List<ObjectId> groups = new ArrayList<>();
    public final List<ObjectId> notes = new ArrayList<>();
    public final List<ObjectId> deletedFamilies;
    public final List<ObjectId> deletedChildren;

    private Famigo(MongoClient client) {
        MongoDatabase db = client.getDatabase(DB);
        for (int i = 0; i < 10; i++) {
            ObjectId id = new ObjectId();
            families.add(id);
            db.getCollection("family").insertOne(new Document("_id", id).append("email", "family" + i + "@example.com")
                    .append("name", "Family " + i));
        }
        for (int i = 0; i < 30; i++) {
            ObjectId id = new ObjectId();
            children.add(id);
            db.getCollection("child").insertOne(new Document("_id", id).append("name", "child " + i)
                    .append("age", i % 12).append("familyId", families.get(i % 10)));
        }
        for (int i = 0; i < 10; i++) {
            ObjectId id = new ObjectId();
            devices.add(id);
            db.getCollection("device").insertOne(new Document("_id", id).append("model", "phone")
                    .append("owner", new Document("familyId", families.get(i)).append("since", 2020 + i))
                    .append("history", List.of(new Document("familyId", families.get(i)),
                            new Document("familyId", families.get((i + 1) % 10)))));
        }
        for (int k = 0; k < 5; k++) {
            ObjectId id = new ObjectId();
            groups.add(id);
            db.getCollection("group").insertOne(new Document("_id", id).append("title", "group " + k)
                    .append("memberIds", List.of(families.get(k), families.get(k + 5))));
        }
        for (int j = 0; j < 6; j++) {
            ObjectId id = new ObjectId();
            notes.add(id);
            db.getCollection("note").insertOne(new Document("_id", id).append("text", "note " + j)
                    .append("about", new DBRef("family", families.get(j)))
                    .append("child", new DBRef(DB, "child", children.get(j))));
        }
        deletedFamilies = List.copyOf(families.subList(7, 10));
        deletedChildren = List.of(children.get(0), children.get(3));
        db.getCollection("family").deleteMany(Filters.in("_id", deletedFamilies));
        db.getCollection("child").deleteMany(Filters.in("_id", deletedChildren));
    }

    public static Famigo load(MongoClient client) {
        return new Famigo(client);
    }
}
