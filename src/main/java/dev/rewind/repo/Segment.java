package dev.rewind.repo;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.EventFormat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * A sealed piece of the change log (docs/FORMAT.md, "Segments"): a header document, then the
 * normalized events of {@code (from, to]} in cluster-time order, all BSON, in a compressed envelope.
 * The header names the capture mode and the stream positions after the last event, so a restart
 * can resume from the newest segment alone.
 */
public record Segment(SegmentName name, String mode, BsonDocument positions, List<ChangeEvent> events) {

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BsonDocument header = new BsonDocument("kind", new BsonString("segment"))
                .append("v", new BsonInt32(1))
                .append("from", new BsonString(name.from().toString()))
                .append("to", new BsonString(name.to().toString()))
                .append("count", new BsonInt32(events.size()))
                .append("mode", new BsonString(mode))
                .append("positions", positions);
        write(out, header);
        for (ChangeEvent e : events) {
            write(out, EventFormat.write(e));
        }
        return StoredFile.encode(out.toByteArray(), true);
    }

    /**
     * Reads a segment; CORRUPT naming the file when the envelope, the header, the count, or an event
     * does not read, when the header disagrees with the file's name, or when an event lies outside
     * {@code (from, to]} or out of order.
     */
    public static Segment parse(String file, byte[] stored) {
        byte[] plain = StoredFile.decode(file, stored);
        List<BsonDocument> docs = documents(file, plain);
        try {
            return parse(file, docs);
        } catch (dev.rewind.RewindException e) {
            throw e;
        } catch (RuntimeException e) {
            throw StoredFile.corrupt(file, "segment is malformed: " + e);
        }
    }

    /**
     * How many events a stored segment holds, as its header says, without reading them (the file is
     * decompressed, only the header is decoded); CORRUPT when there is no header with a count.
     */
    public static int count(String file, byte[] stored) {
        byte[] plain = StoredFile.decode(file, stored);
        ByteBuffer buf = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        int len = plain.length >= 4 ? buf.getInt(0) : -1;
        if (len < 5 || len > plain.length) {
            throw StoredFile.corrupt(file, "no segment header");
        }
        try {
            BsonDocument h = new RawBsonDocument(plain, 0, len);
            if (!"segment".equals(h.getString("kind", new BsonString("")).getValue()) || !h.isInt32("count")
                    || h.getInt32("count").getValue() < 0) {
                throw StoredFile.corrupt(file, "no segment header with an event count");
            }
            return h.getInt32("count").getValue();
        } catch (dev.rewind.RewindException e) {
            throw e;
        } catch (RuntimeException e) {
            throw StoredFile.corrupt(file, "segment header is malformed: " + e);
        }
    }

    private static Segment parse(String file, List<BsonDocument> docs) {
        if (docs.isEmpty() || !"segment".equals(docs.get(0).getString("kind", new BsonString("")).getValue())) {
            throw StoredFile.corrupt(file, "no segment header");
        }
        BsonDocument h = docs.get(0);
        if (!h.isInt32("v") || h.getInt32("v").getValue() != 1) {
            throw StoredFile.corrupt(file, "unknown segment version " + h.get("v"));
        }
        SegmentName name = new SegmentName(ClusterTime.parse(h.getString("from").getValue()),
                ClusterTime.parse(h.getString("to").getValue()));
        if (file.startsWith(SegmentName.FOLDER) && !name.name().equals(file)) {
            throw StoredFile.corrupt(file, "its header covers " + name.from() + " to " + name.to() + ", its name says otherwise");
        }
        if (!name.to().isAfter(name.from())) {
            throw StoredFile.corrupt(file, "it ends (" + name.to() + ") where it starts or before (" + name.from() + ")");
        }
        List<ChangeEvent> events = new ArrayList<>(docs.size() - 1);
        ClusterTime previous = name.from();
        for (int i = 1; i < docs.size(); i++) {
            ChangeEvent e;
            try {
                e = EventFormat.read(docs.get(i));
            } catch (RuntimeException bad) {
                throw StoredFile.corrupt(file, "event " + i + " does not read: " + bad.getMessage());
            }
            if (!name.covers(e.clusterTime())) {
                throw StoredFile.corrupt(file, "event " + i + " at " + e.clusterTime() + " lies outside the segment ("
                        + name.from() + ", " + name.to() + "]");
            }
            if (e.clusterTime().isBefore(previous)) {
                throw StoredFile.corrupt(file, "event " + i + " at " + e.clusterTime() + " comes after one at " + previous);
            }
            previous = e.clusterTime();
            events.add(e);
        }
        if (!h.isInt32("count") || events.size() != h.getInt32("count").getValue()) {
            throw StoredFile.corrupt(file, "holds " + events.size() + " events, header says " + h.get("count"));
        }
        return new Segment(name, h.getString("mode").getValue(), h.getDocument("positions"), events);
    }

    private static void write(ByteArrayOutputStream out, BsonDocument doc) {
        RawBsonDocument raw = new RawBsonDocument(doc, new BsonDocumentCodec());
        ByteBuffer b = raw.getByteBuffer().asNIO();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.writeBytes(bytes);
    }

    static List<BsonDocument> documents(String file, byte[] plain) {
        List<BsonDocument> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        while (pos < plain.length) {
            if (pos + 4 > plain.length) {
                throw StoredFile.corrupt(file, "truncated document");
            }
            int len = buf.getInt(pos);
            if (len < 5 || pos + len > plain.length) {
                throw StoredFile.corrupt(file, "malformed document at byte " + pos);
            }
            out.add(new RawBsonDocument(plain, pos, len));
            pos += len;
        }
        return out;
    }
}
