package dev.rewind.capture;

import dev.rewind.repo.StoredFile;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

/**
 * Snapshots asked of the running capture (docs/FORMAT.md, "Requests"): {@code rewind snapshot} cannot
 * take the writer lock while capture holds it, so it writes {@code requests/<id>/snapshot}; capture
 * sees it within a second or so, takes a snapshot while it goes on capturing, and writes
 * {@code requests/<id>/done} with the snapshot's id (or the error). The requester then removes both.
 * Requests are a hand-over, not part of the repository's data: a reader ignores them.
 */
public final class SnapshotRequests {
    public static final String FOLDER = "requests/";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A request: its id, the namespaces the requester asked for (capture snapshots what it captures), who asked. */
    public record Request(String id, List<String> ns, String by) { }

    /** The answer: the snapshot taken, or why none was. */
    public record Answer(String id, String snapshot, String error) { }

    private final ByteStore store;

    public SnapshotRequests(ByteStore store) {
        this.store = store;
    }

    /** Asks the running capture for a snapshot; returns the request's id. */
    public String submit(List<String> ns, String by) {
        String id = ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(java.security.SecureRandom.getSeed(3));
        put(FOLDER + id + "/snapshot", new Document("kind", "snapshot-request").append("id", id).append("ns", ns)
                .append("by", by).append("requested", Instant.now().toString()));
        return id;
    }

    /** The answer to a request, or null while there is none. */
    public Answer answer(String id) {
        Document d = read(FOLDER + id + "/done");
        return d == null ? null : new Answer(id, d.getString("snapshot"), d.getString("error"));
    }

    /** Removes a request and its answer (the requester's clean-up). */
    public void withdraw(String id) {
        try {
            store.delete(FOLDER + id + "/done");
            store.delete(FOLDER + id + "/snapshot");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests not answered yet, oldest first. */
    public List<Request> pending() {
        Map<String, List<String>> byId = new TreeMap<>();
        try {
            for (String name : store.list(FOLDER)) {
                String[] parts = name.substring(FOLDER.length()).split("/");
                if (parts.length == 2) {
                    byId.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Request> out = new ArrayList<>();
        byId.forEach((id, leaves) -> {
            if (leaves.contains("snapshot") && !leaves.contains("done")) {
                Document d = read(FOLDER + id + "/snapshot");
                if (d != null) {
                    out.add(new Request(id, d.getList("ns", String.class, List.of()), d.getString("by")));
                }
            }
        });
        return out;
    }

    /** Capture's answer: the snapshot it took for the request, or the error that stopped it. */
    public void answer(String id, String snapshot, String error) {
        Document d = new Document("kind", "snapshot-answer").append("id", id).append("snapshot", snapshot)
                .append("error", error).append("finished", Instant.now().toString());
        try {
            store.putIfAbsent(FOLDER + id + "/done", StoredFile.encode(d.toJson().getBytes(StandardCharsets.UTF_8), false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void put(String name, Document d) {
        try {
            store.putIfAbsent(name, StoredFile.encode(d.toJson().getBytes(StandardCharsets.UTF_8), false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Document read(String name) {
        try {
            if (!store.exists(name)) {
                return null;
            }
            return Document.parse(new String(StoredFile.decode(name, store.get(name)), StandardCharsets.UTF_8));
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
