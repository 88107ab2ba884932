package dev.rewind.repo;

import dev.rewind.event.ClusterTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.bson.Document;

/**
 * A stretch of time the change log is known to miss, {@code (from, to]}, recorded as data
 * ({@code gaps/<from>-<to>}) when capture finds that the server no longer has its resume point.
 */
public record Gap(ClusterTime from, ClusterTime to, String reason, Instant noticed) {
    public static final String FOLDER = "gaps/";

    public String fileName() {
        return FOLDER + from.sortable() + "-" + to.sortable();
    }

    byte[] toBytes() {
        Document d = new Document("kind", "gap").append("from", from.toString()).append("to", to.toString())
                .append("reason", reason).append("noticed", noticed.toString());
        return StoredFile.encode(d.toJson().getBytes(StandardCharsets.UTF_8), false);
    }

    /** Reads a gap file; CORRUPT naming the file for anything else. */
    public static Gap parse(String name, byte[] stored) {
        byte[] plain = StoredFile.decode(name, stored);
        try {
            Document d = Document.parse(new String(plain, StandardCharsets.UTF_8));
            if (!"gap".equals(d.get("kind"))) {
                throw new IllegalArgumentException("not a gap (kind is " + d.get("kind") + ")");
            }
            return new Gap(JsonFields.clusterTime(JsonFields.string(d, "from"), "from"),
                    JsonFields.clusterTime(JsonFields.string(d, "to"), "to"), JsonFields.optionalString(d, "reason"),
                    JsonFields.instant(d, "noticed"));
        } catch (RuntimeException e) {
            throw StoredFile.corrupt(name, "gap is malformed: " + e.getMessage());
        }
    }
}
