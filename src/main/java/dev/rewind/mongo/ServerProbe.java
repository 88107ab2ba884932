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
                          boolean expandedEvents, List<String> lacks, List<String> imageCollections) {

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
        return new ServerProbe(topology, wire, version, mode, sixOh, sixOh, List.copyOf(lacks), List.copyOf(images));
    }

    /** Whether the streams' resume tokens advance while idle (postBatchResumeToken), so they tell how far a stream has read. */
    public boolean tokensAdvanceWhenIdle() {
        return mode != CaptureMode.NONE;
    }
}
