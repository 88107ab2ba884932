package dev.rewind.detect;

import java.time.Duration;

/** How a failed alert is retried: waits of {@code first}, doubling up to {@code max}, until {@code giveUpAfter}. */
public record Backoff(Duration first, Duration max, Duration giveUpAfter) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));

    Duration next(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
