package dev.rewind.undo;

import dev.rewind.RewindException;
import dev.rewind.repo.StoredFile;
import dev.rewind.repo.store.ByteStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * The record of every write Rewind makes to a live database (docs/FORMAT.md, "Journals"):
 * {@code journals/<id>/header}, then batches {@code journals/<id>/<seq>} written before their writes
 * are made (write-ahead), each entry naming the document, the state it had before (null = absent)
 * and the state Rewind writes (null = deleted). A revert puts the "before" states back.
 */
public final class Journal {
    public static final String FOLDER = "journals/";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** One write: where, which document, before and after. */
    public record Entry(String ns, BsonValue id, String action, BsonDocument before, BsonDocument after) {
        BsonDocument toBson() {
            return new BsonDocument("ns", new BsonString(ns)).append("_id", id).append("action", new BsonString(action))
                    .append("before", before == null ? BsonNull.VALUE : before)
                    .append("after", after == null ? BsonNull.VALUE : after);
        }

        static Entry fromBson(BsonDocument d) {
            return new Entry(d.getString("ns").getValue(), d.get("_id"), d.getString("action").getValue(),
                    d.get("before").isNull() ? null : d.getDocument("before"),
                    d.get("after").isNull() ? null : d.getDocument("after"));
        }
    }

    private final ByteStore store;
    private final String id;
    private int seq;

    private Journal(ByteStore store, String id) {
        this.store = store;
        this.id = id;
    }

    /** Starts a journal; {@code header} says what is being done (command, window, target). */
    public static Journal start(ByteStore store, Document header) {
        String id = ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(java.security.SecureRandom.getSeed(3));
        Journal j = new Journal(store, id);
        j.put("header", header.append("id", id).append("started", Instant.now().toString()).toJson()
                .getBytes(StandardCharsets.UTF_8), false);
        return j;
    }

    public String id() {
        return id;
    }

    /** Makes a batch of entries durable; call before making their writes. */
    public void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) {
            ByteBuffer b = new RawBsonDocument(e.toBson(), new BsonDocumentCodec()).getByteBuffer().asNIO();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.writeBytes(bytes);
        }
        put(String.format("%06d", ++seq), out.toByteArray(), true);
    }

    /** Records the outcome counts when the run is over. */
    public void finish(Document summary) {
        put("done", summary.append("finished", Instant.now().toString()).toJson().getBytes(StandardCharsets.UTF_8), false);
    }

    /** Every entry of a journal, in the order written. */
    public static List<Entry> read(ByteStore store, String id) {
        List<Entry> out = new ArrayList<>();
        try {
            List<String> names = store.list(FOLDER + id + "/");
            if (names.isEmpty()) {
                throw RewindException.notFound("no journal '" + id + "' in " + store.location(),
                        "the journal id is printed by 'undo --apply'; journals are under journals/ in the repository");
            }
            for (String name : names) {
                String leaf = name.substring(name.lastIndexOf('/') + 1);
                if (!leaf.matches("\\d{6}")) {
                    continue;
                }
                byte[] plain = StoredFile.decode(name, store.get(name));
                ByteBuffer buf = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
                for (int pos = 0; pos < plain.length; ) {
                    int len = buf.getInt(pos);
                    out.add(Entry.fromBson(new RawBsonDocument(plain, pos, len)));
                    pos += len;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The entries of one batch file ({@code journals/<id>/<seq>}), in the order written. */
    public static List<Entry> readBatch(ByteStore store, String name) {
        List<Entry> out = new ArrayList<>();
        try {
            byte[] plain = StoredFile.decode(name, store.get(name));
            ByteBuffer buf = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
            for (int pos = 0; pos < plain.length; ) {
                int len = buf.getInt(pos);
                out.add(Entry.fromBson(new RawBsonDocument(plain, pos, len)));
                pos += len;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private void put(String leaf, byte[] bytes, boolean compress) {
        try {
            store.putIfAbsent(FOLDER + id + "/" + leaf, StoredFile.encode(bytes, compress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
