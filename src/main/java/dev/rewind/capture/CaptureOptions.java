package dev.rewind.capture;

import dev.rewind.NamespacePattern;
import java.time.Duration;
import java.util.List;

/**
 * How capture runs: which namespaces, how often segments are sealed (the recovery point
 * objective), how often an idle capture still records its position (by default as often: the position
 * is durable within the seal interval even without writes; prune merges the small segments this makes),
 * and the snapshot schedule.
 */
public record CaptureOptions(List<NamespacePattern> patterns, Duration sealInterval, Duration idleInterval,
                             Duration snapshotEvery, int maxSegmentEvents) {
    public static final Duration DEFAULT_SEAL = Duration.ofSeconds(2);
    /** An idle capture records its position as often as it seals: coverage is durable within the seal interval. */
    public static final Duration DEFAULT_IDLE = DEFAULT_SEAL;

    public static CaptureOptions defaults(List<NamespacePattern> patterns) {
        return new CaptureOptions(patterns, DEFAULT_SEAL, DEFAULT_IDLE, null, 20_000);
    }
}
