package dev.rewind.mongo;

import com.mongodb.client.MongoClient;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * What a server offers for change capture, found by asking it (never by writing to it): its
 * topology and wire version decide which change streams exist and whether pre- and post-images
 * and expanded events can be asked for.
 */
public record ServerProbe(String topology, int wireVersion, String version, CaptureMode mode, boolean postImages,
                          boolean expandedEvents, List<String> lacks) {

    /** How Rewind watches a deployment, best first. */
    public enum CaptureMode {
        /** One deployment-wide stream ({@code client.watch()}): replica sets and sharded clusters, 4.0+. */
        DEPLOYMENT,
        /** One stream per database: 3.6 replica sets. */
        DATABASE,
        /** One stream per collection, with periodic discovery of new collections: the embedded sandbox. */
        COLLECTION
    }

    /** MongoDB 6.0's wire version: post-images on request ({@code fullDocument: whenAvailable}), expanded events. */
    static final int WIRE_6_0 = 17;
    static final int WIRE_4_0 = 7;

    public static ServerProbe of(MongoClient client) {
        Document hello = client.getDatabase("admin").runCommand(new Document("isMaster", 1));
        int wire = hello.getInteger("maxWireVersion", 0);
        String topology = "isdbgrid".equals(hello.getString("msg")) ? "sharded"
                : hello.getString("setName") != null ? "replica set " + hello.getString("setName") : "standalone";
        String version = new Catalog(client).serverVersion();
        List<String> lacks = new ArrayList<>();
        CaptureMode mode;
        if (topology.equals("standalone")) {
            // A real standalone mongod has no change streams at all; the embedded sandbox offers
            // collection-level streams only (DESIGN.md), so that is what we try.
            mode = CaptureMode.COLLECTION;
            lacks.add("deployment- and database-wide change streams (standalone server: one stream per collection,"
                    + " new collections found by polling)");
        } else if (wire >= WIRE_4_0) {
            mode = CaptureMode.DEPLOYMENT;
        } else {
            mode = CaptureMode.DATABASE;
            lacks.add("deployment-wide change streams (MongoDB < 4.0)");
        }
        // MongoDB 6.0+ gives post-images where the collection has changeStreamPreAndPostImages on;
        // the embedded sandbox (the only standalone server with change streams) always gives them.
        boolean images = wire >= WIRE_6_0 || topology.equals("standalone");
        if (!images) {
            lacks.add("exact post-images and pre-images (MongoDB 6.0+ with changeStreamPreAndPostImages);"
                    + " updates are rebuilt from updateDescription, else from updateLookup");
        }
        boolean expanded = wire >= WIRE_6_0 && !topology.equals("standalone");
        if (!expanded) {
            lacks.add("expanded DDL events (showExpandedEvents, MongoDB 6.0+)");
        }
        return new ServerProbe(topology, wire, version, mode, images, expanded, List.copyOf(lacks));
    }

    /** Whether the streams' resume tokens advance while idle (postBatchResumeToken), so they tell how far a stream has read. */
    public boolean tokensAdvanceWhenIdle() {
        return !topology.equals("standalone");
    }
}
