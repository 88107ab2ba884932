package dev.rewind.sandbox;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exact pre- and post-images of the sandbox's update, replace and delete writes, filed under
 * the oplog timestamp of each write, which is also its change event's {@code clusterTime}.
 *
 * <p>MongoDB 6.0+ keeps such images when a collection has {@code changeStreamPreAndPostImages}
 * enabled, and its change streams build {@code updateDescription}, {@code fullDocument:
 * "whenAvailable"} and {@code fullDocumentBeforeChange} from them. mongo-java-server keeps none,
 * so the sandbox records them here: the storage hooks ({@link CapturingBackends}) hand over each
 * document's images as the backend writes it ({@link #updated}, {@link #deleting}); the backend
 * then appends the write's oplog entry on the same thread, and {@link #oplogEntryWritten} files the
 * images under that entry's {@code ts}. Images still waiting for an oplog entry are per thread and
 * are dropped at the end of each command ({@link #discardPending}): findAndModify writes none.
 *
 * <p>Retention: the most recent images, up to {@code maxBytes} of BSON in total (default
 * {@value #DEFAULT_MAX_BYTES} bytes); older ones are dropped oldest first. They live in memory only,
 * so a file-backed sandbox loses them on restart. A change stream that reaches an update event
 * whose images are gone fails like mongod whose oplog has rolled over (see UpdateEventShaper).
 */
final class ChangeImages {
    static final long DEFAULT_MAX_BYTES = 64L << 20;

    /** The newest oplog entry's timestamp (its 64-bit value), 0 before the first this process wrote. */
    private final java.util.concurrent.atomic.AtomicLong newest = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The server's cluster time, as a replica-set member reports it in {@code operationTime}: the
     * newest oplog entry, or, while nothing is written, the last whole second (mongod writes a no-op
     * entry every few seconds for the same purpose). Entries are stamped with this machine's clock.
     * Null until this process has written an entry, so a restarted file-backed sandbox never reports a
     * time older than what its oplog already holds.
     */
    BsonTimestamp clusterTime() {
        if (newest.get() == 0) {
            return null;  // nothing written since this process started: older entries (a --data sandbox) are unknown here
        }
        BsonTimestamp settled = new BsonTimestamp(java.time.Instant.now().minusSeconds(1).truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS), 0);
        long n = newest.get();
        return n > settled.getValue() ? new BsonTimestamp(n) : settled;
    }

    enum Kind { UPDATE, REPLACE, DELETE }

    /** One write's images as BSON; {@code after} is null for a delete. */
    record Images(Kind kind, String namespace, byte[] before, byte[] after) {
        Document beforeDocument() { return decode(before); }
        Document afterDocument() { return after == null ? null : decode(after); }
        long bytes() { return before.length + (after == null ? 0 : after.length) + 64L; }
    }

    private record Key(String namespace, Object id) { }

    private record Pending(byte[] before, byte[] after) { }

    private final long maxBytes;
    private final ThreadLocal<Map<Key, Pending>> pending = ThreadLocal.withInitial(HashMap::new);
    private final LinkedHashMap<Long, Images> byTimestamp = new LinkedHashMap<>();
    private long bytes;

    ChangeImages(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The backend is storing {@code after} in place of {@code before} (both copied now). */
    void updated(String namespace, Document before, Document after) {
        pending.get().put(new Key(namespace, before.get("_id")), new Pending(encode(before), encode(after)));
    }

    /** The backend is about to remove {@code document}. */
    void deleting(String namespace, Document document) {
        pending.get().put(new Key(namespace, document.get("_id")), new Pending(encode(document), null));
    }

    /** The backend appended {@code entry} to {@code local.oplog.rs} on this thread. */
    void oplogEntryWritten(Document entry) {
        if (entry.get("ts") instanceof BsonTimestamp ts) {
            newest.accumulateAndGet(ts.getValue(), Math::max);
        }
        Object op = entry.get("op");
        Object id;
        Kind kind;
        if ("u".equals(op)) {
            id = ((Document) entry.get("o2")).get("_id");
            kind = isReplacement(entry.get("o")) ? Kind.REPLACE : Kind.UPDATE;
        } else if ("d".equals(op)) {
            id = ((Document) entry.get("o")).get("_id");
            kind = Kind.DELETE;
        } else {
            return;
        }
        String namespace = (String) entry.get("ns");
        Pending images = pending.get().remove(new Key(namespace, id));
        if (images != null) {
            long ts = ((BsonTimestamp) entry.get("ts")).getValue();
            put(ts, new Images(kind, namespace, images.before(), images.after()));
        }
    }

    /** Forgets this thread's images that no oplog entry claimed. */
    void discardPending() {
        Map<Key, Pending> map = pending.get();
        if (!map.isEmpty()) {
            map.clear();
        }
    }

    /** The images of the write at oplog timestamp {@code ts}, or null if unknown or dropped. */
    synchronized Images get(BsonTimestamp ts) {
        return byTimestamp.get(ts.getValue());
    }

    private synchronized void put(long ts, Images images) {
        Images old = byTimestamp.put(ts, images);
        bytes += images.bytes() - (old == null ? 0 : old.bytes());
        Iterator<Images> oldest = byTimestamp.values().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            bytes -= oldest.next().bytes();
            oldest.remove();
        }
    }

    /** An oplog update entry's {@code o} is either update operators or the replacement document. */
    private static boolean isReplacement(Object o) {
        if (!(o instanceof Document spec)) {
            return false;
        }
        for (String key : spec.keySet()) {
            if (key.startsWith("$")) {
                return false;
            }
        }
        return true;
    }

    private static byte[] encode(Document document) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(document, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } finally {
            buffer.release();
        }
    }

    private static Document decode(byte[] bytes) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
    }
}
