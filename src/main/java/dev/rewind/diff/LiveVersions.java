package dev.rewind.diff;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.rewind.event.DocumentId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Reads the live versions of chosen documents, {@value #BATCH} {@code _id}s per {@code $in} query. */
public final class LiveVersions {
    static final int BATCH = 500;
    private final MongoCollection<BsonDocument> collection;

    public LiveVersions(MongoCollection<BsonDocument> collection) {
        this.collection = collection.withDocumentClass(BsonDocument.class);
    }

    /** The live document of each id that exists; ids absent from the result do not exist. */
    public Map<DocumentId, BsonDocument> read(List<BsonValue> ids) {
        Map<DocumentId, BsonDocument> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i += BATCH) {
            List<BsonValue> batch = new ArrayList<>(ids.subList(i, Math.min(ids.size(), i + BATCH)));
            for (BsonDocument d : collection.find(Filters.in("_id", batch)).batchSize(BATCH)) {
                out.put(DocumentId.of(d.get("_id")), d);
            }
        }
        return out;
    }

    /** How many documents the live collection holds. */
    public long count() {
        return collection.countDocuments();
    }
}
