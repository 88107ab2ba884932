package dev.rewind.mongo;

import com.mongodb.client.MongoClient;
import dev.rewind.NamespacePattern;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * What a server offers for change capture, found by asking it (never by writing to it): its
 * topology and wire version decide which change streams exist and whether pre- and post-images
 * and expanded events can be asked for; its collections' options say where images are recorded.
 *
 * @param imageCollections the captured collections that record pre- and post-images
 *     ({@code changeStreamPreAndPostImages: {enabled: true}}); their updates are exact from the
 *     images, the others' are rebuilt from {@code updateDescription}
 */
public record ServerProbe(String topology, int wireVersion, String version, CaptureMode mode, boolean postImages,
                          boolean expandedEvents, boolean splitsLargeEvents, List<String> lacks, List<String> imageCollections) {

    /** How Rewind watches a deployment, best first. */
    public enum CaptureMode {
        /** One deployment-wide stream ({@code client.watch()}): replica sets and sharded clusters. */
        DEPLOYMENT,
        /** One stream per database (kept for deployments where only database streams are allowed). */
        DATABASE,
        /** One stream per collection, with periodic discovery of new collections. */
        COLLECTION,
        /** No change streams at all: a standalone server. */
        NONE
    }

    /** MongoDB 6.0's wire version: images on request where a collection records them, expanded events. */
    static final int WIRE_6_0 = 17;

    public static ServerProbe of(MongoClient client) {
        return of(client, List.of());
    }

    public static ServerProbe of(MongoClient client, List<NamespacePattern> patterns) {
        Document hello = client.getDatabase("admin").runCommand(new Document("isMaster", 1));
        int wire = hello.getInteger("maxWireVersion", 0);
        String topology = "isdbgrid".equals(hello.getString("msg")) ? "sharded"
                : hello.getString("setName") != null ? "replica set " + hello.getString("setName") : "standalone";
        String version = new Catalog(client).serverVersion();
        List<String> lacks = new ArrayList<>();
        CaptureMode mode;
        if (topology.equals("standalone")) {
            mode = CaptureMode.NONE;
            lacks.add("change streams (a standalone server has none: run it as a single-node replica set)");
        } else {
            mode = CaptureMode.DEPLOYMENT;
        }
        boolean sixOh = wire >= WIRE_6_0;
        if (!sixOh) {
            lacks.add("pre- and post-images and expanded DDL events (MongoDB 6.0+): updates are rebuilt from"
                    + " updateDescription, collection options and indexes created after a snapshot are not seen");
        }
        List<String> images = new ArrayList<>();
        if (sixOh && mode != CaptureMode.NONE) {
            for (Catalog.Entry e : new Catalog(client).list(patterns)) {
                if (e.options().get("changeStreamPreAndPostImages") instanceof Document d && Boolean.TRUE.equals(d.get("enabled"))) {
                    images.add(e.ns());
                }
            }
        }
        boolean splits = splitsLargeEvents(version);
        if (!splits && mode != CaptureMode.NONE) {
            lacks.add("$changeStreamSplitLargeEvent (MongoDB 7.0, 6.0.9): a change event over 16 MB stops capture");
        }
        return new ServerProbe(topology, wire, version, mode, sixOh, sixOh, splits, List.copyOf(lacks), List.copyOf(images));
    }

    /** Whether a server version has {@code $changeStreamSplitLargeEvent}: 7.0+, and 6.0 from 6.0.9 (MongoDB manual). */
    static boolean splitsLargeEvents(String version) {
        String[] p = version == null ? new String[0] : version.split("[.-]");
        try {
            int major = Integer.parseInt(p[0]);
            int minor = Integer.parseInt(p[1]);
            int patch = p.length > 2 ? Integer.parseInt(p[2]) : 0;
            return major > 6 || (major == 6 && (minor > 0 || patch >= 9));
        } catch (RuntimeException unknown) {
            return false;
        }
    }

    /** Whether the streams' resume tokens advance while idle (postBatchResumeToken), so they tell how far a stream has read. */
    public boolean tokensAdvanceWhenIdle() {
        return mode != CaptureMode.NONE;
    }
}
