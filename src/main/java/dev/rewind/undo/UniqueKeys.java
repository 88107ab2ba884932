package dev.rewind.undo;

import com.mongodb.client.MongoCollection;
import dev.rewind.event.ApplyResult;
import dev.rewind.event.DocumentId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * Who holds, now, the unique keys that documents would take back: for every unique index of the
 * live collection (except {@code _id}), the documents whose key equals a candidate's key under
 * another {@code _id}. Queried in batches with {@code $or}.
 */
public final class UniqueKeys {
    private static final int BATCH = 200;

    /** A unique key a candidate wants, and the live document that holds it. */
    public record Holder(String key, BsonValue holder) { }

    private final MongoCollection<BsonDocument> coll;
    private final List<Document> indexes = new ArrayList<>();

    public UniqueKeys(MongoCollection<BsonDocument> coll) {
        this(coll, List.of());
    }

    /**
     * Also for the unique indexes of {@code more} the live collection lacks (by name): those a dropped
     * collection had, which its documents will be put back under.
     */
    public UniqueKeys(MongoCollection<BsonDocument> coll, List<Document> more) {
        this.coll = coll;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Document index : coll.listIndexes().batchSize(100)) {
            names.add(index.getString("name"));
            add(index);
        }
        more.stream().filter(i -> !names.contains(i.getString("name"))).forEach(this::add);
    }

    private void add(Document index) {
        if (index.getBoolean("unique", false) && !"_id_".equals(index.getString("name"))) {
            indexes.add(index);
        }
    }

    /** For each candidate (its state to take back), the live document that holds one of its unique keys, if any. */
    public Map<DocumentId, Holder> holders(Map<DocumentId, ApplyResult> targets) {
        Map<DocumentId, Holder> out = new HashMap<>();
        for (Document index : indexes) {
            Document keySpec = index.get("key", Document.class);
            boolean sparse = index.getBoolean("sparse", false);
            List<Map.Entry<DocumentId, BsonDocument>> batch = new ArrayList<>();
            for (Map.Entry<DocumentId, ApplyResult> e : targets.entrySet()) {
                ApplyResult r = e.getValue();
                if (r == null || !r.isPresent() || out.containsKey(e.getKey())) {
                    continue;
                }
                BsonDocument key = key(keySpec, r.state());
                if (sparse && key.values().stream().allMatch(BsonValue::isNull)) {
                    continue;
                }
                batch.add(Map.entry(e.getKey(), key));
                if (batch.size() == BATCH) {
                    find(index.getString("name"), batch, out);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                find(index.getString("name"), batch, out);
            }
        }
        return out;
    }

    private void find(String indexName, List<Map.Entry<DocumentId, BsonDocument>> batch, Map<DocumentId, Holder> out) {
        BsonArray or = new BsonArray();
        batch.forEach(e -> or.add(e.getValue()));
        BsonDocument projection = new BsonDocument("_id", new org.bson.BsonInt32(1));
        batch.get(0).getValue().keySet().forEach(k -> projection.append(k, new org.bson.BsonInt32(1)));
        for (BsonDocument live : coll.find(new BsonDocument("$or", or)).projection(projection).batchSize(1000)) {
            for (Map.Entry<DocumentId, BsonDocument> e : batch) {
                if (!out.containsKey(e.getKey()) && !DocumentId.of(live.get("_id")).equals(e.getKey())
                        && e.getValue().equals(key(toSpec(e.getValue()), live))) {
                    out.put(e.getKey(), new Holder(indexName + " " + e.getValue().toJson(), live.get("_id")));
                }
            }
        }
    }

    private static Document toSpec(BsonDocument key) {
        Document spec = new Document();
        key.keySet().forEach(k -> spec.append(k, 1));
        return spec;
    }

    /** The document's values for the index's fields (dotted paths), null where missing. */
    static BsonDocument key(Document keySpec, BsonDocument doc) {
        BsonDocument key = new BsonDocument();
        for (String path : keySpec.keySet()) {
            BsonValue v = doc;
            for (String step : path.split("\\.")) {
                v = v != null && v.isDocument() ? v.asDocument().get(step) : null;
            }
            key.append(path, v == null ? org.bson.BsonNull.VALUE : v);
        }
        return key;
    }
}
