package dev.rewind.undo;

import dev.rewind.RewindException;
import dev.rewind.repo.StoredFile;
import dev.rewind.repo.store.ByteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;

/**
 * The journals of a repository as a list (docs/FORMAT.md, "Journals"): each one's header, its
 * {@code done} summary when it finished, and its batch files; which journal reverted which.
 */
public final class Journals {
    private Journals() { }

    /** One journal: what it was (header), how it ended (done; null when interrupted), its batch files in order. */
    public record Summary(String id, Document header, Document done, List<String> batches) {
        public String command() {
            return header.getString("command");
        }

        /** The journal this one reverts, or null for an undo. */
        public String reverts() {
            return header.getString("reverts");
        }

        /** The incident an undo took back, or null. */
        public Long incident() {
            Object i = header.get("incident");
            return i instanceof Number n ? n.longValue() : null;
        }

        public Instant started() {
            String s = header.getString("started");
            return s == null ? null : Instant.parse(s);
        }

        public Instant finished() {
            return done == null || done.getString("finished") == null ? null : Instant.parse(done.getString("finished"));
        }

        public boolean isRevert() {
            return reverts() != null;
        }

        /** What it wrote, by outcome ("restored" → 4962), as its done file says; empty when interrupted. */
        public Map<String, Long> written() {
            Map<String, Long> out = new TreeMap<>();
            if (done == null) {
                return out;
            }
            if (done.get("written") instanceof Document w) {
                w.forEach((k, v) -> out.put(k, ((Number) v).longValue()));
            } else if (done.get("written") instanceof String legacy) {
                // written before done held a document: "{RESTORED=5, REVERTED=2}"
                for (String part : legacy.replaceAll("[{}]", "").split(",\\s*")) {
                    String[] kv = part.split("=");
                    if (kv.length == 2) {
                        out.put(kv[0].toLowerCase().replace('_', ' ').replace("conflict ", "conflict: "), Long.parseLong(kv[1].trim()));
                    }
                }
            }
            if (done.get("reverted") instanceof Number n) {
                out.put("reverted", n.longValue());
            }
            return out;
        }
    }

    /** Every journal, oldest first (ids sort in time order). */
    public static List<Summary> list(ByteStore store) {
        List<Summary> out = new ArrayList<>();
        files(store).forEach((id, leaves) -> {
            Summary s = summary(store, id, leaves);
            if (s != null) {
                out.add(s);
            }
        });
        return out;
    }

    /** The file names under each journal's folder, by journal id (one listing). */
    static Map<String, List<String>> files(ByteStore store) {
        Map<String, List<String>> files = new TreeMap<>();
        try {
            for (String name : store.list(Journal.FOLDER)) {
                String[] parts = name.substring(Journal.FOLDER.length()).split("/");
                if (parts.length == 2) {
                    files.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** One journal from the names under its folder; null while it has no header yet. */
    static Summary summary(ByteStore store, String id, List<String> leaves) {
        if (!leaves.contains("header")) {
            return null;
        }
        List<String> batches = leaves.stream().filter(l -> l.matches("\\d{6}")).sorted()
                .map(l -> Journal.FOLDER + id + "/" + l).toList();
        return new Summary(id, json(store, id, "header"), leaves.contains("done") ? json(store, id, "done") : null, batches);
    }

    /** One journal; NOT_FOUND (exit 8) naming the journals there are. */
    public static Summary get(ByteStore store, String id) {
        Journal.requireId(id);
        List<Summary> all = list(store);
        for (Summary s : all) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        List<String> ids = all.stream().map(Summary::id).toList();
        throw RewindException.notFound("no journal '" + id + "' in " + store.location(), ids.isEmpty()
                ? "the repository has no journals: 'undo --apply' writes one"
                : "journals there: " + String.join(", ", ids.subList(Math.max(0, ids.size() - 10), ids.size()))
                        + " (list them with 'rewind journals --repo " + store.location() + "')");
    }

    /** The journal that reverted {@code id}, or null. */
    public static Summary revertOf(List<Summary> all, String id) {
        return all.stream().filter(s -> id.equals(s.reverts())).reduce((a, b) -> b).orElse(null);
    }

    private static Document json(ByteStore store, String id, String leaf) {
        String name = Journal.FOLDER + id + "/" + leaf;
        try {
            return Document.parse(new String(StoredFile.decode(name, store.get(name)), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RewindException e) {
            throw e;
        } catch (RuntimeException e) {
            throw RewindException.corrupt("corrupt repository file " + name + ": " + e.getMessage(),
                    "run 'rewind verify --repo " + store.location() + "'");
        }
    }
}
