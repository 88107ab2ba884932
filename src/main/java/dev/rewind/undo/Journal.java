package dev.rewind.undo;

import dev.rewind.RewindException;
import dev.rewind.repo.Documents;
import dev.rewind.repo.StoredFile;
import dev.rewind.repo.store.ByteStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.BsonValueCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/**
 * The record of every write Rewind makes to a live database (docs/FORMAT.md, "Journals"):
 * {@code journals/<id>/header}, then batches {@code journals/<id>/<seq>} written before their writes
 * are made (write-ahead), each entry naming the document, the state it had before (null = absent)
 * and the state Rewind writes (null = deleted). A revert puts the "before" states back.
 */
public final class Journal {
    public static final String FOLDER = "journals/";
    /** To the millisecond, so that an undo and its revert begun in the same second still sort in time order. */
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    /** One write: where, which document, before and after. */
    public record Entry(String ns, BsonValue id, String action, BsonDocument before, BsonDocument after) {
        BsonDocument toBson() {
            return new BsonDocument("ns", new BsonString(ns)).append("_id", id).append("action", new BsonString(action))
                    .append("before", before == null ? BsonNull.VALUE : before)
                    .append("after", after == null ? BsonNull.VALUE : after);
        }

        /**
         * The entry as stored: the BSON of {@link #toBson()}, with a raw state's bytes copied as they
         * are (encoding it through a codec would decode it first, a third of an applying undo's CPU).
         */
        byte[] toBytes() {
            BasicOutputBuffer buffer = new BasicOutputBuffer();
            try (BsonBinaryWriter w = new BsonBinaryWriter(buffer)) {
                w.writeStartDocument();
                w.writeString("ns", ns);
                w.writeName("_id");
                new BsonValueCodec().encode(w, id, EncoderContext.builder().build());
                w.writeString("action", action);
                writeState(w, "before", before);
                writeState(w, "after", after);
                w.writeEndDocument();
            }
            return buffer.toByteArray();
        }

        private static void writeState(BsonBinaryWriter w, String name, BsonDocument state) {
            w.writeName(name);
            if (state == null) {
                w.writeNull();
            } else if (state instanceof RawBsonDocument raw) {
                w.pipe(new BsonBinaryReader(raw.getByteBuffer().asNIO()));
            } else {
                new BsonDocumentCodec().encode(w, state, EncoderContext.builder().build());
            }
        }

        static Entry fromBson(BsonDocument d) {
            String ns = d.getString("ns").getValue();
            int dot = ns.indexOf('.');
            if (dot <= 0 || dev.rewind.MongoNames.namespaceProblem(ns.substring(0, dot), ns.substring(dot + 1)) != null) {
                throw new IllegalArgumentException("not a namespace: " + ns);
            }
            BsonValue id = d.get("_id");
            if (id == null) {
                throw new IllegalArgumentException("an entry without _id");
            }
            return new Entry(ns, id, d.getString("action").getValue(),
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
            out.writeBytes(e.toBytes());
        }
        put(String.format("%06d", ++seq), out.toByteArray(), true);
    }

    /** Records the outcome counts and how many batches were written, when the run is over. */
    public void finish(Document summary) {
        put("done", summary.append("batches", seq).append("finished", Instant.now().toString()).toJson()
                .getBytes(StandardCharsets.UTF_8), false);
    }

    /** Journal ids as {@link #start} makes them, {@code yyyyMMddTHHmmssSSSZ-<6 hex>}, or to the second as it made them before. */
    static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("\\d{8}T\\d{6}(\\d{3})?Z-[0-9a-f]{6}");

    /**
     * Every entry of a journal, in the order written, after checking the journal whole: its header
     * reads, its batches run from 000001 without a gap up to the count its {@code done} records (or
     * the highest, for a run that was interrupted), and every batch reads. USAGE for an id that is
     * not one, NOT_FOUND for an unknown one, CORRUPT naming the first file missing or damaged.
     */
    public static List<Entry> read(ByteStore store, String id) {
        return check(store, id, true);
    }

