package dev.rewind.detect;

import dev.rewind.RewindException;
import dev.rewind.repo.StoredFile;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Incidents in the repository (docs/FORMAT.md, "Incidents"), written once like every other file:
 * {@code incidents/<id>/<seq>}, both six digits. Sequence 0 reserves the id (taken with put-if-absent,
 * so two writers never share one); each later state of the incident is the next sequence, and the
 * newest is the current state.
 */
public final class IncidentStore {
    public static final String FOLDER = "incidents/";
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).indent(true).build();
    private final ByteStore store;
    private final Map<Long, Integer> nextSeq = new HashMap<>();
    private long lastId;

    public IncidentStore(ByteStore store) {
        this.store = store;
    }

    static String name(long id, int seq) {
        return String.format("%s%06d/%06d", FOLDER, id, seq);
    }

    /** Reserves the next free id (one more than the highest stored). */
    public long allocate() {
        try {
            long id = Math.max(lastId, highestId()) + 1;
            byte[] reservation = encode(new Document("kind", "incident-id").append("id", id)
                    .append("reserved", Instant.now().toString()));
            while (!store.putIfAbsent(name(id, 0), reservation)) {
                id++;
            }
            lastId = id;
            nextSeq.put(id, 1);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores a new state of the incident, after every earlier one. */
    public void save(Incident incident) {
        try {
            int seq = nextSeq.getOrDefault(incident.id(), 1);
            byte[] bytes = encode(incident.toDocument());
            while (!store.putIfAbsent(name(incident.id(), seq), bytes)) {
                seq++;
            }
            nextSeq.put(incident.id(), seq + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every incident's current state, by id; an id reserved but never written is left out. */
    public List<Incident> all() {
        List<Incident> out = new ArrayList<>();
        for (Map.Entry<Long, String> e : newestNames().entrySet()) {
            out.add(read(e.getValue()));
        }
        return out;
    }

    /** Every state an incident went through, oldest first. */
    public List<Incident> history(long id) {
        List<Incident> out = new ArrayList<>();
        for (String name : list(String.format("%s%06d/", FOLDER, id))) {
            if (!name.endsWith("/000000")) {
                out.add(read(name));
            }
        }
        return out;
    }

    /** The incident's current state; NOT_FOUND (exit 8) naming the known ids when there is none. */
    public Incident get(long id) {
        String name = newestNames().get(id);
        if (name == null) {
            List<Long> known = new ArrayList<>(newestNames().keySet());
            throw RewindException.notFound("no incident " + id + " in the repository",
                    known.isEmpty() ? "the repository has no incidents; capture records them as it runs"
                            : "known incidents: " + known + " (list them with: " + dev.rewind.Shell.rewind("incidents", "--repo", store.location()) + ")");
        }
        return read(name);
    }

    private TreeMap<Long, String> newestNames() {
        TreeMap<Long, String> newest = new TreeMap<>();
        for (String name : list(FOLDER)) {
            String[] parts = name.substring(FOLDER.length()).split("/");
            if (!isStateName(parts) || parts[1].equals("000000")) {
                continue;   // a stray file: verify names it
            }
            newest.merge(Long.parseLong(parts[0]), name, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return newest;
    }

    private long highestId() {
        long max = 0;
        for (String name : list(FOLDER)) {
            String[] parts = name.substring(FOLDER.length()).split("/");
            if (isStateName(parts)) {
                max = Math.max(max, Long.parseLong(parts[0]));
            }
        }
        return max;
    }

    /** Whether a name under incidents/ is {@code <6 digits>/<6 digits>}. */
    public static boolean isStateName(String[] parts) {
        return parts.length == 2 && parts[0].matches("\\d{6}") && parts[1].matches("\\d{6}");
    }

    private List<String> list(String prefix) {
        try {
            return store.list(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Incident read(String name) {
        try {
            return parse(name, store.get(name), store.location());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one state file; CORRUPT naming it for any bytes that are not an incident. */
    public static Incident parse(String name, byte[] stored) {
        return parse(name, stored, null);
    }

    /** As above; {@code location} (may be null) completes the hint's command. */
    static Incident parse(String name, byte[] stored, String location) {
        try {
            Document d = Document.parse(new String(StoredFile.decode(name, stored), StandardCharsets.UTF_8));
            if (!"incident".equals(d.get("kind"))) {
                throw new IllegalArgumentException("not an incident state (kind is " + d.get("kind") + ")");
            }
            return Incident.fromDocument(d);
        } catch (RewindException e) {
            throw e;
        } catch (RuntimeException e) {
            throw RewindException.corrupt("corrupt repository file " + name + ": " + e.getMessage(),
                    location == null ? "run 'rewind verify --repo REPO' on the repository"
                            : "run: " + dev.rewind.Shell.rewind("verify", "--repo", location));
        }
    }

    private static byte[] encode(Document d) {
        return StoredFile.encode(d.toJson(JSON).getBytes(StandardCharsets.UTF_8), false);
    }
}
