package dev.rewind.capture;

import dev.rewind.repo.StoredFile;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.bson.Document;

/**
 * The running capture's report of itself, {@code capture/status}: mode, what the server lacks, which
 * captured collections record pre- and post-images ({@code images}), the
 * position the log covers, counters (carried over from the capture before, so they count the whole
 * log), the idle interval and when the last change was sealed ({@code lastEventAt}, which explains
 * the lag of an idle capture). Unlike every other file it is replaced as capture goes on
 * (docs/FORMAT.md); it is information for {@code rewind status}, never needed to restore.
 */
public record CaptureStatus(String state, long pid, String host, String source, String mode, List<String> lacks,
                            String started, String updated, String coveredTo, long events, long segments,
                            String lastSnapshot, String lastError, long sealMillis, List<String> images,
                            long idleMillis, String lastEventAt) {
    public static final String NAME = "capture/status";

    public CaptureStatus(String state, long pid, String host, String source, String mode, List<String> lacks,
                         String started, String updated, String coveredTo, long events, long segments,
                         String lastSnapshot, String lastError, long sealMillis, List<String> images) {
        this(state, pid, host, source, mode, lacks, started, updated, coveredTo, events, segments, lastSnapshot, lastError,
                sealMillis, images, 0, null);
    }

    void save(ByteStore store) throws IOException {
        Document d = new Document("state", state).append("pid", pid).append("host", host).append("source", source)
                .append("mode", mode).append("lacks", lacks).append("started", started).append("updated", updated)
                .append("coveredTo", coveredTo).append("events", events).append("segments", segments)
                .append("lastSnapshot", lastSnapshot).append("lastError", lastError).append("sealMillis", sealMillis)
                .append("images", images).append("idleMillis", idleMillis).append("lastEventAt", lastEventAt);
        store.put(NAME, StoredFile.encode(d.toJson().getBytes(StandardCharsets.UTF_8), false));
    }

    /** The last status a capture wrote, or null if none ever ran. */
    public static CaptureStatus load(ByteStore store) throws IOException {
        byte[] bytes;
        try {
            bytes = store.get(NAME);
        } catch (NoSuchFileException e) {
            return null;
        }
        return parse(bytes);
    }

    /** Reads a status file; CORRUPT naming it for any bytes that are not one. */
    public static CaptureStatus parse(byte[] bytes) {
        byte[] plain = StoredFile.decode(NAME, bytes);
        try {
            return fromDocument(Document.parse(new String(plain, StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            throw dev.rewind.RewindException.corrupt("corrupt repository file " + NAME + ": " + e,
                    "capture replaces it as it runs; it is information only, and may be deleted");
        }
    }

    private static CaptureStatus fromDocument(Document d) {
        return new CaptureStatus(d.getString("state"), ((Number) d.get("pid")).longValue(), d.getString("host"),
                d.getString("source"), d.getString("mode"), d.getList("lacks", String.class), d.getString("started"),
                d.getString("updated"), d.getString("coveredTo"), ((Number) d.get("events")).longValue(),
                ((Number) d.get("segments")).longValue(), d.getString("lastSnapshot"), d.getString("lastError"),
                ((Number) d.get("sealMillis")).longValue(), d.containsKey("images") ? d.getList("images", String.class) : List.of(),
                d.get("idleMillis") instanceof Number n ? n.longValue() : 0, d.getString("lastEventAt"));
    }
}
