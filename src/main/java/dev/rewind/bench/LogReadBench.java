package dev.rewind.bench;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonString;

/**
 * How fast the change log is read, which every restore {@code --at}, undo, diff, timeline and pass
 * of a large undo does once per segment: one segment of {@code events} change events as capture
 * stores them ({@code insertPercent}% inserts of a family document with its full document, the rest
 * deletes, each with its resume token and wall time), written once and parsed {@code rounds} times in this process.
 * Prints the stored bytes per event and the median parse time per event.
 */
public final class LogReadBench {
    private final int events;
    private final int rounds;
    private final int insertPercent;
    private final PrintWriter out;

    public LogReadBench(int events, int rounds, int insertPercent, PrintWriter out) {
        this.events = events;
        this.rounds = rounds;
        this.insertPercent = insertPercent;
        this.out = out;
    }

    public void run() {
        Families families = new Families(7);
        List<ChangeEvent> log = new ArrayList<>(events);
        for (int i = 1; i <= events; i++) {
            BsonDocument full = families.next().toBsonDocument(BsonDocument.class,
                    com.mongodb.MongoClientSettings.getDefaultCodecRegistry());
            BsonDocument key = new BsonDocument("_id", full.get("_id"));
            BsonDocument token = new BsonDocument("_data", new BsonString(String.format("8263%08X000000012B042C0100296E5A1004", i)));
            boolean insert = (i * 37L) % 100 < insertPercent;
            log.add(new ChangeEvent(insert ? Operation.INSERT : Operation.DELETE, null, ClusterTime.of(1_000_000 + i / 1000, i),
                    Instant.ofEpochMilli(1_000_000_000L + i), Namespace.of("bench", "family"), null, key,
                    insert ? full : null, null, null, insert, null, token, null, null, null));
        }
        SegmentName name = new SegmentName(ClusterTime.of(999_999, 0), ClusterTime.of(1_000_000 + events / 1000 + 1, 0));
        byte[] stored = new Segment(name, "deployment", new BsonDocument(), log).toBytes();
        out.printf("segment of %,d events (%d%% inserts with a family document, the rest deletes): %,d bytes stored, %.1f bytes/event%n",
                events, insertPercent, stored.length, (double) stored.length / events);
        double[] micros = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            int n = Segment.parse(name.name(), stored).events().size();
            micros[r] = (System.nanoTime() - t0) / 1e3 / n;
        }
        Arrays.sort(micros);
        out.printf("parse: median %.2f µs/event over %d rounds (fastest %.2f, slowest %.2f)%n",
                micros[rounds / 2], rounds, micros[0], micros[rounds - 1]);
        out.flush();
    }
}
