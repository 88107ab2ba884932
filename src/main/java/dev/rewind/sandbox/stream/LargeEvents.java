package dev.rewind.sandbox.stream;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.Bson;
import dev.rewind.sandbox.ServerError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Events over the size limit (MongoDB manual, "$changeStreamSplitLargeEvent";
 * src/mongo/db/pipeline/change_stream_split_event_helpers.cpp): without the stage, an event bigger
 * than mongod's internal BSON limit (16 MiB + 16 KiB) fails the stream with
 * {@code BSONObjectTooLarge}; with it, an event bigger than that limit less 8 KiB is cut into
 * fragments: its top-level fields, smallest first (by size, then name), packed greedily, each
 * fragment with its own resume token and {@code splitEvent: {fragment, of}}.
 */
final class LargeEvents {
    static final int MAX_INTERNAL_SIZE = 16 * 1024 * 1024 + 16 * 1024;
    static final int MAX_EVENT_SIZE = MAX_INTERNAL_SIZE - 8 * 1024;

    private LargeEvents() { }

    static int size(Document event) {
        return Bson.size(event);
    }

    static void check(Document event) {
        int size = size(event);
        if (size > MAX_INTERNAL_SIZE) {
            throw new ServerError(10334, "BSONObjectTooLarge", "BSONObj size: " + size + " (0x" + Integer.toHexString(size)
                    + ") is invalid. Size must be between 0 and " + MAX_INTERNAL_SIZE + "(16MB) First element: _id: "
                    + event.get("_id"));
        }
    }

    /** The event as it goes out: itself when small enough, else its fragments in order. */
    static List<Document> split(Document event, ResumeToken token) {
        int size = size(event);
        if (size <= MAX_EVENT_SIZE) {
            return List.of(event);
        }
        int tokenSize = Bson.size(new Document("_id", token.fragment(0).toDocument()));
        int room = MAX_EVENT_SIZE - tokenSize - 64;
        List<Map.Entry<String, Object>> fields = new ArrayList<>();
        for (Map.Entry<String, Object> f : event.entrySet()) {
            if (!f.getKey().equals("_id")) {
                fields.add(f);
            }
        }
        fields.sort(Comparator.<Map.Entry<String, Object>>comparingInt(f -> fieldSize(f)).thenComparing(Map.Entry::getKey));
        List<List<Map.Entry<String, Object>>> groups = new ArrayList<>();
        List<Map.Entry<String, Object>> current = new ArrayList<>();
        int used = 0;
        for (Map.Entry<String, Object> f : fields) {
            int s = fieldSize(f);
            if (s > room) {
                throw new ServerError(7182500, "Location7182500", "Splitting change event failed: fragment size " + s
                        + " is greater than maximum allowed fragment size " + room);
            }
            if (used + s > room && !current.isEmpty()) {
                groups.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(f);
            used += s;
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        List<Document> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Document fragment = new Document("_id", token.fragment(i).toDocument())
                    .append("splitEvent", new Document("fragment", i + 1).append("of", groups.size()));
            for (Map.Entry<String, Object> f : groups.get(i)) {
                fragment.put(f.getKey(), f.getValue());
            }
            out.add(fragment);
        }
        return out;
    }

    private static int fieldSize(Map.Entry<String, Object> f) {
        return Bson.size(new Document(f.getKey(), f.getValue())) - 5;
    }
}
