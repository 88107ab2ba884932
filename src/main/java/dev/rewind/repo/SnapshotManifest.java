package dev.rewind.repo;

import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.Deployment;
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
                               long newObjects, long newStoredBytes, Deployment deployment) {
    public static final int VERSION = 1;
    /** Snapshot ids: name characters only (docs/FORMAT.md, "Layout"). */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A manifest without a recorded deployment (as written before deployments were recorded). */
    public SnapshotManifest(String id, Instant started, Instant finished, String source, String serverVersion,
                            ClusterTime startAt, ClusterTime endAt, List<NamespaceSnapshot> namespaces,
                            long newObjects, long newStoredBytes) {
        this(id, started, finished, source, serverVersion, startAt, endAt, namespaces, newObjects, newStoredBytes, null);
    }

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
                .append("newObjects", newObjects).append("newStoredBytes", newStoredBytes);
        if (deployment != null) {
            d.append("deployment", deployment.toDocument());
        }
        d.append("namespaces", nss);
        return StoredFile.encode(d.toJson(RepoConfig.JSON).getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * Reads a manifest; CORRUPT (exit 6) naming the file for anything it cannot use, NO_REPOSITORY
     * (exit 4) for a version it does not know: a reader never reads a version it does not know.
     */
    public static SnapshotManifest parse(String name, byte[] stored) {
        Document d;
        try {
            d = Document.parse(new String(StoredFile.decode(name, stored), StandardCharsets.UTF_8));
        } catch (dev.rewind.RewindException e) {
            throw e;
        } catch (RuntimeException e) {
            throw StoredFile.corrupt(name, "manifest does not parse: " + e.getMessage());
        }
        if (!"snapshot".equals(d.get("kind"))) {
            throw StoredFile.corrupt(name, "not a snapshot manifest (kind is " + d.get("kind") + ")");
        }
        if (!Integer.valueOf(VERSION).equals(d.get("version"))) {
            throw new dev.rewind.RewindException(dev.rewind.ExitCode.NO_REPOSITORY, "snapshot manifest " + name
                    + " has version " + d.get("version") + "; this Rewind reads version " + VERSION,
                    "use the Rewind release that wrote it, or a newer one; this Rewind leaves that snapshot alone");
        }
        try {
            List<NamespaceSnapshot> nss = new ArrayList<>();
            for (Document n : JsonFields.documents(d, "namespaces")) {
                nss.add(NamespaceSnapshot.fromDocument(n));
            }
            String id = JsonFields.string(d, "id");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("'id' is not a snapshot id");
            }
            Deployment deployment = Deployment.fromDocument(JsonFields.optionalDocument(d, "deployment"));
            return new SnapshotManifest(id, JsonFields.instant(d, "started"), JsonFields.instant(d, "finished"),
                    JsonFields.optionalString(d, "source"), JsonFields.optionalString(d, "serverVersion"),
                    JsonFields.optionalClusterTime(d, "startAt"), JsonFields.optionalClusterTime(d, "endAt"),
                    nss, JsonFields.count(d, "newObjects"), JsonFields.count(d, "newStoredBytes"), deployment);
        } catch (RuntimeException e) {
            throw StoredFile.corrupt(name, "manifest is malformed: " + e.getMessage());
        }
    }
}