    /** USAGE (exit 2) for anything that is not a journal id, so an id can never name another path. */
    static void requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw RewindException.usage("not a journal id: '" + id + "'", "a journal id looks like 20261117T140130123Z-a1b2c3;"
                    + " 'undo --apply' prints it, and journals are under journals/ in the repository");
        }
    }

    /** As {@link #read}; without {@code entries}, the batch files are checked present but not read. */
    public static List<Entry> check(ByteStore store, String id, boolean entries) {
        List<Entry> out = new ArrayList<>();
        batches(store, id, entries ? out::addAll : null);
        return out;
    }

    /**
     * The batch files of a journal, in the order written, after checking it as {@link #read} does;
     * each batch's entries go to {@code each} as it is read (null: checked present, not read), so that
     * a journal of any size is checked without being held.
     */
    public static List<String> batches(ByteStore store, String id, java.util.function.Consumer<List<Entry>> each) {
        requireId(id);
        String folder = FOLDER + id + "/";
        try {
            List<String> names = store.list(folder);
            if (names.isEmpty()) {
                throw RewindException.notFound("no journal '" + id + "' in " + store.location(),
                        "the journal id is printed by 'undo --apply'; journals are under journals/ in the repository");
            }
            if (!names.contains(folder + "header")) {
                throw missing(folder + "header");
            }
            json(folder + "header", store.get(folder + "header"));
            int highest = 0;
            for (String name : names) {
                String leaf = name.substring(folder.length());
                if (leaf.matches("\\d{6}")) {
                    highest = Math.max(highest, Integer.parseInt(leaf));
                } else if (!leaf.equals("header") && !leaf.equals("done")) {
                    throw RewindException.corrupt("a stray file in journal " + id + ": " + name, VERIFY_HINT);
                }
            }
            if (names.contains(folder + "done")) {
                Document done = json(folder + "done", store.get(folder + "done"));
                if (done.get("batches") instanceof Integer batches) {
                    if (batches < highest) {
                        throw RewindException.corrupt("journal " + id + " holds batch " + String.format("%06d", highest)
                                + " but its done file records " + batches + " batches", VERIFY_HINT);
                    }
                    highest = batches;
                }
            }
            List<String> out = new ArrayList<>();
            for (int seq = 1; seq <= highest; seq++) {
                String name = folder + String.format("%06d", seq);
                if (!names.contains(name)) {
                    throw missing(name);
                }
                if (each != null) {
                    each.accept(entries(name, store.get(name)));
                }
                out.add(name);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of one batch file; CORRUPT naming it when it does not read. */
    static List<Entry> entries(String name, byte[] stored) {
        byte[] plain = StoredFile.decode(name, stored);
        List<Entry> out = new ArrayList<>();
        try {
            for (RawBsonDocument doc : Documents.in("it", VERIFY_HINT, plain)) {
                out.add(Entry.fromBson(doc));
            }
        } catch (RuntimeException e) {
            throw RewindException.corrupt("corrupt repository file " + name + ": a journal entry does not read ("
                    + e.getMessage() + ")", VERIFY_HINT);
        }
        return out;
    }

    /** The entries of one batch file ({@code journals/<id>/<seq>}), in the order written; CORRUPT naming it when it does not read. */
    public static List<Entry> readBatch(ByteStore store, String name) {
        try {
            return entries(name, store.get(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A journal's header or done file as JSON; CORRUPT naming it when it does not read. */
    static Document json(String name, byte[] stored) {
        byte[] plain = StoredFile.decode(name, stored);
        try {
            return Document.parse(new String(plain, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw RewindException.corrupt("corrupt repository file " + name + ": not JSON", VERIFY_HINT);
        }
    }

    private static RewindException missing(String name) {
        return RewindException.corrupt("missing repository file " + name + ": the journal is incomplete, so nothing"
                + " was reverted", VERIFY_HINT);
    }

    private static final String VERIFY_HINT = "run 'rewind verify --read-data' on the repository; a journal with a missing"
            + " batch cannot be reverted whole";

    private void put(String leaf, byte[] bytes, boolean compress) {
        try {
            store.putIfAbsent(FOLDER + id + "/" + leaf, StoredFile.encode(bytes, compress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
