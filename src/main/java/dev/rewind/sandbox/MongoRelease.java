package dev.rewind.sandbox;

import java.util.List;

/**
 * The MongoDB release the sandbox emulates ({@code --mongodb 6.0|7.0|8.0}): what {@code hello} and
 * {@code buildInfo} report, and the behaviours that differ between releases.
 */
public enum MongoRelease {
    V6_0("6.0", "6.0.8", 17),
    V7_0("7.0", "7.0.14", 21),
    V8_0("8.0", "8.0.3", 25);

    private final String name;
    private final String version;
    private final int wireVersion;

    MongoRelease(String name, String version, int wireVersion) {
        this.name = name;
        this.version = version;
        this.wireVersion = wireVersion;
    }

    /** "6.0", "7.0" or "8.0". */
    public String label() {
        return name;
    }

    /** The full version string {@code buildInfo} reports. */
    public String version() {
        return version;
    }

    /** {@code maxWireVersion} in {@code hello}. */
    public int wireVersion() {
        return wireVersion;
    }

    public List<Integer> versionArray() {
        String[] parts = version.split("\\.");
        return List.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 0);
    }

    /** {@code deleteMany} deletes in batches of {@code batchedDeletesTargetBatchDocs}, each one {@code applyOps} entry (6.1+). */
    public boolean batchedDeletes() {
        return this != V6_0;
    }

    /**
     * A multi-document insert goes to the oplog as {@code applyOps} batches whose events share a
     * cluster time (8.0: featureFlagReplicateVectoredInsertsTransactionally, SERVER-88826).
     */
    public boolean batchesInserts() {
        return this == V8_0;
    }

    /** {@code $changeStreamSplitLargeEvent} exists (7.0+; 6.0.9+, newer than the 6.0 emulated here). */
    public boolean splitLargeEvent() {
        return this != V6_0;
    }

    /** {@code updateDescription.disambiguatedPaths} under {@code showExpandedEvents} (6.1+). */
    public boolean disambiguatedPaths() {
        return this != V6_0;
    }

    /** Drop of a collection that does not exist succeeds (7.0+) instead of failing with NamespaceNotFound. */
    public boolean dropOfMissingSucceeds() {
        return this != V6_0;
    }

    public static MongoRelease of(String label) {
        for (MongoRelease r : values()) {
            if (r.name.equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no such MongoDB release to emulate: " + label + " (use 6.0, 7.0 or 8.0)");
    }
}
