package dev.rewind.detect;

import dev.rewind.event.ClusterTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * A burst of changes a rule flagged (docs/detect.md): which namespaces, the first and last event
 * (cluster times), the events by operation, up to ten sample {@code _id}s, what the events tell of
 * the client (logical session ids), how a namespace was changed when the events alone do not say
 * ({@code causes}: a collection replaced by a rename over it, or by an aggregation's {@code $out}),
 * and whether it is still open. An incident stays open while the
 * burst goes on, and closes after a quiet period.
 *
 * @param repo where the incident is stored, and {@code source} the server it came from (password
 *     redacted): together they make {@link #undoCommand()}
 */
public record Incident(long id, String rule, String severity, List<String> namespaces, ClusterTime firstAt,
                       ClusterTime lastAt, Map<String, Long> counts, List<BsonValue> samples, List<String> clients,
                       String status, Instant openedAt, Instant closedAt, List<String> undoOps, String repo,
                       String source, List<String> causes) {
    public static final String OPEN = "open";
    public static final String CLOSED = "closed";
    public static final int MAX_SAMPLES = 10;

    public Incident {
        namespaces = List.copyOf(namespaces);
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        samples = List.copyOf(samples);
        clients = List.copyOf(clients);
        undoOps = List.copyOf(undoOps);
        causes = List.copyOf(causes);
    }

    /** An incident without causes (the events say what happened). */
    public Incident(long id, String rule, String severity, List<String> namespaces, ClusterTime firstAt, ClusterTime lastAt,
                    Map<String, Long> counts, List<BsonValue> samples, List<String> clients, String status, Instant openedAt,
                    Instant closedAt, List<String> undoOps, String repo, String source) {
        this(id, rule, severity, namespaces, firstAt, lastAt, counts, samples, clients, status, openedAt, closedAt, undoOps, repo,
                source, List.of());
    }

    /** The same incident, closed at {@code when}. */
    public Incident closed(Instant when) {
        return new Incident(id, rule, severity, namespaces, firstAt, lastAt, counts, samples, clients, CLOSED, openedAt, when,
                undoOps, repo, source, causes);
    }

    public boolean isOpen() {
        return OPEN.equals(status);
    }

    /** Every event the incident counted. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The command that shows what undoing this incident would write; add --apply to write it. */
    public String undoCommand() {
        return dev.rewind.Shell.rewind("undo", "--repo", repo, "--uri", source, "--incident", String.valueOf(id));
    }

    /** "6,000 deletes, 1 update" */
    public String describeCounts() {
        List<String> parts = new ArrayList<>();
        counts.forEach((op, n) -> parts.add(String.format(java.util.Locale.ROOT, "%,d %s", n, n == 1 ? op : op + "s")));
        return String.join(", ", parts);
    }

    public Document toDocument() {
        Document counted = new Document();
        counts.forEach(counted::append);
        return new Document("kind", "incident").append("version", 1).append("id", id).append("rule", rule)
                .append("severity", severity).append("status", status).append("namespaces", namespaces)
                .append("firstAt", firstAt.toString()).append("lastAt", lastAt.toString())
                .append("firstWall", wall(firstAt)).append("lastWall", wall(lastAt))
                .append("counts", counted).append("total", total())
                .append("samples", new BsonDocument("ids", new BsonArray(samples)).get("ids"))
                .append("clients", clients).append("openedAt", openedAt.toString())
                .append("closedAt", closedAt == null ? null : closedAt.toString())
                .append("undoOps", undoOps).append("repo", repo).append("source", source).append("causes", causes)
                .append("undoCommand", undoCommand());
    }

    public static Incident fromDocument(Document d) {
        Map<String, Long> counts = new LinkedHashMap<>();
        d.get("counts", Document.class).forEach((k, v) -> counts.put(k, ((Number) v).longValue()));
        BsonDocument raw = BsonDocument.parse(new Document("s", d.get("samples")).toJson());
        List<BsonValue> samples = new ArrayList<>(raw.getArray("s").getValues());
        return new Incident(((Number) d.get("id")).longValue(), d.getString("rule"), d.getString("severity"),
                d.getList("namespaces", String.class), ClusterTime.parse(d.getString("firstAt")),
                ClusterTime.parse(d.getString("lastAt")), counts, samples, d.getList("clients", String.class),
                d.getString("status"), Instant.parse(d.getString("openedAt")),
                d.getString("closedAt") == null ? null : Instant.parse(d.getString("closedAt")),
                d.getList("undoOps", String.class), d.getString("repo"), d.getString("source"),
                d.containsKey("causes") ? d.getList("causes", String.class) : List.of());
    }

    /** The UTC wall time of a cluster time's second, e.g. 2026-11-25T07:52:38Z (ISO, for JSON). */
    static String wall(ClusterTime t) {
        return Instant.ofEpochSecond(t.seconds()).toString();
    }

    static String quote(String s) {
        return dev.rewind.Shell.quote(s);
    }
}
