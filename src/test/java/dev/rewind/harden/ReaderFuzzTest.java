package dev.rewind.harden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.capture.CaptureStatus;
import dev.rewind.detect.Incident;
import dev.rewind.detect.IncidentStore;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.EventFormat;
import dev.rewind.mongo.Deployment;
import dev.rewind.repo.Gap;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.RepoConfig;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.StoredFile;
import dev.rewind.repo.WriterLock;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.undo.Journal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.Document;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Issue 11, item 8: the reader of every file kind (manifest, segment, journal, incident, config, lock,
 * gap, capture status), given any bytes, any JSON, or a valid file mutated at random, reads it or
 * refuses it with a clean error (CORRUPT, or NO_REPOSITORY for a config and an unknown version) —
 * never another exception, which the CLI would report as an internal error (exit 1). A few hundred
 * tries each keep the whole class to seconds.
 */
public class ReaderFuzzTest {
    static final int TRIES = 250;
    static final Set<ExitCode> CLEAN = Set.of(ExitCode.CORRUPT, ExitCode.NO_REPOSITORY);

    // --- what each reader is given ---

    /** Reads {@code bytes} as the kind; returns normally or throws a RewindException. */
    interface Reader {
        void read(byte[] bytes) throws IOException;
    }

    static void assertClean(Reader reader, byte[] bytes) {
        try {
            reader.read(bytes);
        } catch (RewindException e) {
            assertThat(CLEAN).as(e.getMessage()).contains(e.exitCode());
            assertThat(e.hint()).isNotBlank();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static final Reader MANIFEST = b -> SnapshotManifest.parse("snapshots/fuzz", b);
    static final Reader SEGMENT = b -> Segment.parse("segments/0000000001.0000000000-0000000009.0000000000", b);
    /** The count in a segment's header, read without its events (to size the passes of undo, diff and restore). */
    static final Reader SEGMENT_COUNT = b -> Segment.count("segments/0000000001.0000000000-0000000009.0000000000", b);
    static final Reader OBJECT = b -> StoredFile.decode("objects/ab/ab" + "0".repeat(62), b);
    static final Reader INCIDENT = b -> IncidentStore.parse("incidents/000001/000001", b);
    static final Reader CONFIG = b -> RepoConfig.parse("fuzz", b);
    static final Reader GAP = b -> Gap.parse("gaps/fuzz", b);
    static final Reader STATUS = CaptureStatus::parse;

    static final Reader LOCK = b -> {
        LocalStore store = store();
        store.put(WriterLock.NAME, b);
        WriterLock.current(store);   // never throws: an unreadable lock names an unknown holder
    };

    static final String JOURNAL = "20260101T000000Z-abcdef";

    /** The bytes as batch 000001 of a journal whose header and done file are sound. */
    static final Reader JOURNAL_BATCH = b -> {
        LocalStore store = store();
        store.put(Journal.FOLDER + JOURNAL + "/header", StoredFile.encode("{\"command\": \"undo\"}".getBytes(), false));
        store.put(Journal.FOLDER + JOURNAL + "/000001", b);
        store.put(Journal.FOLDER + JOURNAL + "/done", StoredFile.encode("{\"batches\": 1}".getBytes(), false));
        Journal.read(store, JOURNAL);
    };

    /** The bytes as a journal's done file. */
    static final Reader JOURNAL_DONE = b -> {
        LocalStore store = store();
        store.put(Journal.FOLDER + JOURNAL + "/header", StoredFile.encode("{\"command\": \"undo\"}".getBytes(), false));
        store.put(Journal.FOLDER + JOURNAL + "/done", b);
        Journal.read(store, JOURNAL);
    };

    private static LocalStore store;

    private static synchronized LocalStore store() throws IOException {
        if (store == null) {
            // on tmpfs where there is one: a LocalStore forces every file to disk, which tmpfs makes cheap
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "rewind-fuzz")
                    : Files.createTempDirectory("rewind-fuzz");
            dir.toFile().deleteOnExit();
            store = new LocalStore(dir);
        }
        for (String n : store.list("journals/")) {
            store.delete(n);
        }
        return store;
    }

    // --- valid files, to mutate ---

    static byte[] manifestPlain() {
        NamespaceSnapshot ns = new NamespaceSnapshot("shop", "orders", "collection", new Document(),
                List.of(new Document("v", 2).append("key", new Document("_id", 1)).append("name", "_id_")), 2, 60,
                List.of(new ObjectRef("a".repeat(64), 2, 60, 50)), "0123abcd-0000-4000-8000-000000000000");
        SnapshotManifest m = new SnapshotManifest("a1b2c3d4", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:01:00Z"), "mongodb://db1/", "7.0.14", ClusterTime.of(100, 1), ClusterTime.of(160, 2),
                List.of(ns), 1, 50, new Deployment("rs0", "65a000000000000000000001", null, List.of("db1:27017")));
        return StoredFile.decode("m", m.toBytes());
    }

    static final String MANIFEST_JSON = new String(manifestPlain(), StandardCharsets.UTF_8);
    static final byte[] SEGMENT_PLAIN = segmentPlain();
    private static byte[] journalBatch;

    static synchronized byte[] journalBatch() throws IOException {
        if (journalBatch == null) {
            journalBatch = journalBatchPlain();
        }
        return journalBatch;
    }

    static byte[] segmentPlain() {
        SegmentName name = new SegmentName(ClusterTime.of(1, 0), ClusterTime.of(9, 0));
        List<dev.rewind.event.ChangeEvent> events = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            events.add(EventFormat.read(new BsonDocument("v", new BsonInt32(1)).append("op", new BsonString("insert"))
                    .append("t", new BsonTimestamp(i, 1)).append("ns", new BsonString("shop.orders"))
                    .append("key", new BsonDocument("_id", new BsonInt32(i)))
                    .append("post", new BsonDocument("_id", new BsonInt32(i)).append("total", new BsonInt32(i)))));
        }
        return StoredFile.decode("s", new Segment(name, "deployment", new BsonDocument(), events).toBytes());
    }

