package dev.rewind.dump;

import dev.rewind.RewindException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * Sorts one collection's documents by {@code _id} (in {@link BsonOrder}) with bounded memory: they
 * are held until the caller asks to {@link #spill} them, sorted, to a run file in {@code tmp}; at the
 * end the runs and what is still held are merged. A document that appears more than once (mongodump
 * can read a document twice when it moves during the dump) is kept once: the copy read last.
 */
final class SortedRuns implements AutoCloseable {
    /** Bytes a held document costs beyond its BSON (the entry, its _id, the list slot), roughly. */
    static final int OVERHEAD = 96;

    /** Receives the sorted documents. */
    interface Sink {
        void accept(byte[] document) throws IOException;
    }

    private record Held(BsonValue id, long seq, byte[] bytes) { }

    private static final Comparator<Held> ORDER = Comparator.comparing(Held::id, BsonOrder.INSTANCE)
            .thenComparingLong(Held::seq);

    private final Path tmp;
    private final String ns;
    private final List<Path> runs = new ArrayList<>();
    private List<Held> held = new ArrayList<>();
    private long heldBytes;
    private long seq;
    private long duplicates;

    SortedRuns(Path tmp, String ns) {
        this.tmp = tmp;
        this.ns = ns;
    }

    /** Adds a document; {@code where} names it for the error when it has no {@code _id}. */
    void add(byte[] document, String where) {
        BsonValue id = new RawBsonDocument(document).get("_id");
        if (id == null) {
            throw RewindException.corrupt(where + ": a document of " + ns + " has no _id",
                    "Rewind keys every document on its _id; the dump cannot be used as it is");
        }
        held.add(new Held(id, seq++, document));
        heldBytes += document.length + OVERHEAD;
    }

    long heldBytes() {
        return heldBytes;
    }

    /** Writes what is held, sorted, to a run file, and holds nothing. */
    void spill() throws IOException {
        if (held.isEmpty()) {
            return;
        }
        held.sort(ORDER);
        Path run = Files.createTempFile(tmp, "run", ".bson");
        runs.add(run);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(run), 1 << 16)) {
            for (Held h : held) {
                out.write(h.bytes());
            }
        }
        held = new ArrayList<>();
        heldBytes = 0;
    }

    /** How many documents were dropped as repeated copies (known once {@link #merge} has run). */
    long duplicates() {
        return duplicates;
    }

    /** Streams every document once, in {@code _id} order. */
    void merge(Sink sink) throws IOException {
        held.sort(ORDER);
        List<Head> heads = new ArrayList<>();
        try {
            for (int i = 0; i < runs.size(); i++) {
                heads.add(new Head(i, new BsonInput(new BufferedInputStream(Files.newInputStream(runs.get(i)), 1 << 16),
                        runs.get(i).toString(), false), null));
            }
            heads.add(new Head(runs.size(), null, held));
            PriorityQueue<Head> queue = new PriorityQueue<>(Comparator.comparing((Head h) -> h.id, BsonOrder.INSTANCE)
                    .thenComparingInt(h -> h.run));
            for (Head h : heads) {
                if (h.advance()) {
                    queue.add(h);
                }
            }
            byte[] pending = null;
            BsonValue pendingId = null;
            while (!queue.isEmpty()) {
                Head h = queue.poll();
                if (pendingId != null && BsonOrder.INSTANCE.compare(pendingId, h.id) == 0) {
                    duplicates++;
                } else if (pending != null) {
                    sink.accept(pending);
                }
                pending = h.bytes;
                pendingId = h.id;
                if (h.advance()) {
                    queue.add(h);
                }
            }
            if (pending != null) {
                sink.accept(pending);
            }
        } finally {
            for (Head h : heads) {
                h.close();
            }
        }
    }

    /** The next document of one run (a file, or what is held in memory). */
    private static final class Head {
        final int run;
        final BsonInput file;
        final List<Held> memory;
        int index;
        BsonValue id;
        byte[] bytes;

        Head(int run, BsonInput file, List<Held> memory) {
            this.run = run;
            this.file = file;
            this.memory = memory;
        }

        boolean advance() throws IOException {
            if (memory != null) {
                if (index == memory.size()) {
                    return false;
                }
                Held h = memory.get(index++);
                id = h.id();
                bytes = h.bytes();
                return true;
            }
            bytes = file.next();
            if (bytes == null) {
                return false;
            }
            id = new RawBsonDocument(bytes).get("_id");
            return true;
        }

        void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (Path r : runs) {
            Files.deleteIfExists(r);
        }
        runs.clear();
    }
}
