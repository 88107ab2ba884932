package dev.rewind.repo;

import dev.rewind.event.ClusterTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * A snapshot's manifest (docs/FORMAT.md, "Snapshots"): what was scanned, from where, between which
 * change positions ({@code startAt} before the scan began, {@code endAt} after it ended; null when
 * the server offers no cluster time), and the objects that hold each namespace.
 */
public record SnapshotManifest(String id, Instant started, Instant finished, String source, String serverVersion,
                               ClusterTime startAt, ClusterTime endAt, List<NamespaceSnapshot> namespaces,
                               long newObjects, long newStoredBytes) {

    /** The position that orders snapshots: endAt, or the finish time when the server gave none. */
    public ClusterTime orderKey() {
        return endAt != null ? endAt : new ClusterTime(finished.getEpochSecond(), 0);
    }

    /** The file name under which the manifest is stored: sorts in time order. */
    public String fileName() {
        return "snapshots/" + orderKey().sortable() + "-" + id;
    }

    public long documents() {
        return namespaces.stream().mapToLong(NamespaceSnapshot::documents).sum();
    }

    public long rawBytes() {
        return namespaces.stream().mapToLong(NamespaceSnapshot::rawBytes).sum();
    }

    public long storedBytes() {
        return namespaces.stream().mapToLong(NamespaceSnapshot::storedBytes).sum();
    }

    public NamespaceSnapshot namespace(String ns) {
        return namespaces.stream().filter(n -> n.ns().equals(ns)).findFirst().orElse(null);
    }

    public byte[] toBytes() {
        List<Document> nss = new ArrayList<>();
        namespaces.forEach(n -> nss.add(n.toDocument()));
        Document d = new Document("kind", "snapshot").append("version", 1).append("id", id)
                .append("started", started.toString()).append("finished", finished.toString())
                .append("source", source).append("serverVersion", serverVersion)
                .append("startAt", startAt == null ? null : startAt.toString())
                .append("endAt", endAt == null ? null : endAt.toString())
                .append("newObjects", newObjects).append("newStoredBytes", newStoredBytes)
                .append("namespaces", nss);
        return StoredFile.encode(d.toJson(RepoConfig.JSON).getBytes(StandardCharsets.UTF_8), true);
    }

    public static SnapshotManifest parse(String name, byte[] stored) {
        Document d;
        try {
            d = Document.parse(new String(StoredFile.decode(name, stored), StandardCharsets.UTF_8));
        } catch (dev.rewind.RewindException e) {
            throw e;
        } catch (RuntimeException e) {
            throw StoredFile.corrupt(name, "manifest does not parse: " + e.getMessage());
        }
        List<NamespaceSnapshot> nss = new ArrayList<>();
        for (Document n : d.getList("namespaces", Document.class)) {
            nss.add(NamespaceSnapshot.fromDocument(n));
        }
        return new SnapshotManifest(d.getString("id"), Instant.parse(d.getString("started")),
                Instant.parse(d.getString("finished")), d.getString("source"), d.getString("serverVersion"),
                d.getString("startAt") == null ? null : ClusterTime.parse(d.getString("startAt")),
                d.getString("endAt") == null ? null : ClusterTime.parse(d.getString("endAt")),
                nss, ((Number) d.get("newObjects")).longValue(), ((Number) d.get("newStoredBytes")).longValue());
    }
}