    static byte[] journalBatchPlain() throws IOException {
        LocalStore s = store();
        Journal j = Journal.start(s, new Document("command", "undo"));
        j.append(List.of(new Journal.Entry("shop.orders", new BsonInt32(1), "restored", null,
                        BsonDocument.parse("{_id: 1, total: 3}")),
                new Journal.Entry("shop.orders", new BsonInt32(2), "reverted", BsonDocument.parse("{_id: 2, total: 1}"),
                        BsonDocument.parse("{_id: 2, total: 2}"))));
        byte[] stored = s.get(Journal.FOLDER + j.id() + "/000001");
        for (String n : s.list("journals/")) {
            s.delete(n);
        }
        return StoredFile.decode("j", stored);
    }

    static final String INCIDENT_JSON = new Incident(1, "mass-delete", "critical", List.of("shop.orders"), ClusterTime.of(100, 1),
            ClusterTime.of(110, 3), Map.of("delete", 600L), List.of(new BsonInt32(7)), List.of("lsid 1"), "open",
            Instant.parse("2026-01-01T00:00:00Z"), null, List.of("delete"), "/repo", "mongodb://db1/").toDocument().toJson();
    static final String CONFIG_JSON = new String(StoredFile.decode("config", RepoConfig.fresh().toBytes()), StandardCharsets.UTF_8);
    static final String GAP_JSON = "{\"kind\": \"gap\", \"from\": \"100,1\", \"to\": \"200,2\", \"reason\": \"lost\","
            + " \"noticed\": \"2026-01-01T00:00:00Z\"}";
    static final String LOCK_JSON = "{\"command\": \"rewind capture\", \"pid\": 42, \"host\": \"h\", \"since\":"
            + " \"2026-01-01T00:00:00Z\", \"token\": \"t\"}";
    static final String STATUS_JSON = "{\"state\": \"running\", \"pid\": 1, \"host\": \"h\", \"source\": \"s\", \"mode\": \"deployment\","
            + " \"lacks\": [], \"started\": \"x\", \"updated\": \"y\", \"coveredTo\": \"1,1\", \"events\": 3, \"segments\": 1,"
            + " \"lastSnapshot\": null, \"lastError\": null, \"sealMillis\": 2000, \"images\": []}";
    static final String DONE_JSON = "{\"written\": \"{}\", \"raced\": 0, \"batches\": 1, \"finished\": \"2026-01-01T00:00:00Z\"}";

