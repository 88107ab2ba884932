package dev.rewind.sandbox.oplog;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import java.time.Clock;

/**
 * Hands out oplog timestamps as a replica-set primary does: {@code Timestamp(seconds, increment)}
 * with the seconds of the wall clock and an increment counting up within the second, strictly
 * ascending even if the wall clock steps back. Not thread-safe: the oplog's writer calls it under
 * its lock.
 */
public final class OpClock {
    private final Clock wall;
    private long seconds;
    private long increment;

    public OpClock(Clock wall) {
        this.wall = wall;
    }

    /** Continues after {@code last} (a restarted server's newest entry). */
    public void resumeAfter(BsonTimestamp last) {
        if (last != null && last.getTime() >= seconds) {
            seconds = last.getTime();
            increment = last.getInc();
        }
    }

    public BsonTimestamp next() {
        long now = wall.millis() / 1000;
        if (now > seconds) {
            seconds = now;
            increment = 1;
        } else {
            increment++;
            if (increment > 0xFFFF_FFFFL) {
                seconds++;
                increment = 1;
            }
        }
        return new BsonTimestamp((seconds << 32) | increment);
    }

    public Clock wall() {
        return wall;
    }
}
