package dev.rewind.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * What a deployment says it is, recorded with every snapshot so that "the server this came from"
 * never depends on how a connection string spells its address (docs/FORMAT.md, "Snapshots").
 *
 * <ul>
 * <li>A replica set: its name ({@code hello.setName}), its id ({@code replSetGetConfig}'s
 *     {@code settings.replicaSetId}, an ObjectId made by {@code rs.initiate()} that cannot be
 *     modified; MongoDB manual, "Replica Set Configuration"), and its members ({@code hello.hosts}).</li>
 * <li>A sharded cluster: its {@code clusterId}, the ObjectId in {@code config.version} that a mongos
 *     reads (MongoDB manual, "Config Database").</li>
 * <li>A standalone server has no identity of its own: only {@code hosts} from the connection string.</li>
 * </ul>
 * Any field may be null where the server did not tell (a user without the privilege for
 * {@code replSetGetConfig}, say).
 */
public record Deployment(String setName, String replicaSetId, String clusterId, List<String> hosts) {

    /** What the server says; never writes. */
    public static Deployment of(MongoClient client, List<String> uriHosts) {
        Document hello = client.getDatabase("admin").runCommand(new Document("isMaster", 1));
        String setName = hello.getString("setName");
        if ("isdbgrid".equals(hello.getString("msg"))) {
            return new Deployment(null, null, clusterId(client), List.copyOf(uriHosts));
        }
        if (setName == null) {
            return new Deployment(null, null, null, List.copyOf(uriHosts));
        }
        List<String> hosts = new ArrayList<>();
        for (Object h : hello.getList("hosts", Object.class, List.of())) {
            hosts.add(String.valueOf(h).toLowerCase());
        }
        return new Deployment(setName, replicaSetId(client), null, List.copyOf(hosts));
    }

    private static String replicaSetId(MongoClient client) {
        try {
            Document config = client.getDatabase("admin").runCommand(new Document("replSetGetConfig", 1))
                    .get("config", Document.class);
            Document settings = config == null ? null : config.get("settings", Document.class);
            return settings != null && settings.get("replicaSetId") instanceof ObjectId id ? id.toHexString() : null;
        } catch (MongoException notAllowed) {
            return null;  // replSetGetConfig needs clusterMonitor's privileges
        }
    }

    private static String clusterId(MongoClient client) {
        try {
            Document version = client.getDatabase("config").getCollection("version").find().first();
            return version != null && version.get("clusterId") instanceof ObjectId id ? id.toHexString() : null;
        } catch (MongoException notAllowed) {
            return null;
        }
    }

    /** Whether two descriptions are known to name one deployment (SAME), two (DIFFERENT), or cannot tell (UNKNOWN). */
    public enum Verdict { SAME, DIFFERENT, UNKNOWN }

    /** Compares by what the servers said: their ids first, then a replica set's name and members. */
    public Verdict compare(Deployment other) {
        if (other == null) {
            return Verdict.UNKNOWN;
        }
        if (replicaSetId != null && other.replicaSetId != null) {
            return replicaSetId.equals(other.replicaSetId) ? Verdict.SAME : Verdict.DIFFERENT;
        }
        if (clusterId != null && other.clusterId != null) {
            return clusterId.equals(other.clusterId) ? Verdict.SAME : Verdict.DIFFERENT;
        }
        if (setName != null && other.setName != null) {
            if (!setName.equals(other.setName)) {
                return Verdict.DIFFERENT;
            }
            return hosts.stream().anyMatch(other.hosts::contains) ? Verdict.SAME : Verdict.UNKNOWN;
        }
        return Verdict.UNKNOWN;
    }

    /**
     * Whether {@code target} (reached through {@code targetUri}) is the deployment a snapshot recorded:
     * by what both said they are when that tells; otherwise (a standalone server, a manifest written
     * before deployments were recorded) by where the addresses lead, every spelling of this machine
     * counted as one. When it cannot tell, it answers true: the guard refuses rather than risk the source.
     */
    public static boolean isSame(Deployment recorded, String recordedSource, Deployment target, String targetUri) {
        Verdict v = recorded == null ? Verdict.UNKNOWN : recorded.compare(target);
        if (v != Verdict.UNKNOWN) {
            return v == Verdict.SAME;
        }
        List<String> before = new ArrayList<>(Addresses.hostsOf(recordedSource == null ? "" : recordedSource));
        if (recorded != null) {
            before.addAll(recorded.hosts());
        }
        List<String> now = new ArrayList<>(Addresses.hostsOf(targetUri));
        if (target != null) {
            now.addAll(target.hosts());
        }
        return before.isEmpty() || now.isEmpty() || Addresses.overlap(before, now);
    }

    /** How a manifest records it; fields the server did not give are left out. */
    public Document toDocument() {
        Document d = new Document();
        if (setName != null) {
            d.append("setName", setName);
        }
        if (replicaSetId != null) {
            d.append("replicaSetId", replicaSetId);
        }
        if (clusterId != null) {
            d.append("clusterId", clusterId);
        }
        return d.append("hosts", hosts);
    }

    /** Reads what {@link #toDocument()} wrote; null for null. Throws IllegalArgumentException on anything else. */
    public static Deployment fromDocument(Document d) {
        if (d == null) {
            return null;
        }
        List<String> hosts = new ArrayList<>();
        Object h = d.get("hosts");
        if (h instanceof List<?> list) {
            for (Object o : list) {
                hosts.add(Objects.requireNonNull(o instanceof String s ? s : null, "a host is not a string"));
            }
        } else if (h != null) {
            throw new IllegalArgumentException("deployment hosts is not a list");
        }
        return new Deployment(text(d, "setName"), text(d, "replicaSetId"), text(d, "clusterId"), List.copyOf(hosts));
    }

    private static String text(Document d, String key) {
        Object v = d.get(key);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException("deployment " + key + " is not a string");
        }
        return (String) v;
    }

    /** For messages: the replica set and its id, or the cluster id, or the hosts. */
    public String describe() {
        if (setName != null) {
            return "replica set " + setName + (replicaSetId == null ? "" : " (id " + replicaSetId + ")") + " " + hosts;
        }
        if (clusterId != null) {
            return "sharded cluster " + clusterId;
        }
        return "server " + String.join(",", hosts);
    }
}