    // --- the properties ---

    @Property(tries = TRIES)
    void anyBytesAreReadOrRefusedCleanly(@ForAll @Size(max = 300) byte[] bytes) {
        for (Reader r : List.of(MANIFEST, SEGMENT, SEGMENT_COUNT, OBJECT, INCIDENT, CONFIG, GAP, STATUS, LOCK, JOURNAL_BATCH, JOURNAL_DONE)) {
            assertClean(r, bytes);
        }
    }

    @Property(tries = TRIES)
    void anyPlaintextInASoundEnvelopeIsReadOrRefusedCleanly(@ForAll @Size(max = 300) byte[] plain, @ForAll boolean compress) {
        byte[] stored = StoredFile.encode(plain, compress);
        for (Reader r : List.of(MANIFEST, SEGMENT, SEGMENT_COUNT, INCIDENT, CONFIG, GAP, STATUS, JOURNAL_BATCH, JOURNAL_DONE)) {
            assertClean(r, stored);
        }
    }

    @Property(tries = TRIES)
    void anyJsonIsReadOrRefusedCleanly(@ForAll long seed) {
        Random random = new Random(seed);
        Object value = random.nextInt(8) == 0 ? Json.value(random, 3) : Json.document(random, 3);
        String json = value instanceof Document d ? d.toJson() : String.valueOf(value);
        byte[] stored = StoredFile.encode(json.getBytes(StandardCharsets.UTF_8), random.nextBoolean());
        for (Reader r : List.of(MANIFEST, INCIDENT, CONFIG, GAP, STATUS, JOURNAL_DONE)) {
            assertClean(r, stored);
        }
        assertClean(LOCK, json.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = TRIES)
    void aValidJsonFileMutatedAtRandomIsReadOrRefusedCleanly(@ForAll long seed) {
        Random random = new Random(seed);
        Map<String, Reader> files = Map.of(MANIFEST_JSON, MANIFEST, INCIDENT_JSON, INCIDENT,
                CONFIG_JSON, CONFIG, GAP_JSON, GAP, STATUS_JSON, STATUS, DONE_JSON, JOURNAL_DONE);
        for (Map.Entry<String, Reader> f : files.entrySet()) {
            Document d = Document.parse(f.getKey());
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                Json.mutate(d, random);
            }
            assertClean(f.getValue(), StoredFile.encode(d.toJson().getBytes(StandardCharsets.UTF_8), random.nextBoolean()));
        }
        Document lock = Document.parse(LOCK_JSON);
        Json.mutate(lock, random);
        assertClean(LOCK, lock.toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = TRIES)
    void aValidBsonFileMutatedAtRandomIsReadOrRefusedCleanly(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        List<Map.Entry<byte[], Reader>> files = List.of(Map.entry(SEGMENT_PLAIN, SEGMENT), Map.entry(SEGMENT_PLAIN, SEGMENT_COUNT),
                Map.entry(journalBatch(), JOURNAL_BATCH));
        for (Map.Entry<byte[], Reader> f : files) {
            byte[] plain = mutateBytes(f.getKey(), random);
            assertClean(f.getValue(), StoredFile.encode(plain, random.nextBoolean()));
        }
    }

    @Property(tries = TRIES)
    void aColumnFormObjectDamagedInsideASoundEnvelopeIsReadOrRefusedCleanly(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] stored = StoredFile.encodeDocuments(objectPlain());
        assertThat(stored[5]).isEqualTo(StoredFile.CODEC_COLUMNS);
        byte[] form = com.github.luben.zstd.Zstd.decompress(Arrays.copyOfRange(stored, StoredFile.HEADER_SIZE, stored.length),
                (int) com.github.luben.zstd.Zstd.getFrameContentSize(Arrays.copyOfRange(stored, StoredFile.HEADER_SIZE, stored.length)));
        byte[] payload = com.github.luben.zstd.Zstd.compress(mutateBytes(form, random), 3);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(payload);
        byte[] resealed = java.nio.ByteBuffer.allocate(StoredFile.HEADER_SIZE + payload.length).put(stored, 0, 12)
                .putInt((int) crc.getValue()).put(payload).array();
        assertClean(OBJECT, resealed);
    }

