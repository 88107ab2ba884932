package dev.rewind.verify;

import dev.rewind.repo.StoredFile;
import dev.rewind.repo.Verifier.Problem;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * What the last {@code verify} found, {@code verify/last} (docs/FORMAT.md): replaced by each run,
 * information only, like {@code capture/status}. {@code status} shows it, and leaves the segments
 * it names out of the restorable windows, so status reflects what verify found in files it does
 * not read itself.
 */
public record LastVerify(Instant finished, String depth, List<Problem> problems) {
    public static final String NAME = "verify/last";

    void save(ByteStore store) throws IOException {
        List<Document> ps = new ArrayList<>();
        problems.forEach(p -> ps.add(new Document("file", p.file()).append("reason", p.reason())));
        Document d = new Document("kind", "verify").append("version", 1).append("finished", finished.toString())
                .append("depth", depth).append("problems", ps);
        store.put(NAME, StoredFile.encode(d.toJson().getBytes(StandardCharsets.UTF_8), false));
    }

    /** The last run's findings, or null when verify never ran or its file does not read. */
    public static LastVerify load(ByteStore store) throws IOException {
        try {
            Document d = Document.parse(new String(StoredFile.decode(NAME, store.get(NAME)), StandardCharsets.UTF_8));
            List<Problem> ps = new ArrayList<>();
            for (Document p : d.getList("problems", Document.class)) {
                ps.add(new Problem(p.getString("file"), p.getString("reason"), List.of()));
            }
            return new LastVerify(Instant.parse(d.getString("finished")), d.getString("depth"), ps);
        } catch (NoSuchFileException never) {
            return null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The segments it found damaged (not merely overlapping another, which status reports by itself). */
    public List<String> segments() {
        return problems.stream().filter(p -> p.file().startsWith("segments/") && !p.reason().startsWith("overlaps "))
                .map(Problem::file).distinct().toList();
    }
}
