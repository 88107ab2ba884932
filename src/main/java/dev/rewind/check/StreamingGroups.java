package dev.rewind.check;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Projections;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonValue;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.conversions.Bson;
import org.bson.io.BasicOutputBuffer;

/**
 * Groups documents by the values of some fields on the client, in bounded memory: when the
 * collection holds more documents than {@code keysPerPass}, it is read in several passes, each
 * keeping only the keys whose hash falls in that pass's share. Keys are compared by their BSON
 * bytes after {@link MatchKey} (numbers by value) and, if asked, {@link UniqueCheck#normalize}.
 */
final class StreamingGroups {
    private final List<String> fields;
    private final boolean normalize;
    private final int idsPerGroup;
    private final int groupsShown;
    private final int keysPerPass;
    private int passes = 1;

    StreamingGroups(List<String> fields, boolean normalize, int idsPerGroup, int groupsShown, int keysPerPass) {
        this.fields = fields;
        this.normalize = normalize;
        this.idsPerGroup = idsPerGroup;
        this.groupsShown = groupsShown;
        this.keysPerPass = keysPerPass;
    }

    int passes() {
        return passes;
    }

    UniqueCheck.Groups run(MongoCollection<BsonDocument> coll, Bson filter) {
        long documents = coll.estimatedDocumentCount();
        passes = (int) Math.max(1, (documents + keysPerPass - 1) / keysPerPass);
        UniqueCheck.Groups groups = new UniqueCheck.Groups(groupsShown);
        List<String> projection = new ArrayList<>(fields);
        projection.add("_id");
        for (int pass = 0; pass < passes; pass++) {
            Map<ByteBuffer, Group> byKey = new HashMap<>();
            try (MongoCursor<BsonDocument> c = coll.find(filter).projection(Projections.include(projection))
                    .batchSize(1000).iterator()) {
                while (c.hasNext()) {
                    BsonDocument doc = c.next();
                    BsonDocument key = key(doc);
                    ByteBuffer bytes = bytes(key);
                    if (Math.floorMod(bytes.hashCode(), passes) != pass) {
                        continue;
                    }
                    Group g = byKey.get(bytes);
                    if (g == null) {
                        byKey.put(bytes, new Group(key, doc.get("_id")));
                    } else {
                        g.add(doc.get("_id"), idsPerGroup);
                    }
                }
            }
            for (Group g : byKey.values()) {
                if (g.count > 1) {
                    List<BsonValue> values = new ArrayList<>(g.key.values());
                    groups.add(new DuplicateGroup(values, g.count, List.copyOf(g.ids)));
                }
            }
        }
        return groups.sorted();
    }

    private BsonDocument key(BsonDocument doc) {
        BsonDocument key = new BsonDocument();
        for (int i = 0; i < fields.size(); i++) {
            BsonValue v = value(doc, fields.get(i));
            v = MatchKey.of(v);
            key.append("k" + i, normalize ? UniqueCheck.normalize(v) : v);
        }
        return key;
    }

    /** The value at a dotted path, as {@code $group} sees it: an array of the values met through arrays. */
    private static BsonValue value(BsonDocument doc, String path) {
        List<BsonValue> found = new ArrayList<>();
        boolean[] throughArray = {false};
        Paths.values(doc, path, (p, place, v) -> {
            found.add(v);
            if (!place.equals(path)) {
                throughArray[0] = true;
            }
        });
        if (found.isEmpty()) {
            return BsonNull.VALUE;
        }
        if (found.size() == 1 && !throughArray[0]) {
            return found.get(0);
        }
        return new org.bson.BsonArray(found);
    }

    private static ByteBuffer bytes(BsonDocument key) {
        BasicOutputBuffer out = new BasicOutputBuffer(64);
        try (BsonBinaryWriter writer = new BsonBinaryWriter(out)) {
            new BsonDocumentCodec().encode(writer, key, EncoderContext.builder().build());
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    /** One key's documents: how many, and the first few {@code _id}s. */
    private static final class Group {
        final BsonDocument key;
        long count = 1;
        final List<BsonValue> ids = new ArrayList<>(2);

        Group(BsonDocument key, BsonValue id) {
            this.key = key;
            ids.add(id);
        }

        void add(BsonValue id, int limit) {
            count++;
            if (ids.size() < limit) {
                ids.add(id);
            }
        }
    }
}