    /** A few documents of different shapes, as an object holds them. */
    static byte[] objectPlain() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            BsonDocument d = new BsonDocument("_id", new org.bson.BsonObjectId(new org.bson.types.ObjectId(1_700_000_000 + i, i)))
                    .append("name", new BsonString(i % 2 == 0 ? "Ada" : "Ben")).append("n", new BsonInt32(i))
                    .append("tags", new org.bson.BsonArray(List.of(new BsonString("a"), new BsonInt32(i))))
                    .append("sub", new BsonDocument("at", new org.bson.BsonDateTime(1_600_000_000_000L + i)));
            org.bson.RawBsonDocument raw = new org.bson.RawBsonDocument(d, new org.bson.codecs.BsonDocumentCodec());
            out.write(raw.getByteBuffer().array(), 0, raw.getByteBuffer().remaining());
        }
        return out.toByteArray();
    }

    /** Flips, overwrites, cuts or repeats bytes: the kinds of damage a disk or a bad copy does. */
    public static byte[] mutateBytes(byte[] original, Random random) {
        byte[] b = Arrays.copyOf(original, original.length);
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                int at = random.nextInt(b.length);
                Arrays.fill(b, at, Math.min(b.length, at + 1 + random.nextInt(16)), (byte) random.nextInt(256));
            }
            case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            default -> {
                int at = random.nextInt(b.length);
                byte[] longer = new byte[b.length + 8];
                System.arraycopy(b, 0, longer, 0, at);
                System.arraycopy(b, at, longer, at + 8, b.length - at);
                b = longer;
            }
        }
        return b;
    }

    /** Random JSON values, and random changes to documents. */
    static final class Json {
        private Json() { }

        static Object value(Random random, int depth) {
            int kind = random.nextInt(depth <= 0 ? 6 : 8);
            return switch (kind) {
                case 0 -> null;
                case 1 -> random.nextBoolean();
                case 2 -> random.nextInt(5) == 0 ? -1 : random.nextInt(1000);
                case 3 -> random.nextLong();
                case 4 -> random.nextDouble();
                case 5 -> List.of("", "x", "../../etc", "1,2", "2026-01-01T00:00:00Z", "a".repeat(64), "shop.orders",
                        "\u0000", "rewind-repository").get(random.nextInt(9));
                case 6 -> {
                    List<Object> l = new ArrayList<>();
                    for (int i = 0, n = random.nextInt(4); i < n; i++) {
                        l.add(value(random, depth - 1));
                    }
                    yield l;
                }
                default -> document(random, depth);
            };
        }

        static Document document(Random random, int depth) {
            Document d = new Document();
            for (int i = 0, n = random.nextInt(5); i < n; i++) {
                d.put(List.of("kind", "version", "id", "namespaces", "format", "from", "to", "pid", "x").get(random.nextInt(9)),
                        value(random, depth - 1));
            }
            return d;
        }

        /** Removes a field, or replaces a value anywhere in the document with a random one. */
        @SuppressWarnings("unchecked")
        static void mutate(Document d, Random random) {
            Object container = d;
            for (int depth = 0; depth < 4; depth++) {
                Object child = pick(container, random);
                if (child instanceof Document || (child instanceof List<?> l && !l.isEmpty())) {
                    if (random.nextInt(3) > 0) {
                        container = child;
                        continue;
                    }
                }
                break;
            }
            if (container instanceof Document doc && !doc.isEmpty()) {
                String key = new ArrayList<>(doc.keySet()).get(random.nextInt(doc.size()));
                if (random.nextInt(3) == 0) {
                    doc.remove(key);
                } else {
                    doc.put(key, value(random, 2));
                }
            } else if (container instanceof List<?> list && !list.isEmpty()) {
                ((List<Object>) list).set(random.nextInt(list.size()), value(random, 2));
            }
        }

        private static Object pick(Object container, Random random) {
            if (container instanceof Document doc && !doc.isEmpty()) {
                return new ArrayList<>(doc.values()).get(random.nextInt(doc.size()));
            }
            if (container instanceof List<?> l && !l.isEmpty()) {
                return l.get(random.nextInt(l.size()));
            }
            return null;
        }
    }

    static final Function<String, byte[]> UTF8 = s -> s.getBytes(StandardCharsets.UTF_8);
}
