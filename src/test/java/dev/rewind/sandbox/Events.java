package dev.rewind.sandbox;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/** Helpers for reading the sandbox's change events as raw BSON and checking them exactly. */
final class Events {
    /** Extended JSON keeps BSON types (int32, int64, double) and field order: equal text = exact. */
    static final JsonWriterSettings EXACT = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private Events() { }

    static Sandbox start(String backend, Path dir) {
        return backend.equals("h2") ? Sandbox.start("127.0.0.1", 0, dir) : Sandbox.inMemory();
    }

    @SuppressWarnings("unchecked")
    static MongoChangeStreamCursor<RawBsonDocument> watch(MongoCollection<?> collection, FullDocument full,
                                                          FullDocumentBeforeChange before) {
        var watch = collection.watch().batchSize(100).maxAwaitTime(50, TimeUnit.MILLISECONDS);
        if (full != null) {
            watch = watch.fullDocument(full);
        }
        if (before != null) {
            watch = watch.fullDocumentBeforeChange(before);
        }
        return (MongoChangeStreamCursor<RawBsonDocument>) (Object) watch.withDocumentClass(RawBsonDocument.class).cursor();
    }

    /** The next event, waiting up to 5 s. */
    static RawBsonDocument next(MongoChangeStreamCursor<RawBsonDocument> stream) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            RawBsonDocument event = stream.tryNext();
            if (event != null) {
                return event;
            }
        }
        throw new AssertionError("no change event within 5 s");
    }

    /** The stored document, as raw BSON. */
    static BsonDocument find(MongoCollection<?> collection, Object id) {
        return collection.withDocumentClass(RawBsonDocument.class).find(eq("_id", id)).batchSize(10).first();
    }

    static String json(BsonValue value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.asDocument().toJson(EXACT);
    }

    /**
     * Applies an updateDescription as MongoDB documents it: removed paths are removed, updated
     * paths set (in place if present, else appended to their parent), arrays truncated.
     */
    static BsonDocument apply(BsonDocument before, BsonDocument description) {
        BsonDocument doc = mutable(before);
        for (BsonValue path : description.getArray("removedFields")) {
            String[] parts = path.asString().getValue().split("\\.");
            BsonValue parent = parent(doc, parts);
            String last = parts[parts.length - 1];
            if (parent.isDocument()) {
                parent.asDocument().remove(last);
            } else {
                parent.asArray().set(Integer.parseInt(last), org.bson.BsonNull.VALUE);
            }
        }
        for (BsonValue truncated : description.getArray("truncatedArrays", new BsonArray())) {
            BsonDocument t = truncated.asDocument();
            String[] parts = t.getString("field").getValue().split("\\.");
            BsonArray array = parent(doc, parts).asDocument().getArray(parts[parts.length - 1]);
            while (array.size() > t.getInt32("newSize").getValue()) {
                array.remove(array.size() - 1);
            }
        }
        for (Map.Entry<String, BsonValue> field : description.getDocument("updatedFields").entrySet()) {
            String[] parts = field.getKey().split("\\.");
            BsonValue parent = parent(doc, parts);
            String last = parts[parts.length - 1];
            if (parent.isDocument()) {
                parent.asDocument().put(last, field.getValue());
            } else {
                BsonArray array = parent.asArray();
                int index = Integer.parseInt(last);
                while (array.size() <= index) {
                    array.add(org.bson.BsonNull.VALUE);
                }
                array.set(index, field.getValue());
            }
        }
        return doc;
    }

    private static BsonValue parent(BsonDocument doc, String[] parts) {
        BsonValue node = doc;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.isDocument() ? node.asDocument().get(parts[i]) : node.asArray().get(Integer.parseInt(parts[i]));
        }
        return node;
    }

    static BsonDocument mutable(BsonDocument doc) {
        return doc instanceof RawBsonDocument raw ? raw.decode(new BsonDocumentCodec()) : doc.clone();
    }

    /** Checks an update event against the document's states just before and after the write. */
    static void assertUpdate(RawBsonDocument event, BsonDocument before, BsonDocument after) {
        String what = event.toJson();
        assertThat(event.getString("operationType").getValue()).as(what).isEqualTo("update");
        assertThat(json(event.getDocument("documentKey"))).as(what).isEqualTo(json(new BsonDocument("_id", before.get("_id"))));
        BsonDocument description = event.getDocument("updateDescription");
        assertThat(description.getArray("truncatedArrays")).as(what).isEmpty();
        assertThat(json(apply(before, description))).as("updateDescription applied to the pre-image: " + what)
            .isEqualTo(json(after));
        assertThat(json(event.get("fullDocument"))).as("post-image: " + what).isEqualTo(json(after));
        assertThat(json(event.get("fullDocumentBeforeChange"))).as("pre-image: " + what).isEqualTo(json(before));
    }

    /** The driver decodes the event too (as it does for Rewind): it must accept the shape. */
    static ChangeStreamDocument<org.bson.Document> decoded(RawBsonDocument event) {
        return ChangeStreamDocument.createCodec(org.bson.Document.class,
            com.mongodb.MongoClientSettings.getDefaultCodecRegistry()).decode(
                event.asBsonReader(), org.bson.codecs.DecoderContext.builder().build());
    }
}
