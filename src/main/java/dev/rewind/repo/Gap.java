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

    static Gap parse(String name, byte[] stored) {
        Document d = Document.parse(new String(StoredFile.decode(name, stored), StandardCharsets.UTF_8));
        return new Gap(ClusterTime.parse(d.getString("from")), ClusterTime.parse(d.getString("to")),
                d.getString("reason"), Instant.parse(d.getString("noticed")));
    }
}
