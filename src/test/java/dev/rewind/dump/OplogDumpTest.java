package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.bson.BsonBinaryWriter;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dump taken with {@code mongodump --oplog} holds the oplog entries written while it ran (MongoDB
 * Database Tools, "mongodump --oplog": "creates a file named oplog.bson as part of the mongodump
 * output"; in an archive, the namespace with an empty database name, mongo-tools' intents). Without
 * {@code --oplog-replay} (OplogReplayTest) they are not replayed, so import and salvage say so rather
 * than pass a copy from during the dump off as one from its end. The peer's dumps are given their
 * oplog here, entries in mongod's format chosen for each case (OplogReplayTest also takes a real
 * {@code mongodump --oplog}).
 */
class OplogDumpTest {
    @TempDir
    Path tmp;

    @Test
    void importAndSalvageOfADumpTakenWithOplogSayWhetherItsOplogChangesWhatTheyTake() throws Exception {
        Peers.assumeAvailable();
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            DumpData.write(client, "famigo", 50);
            for (String dir : new String[] {"dir", "quiet", "damaged"}) {
                Peers.mongodump(tmp, "--uri", sandbox.uri(), "--db", "famigo", "--out", dir);
            }
            Peers.mongodump(tmp, "--uri", sandbox.uri(), "--db", "famigo", "--archive=famigo.archive");
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();

            CliRun.Result plain = CliRun.run("import", "--repo", repo, "--dump", tmp.resolve("dir").toString(), "--json");
            assertThat(plain.exitCode()).as(plain.toString()).isZero();
            assertThat(Document.parse(plain.out()).get("oplog")).isNull();
            assertThat(plain.err()).doesNotContain("oplog");

            // a no-op, a write elsewhere, a write to an imported collection, and a transaction writing to both
            write(tmp.resolve("dir/oplog.bson"), noop(), insert("other.things"), insert("famigo.family"), transaction());
            write(tmp.resolve("quiet/oplog.bson"), noop(), insert("other.things"));
            Path archive = withOplog(tmp.resolve("famigo.archive"), insert("famigo.family"));

            CliRun.Result changed = CliRun.run("import", "--repo", repo, "--dump", tmp.resolve("dir").toString(), "--json");
            assertThat(changed.exitCode()).as(changed.toString()).isZero();
            Document oplog = Document.parse(changed.out()).get("oplog", Document.class);
            assertThat(((Number) oplog.get("entries")).longValue()).isEqualTo(4);
            assertThat(((Number) oplog.get("changing")).longValue()).isEqualTo(2);
            assertThat(oplog.getBoolean("replayed")).isFalse();
            assertThat(changed.err()).contains("warning: the dump holds an oplog (mongodump --oplog), and 2 of its 4 entries"
                    + " change these collections; it was not replayed").contains("(import --oplog-replay replays it)");

            CliRun.Result quiet = CliRun.run("import", "--repo", repo, "--dump", tmp.resolve("quiet").toString());
            assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
            assertThat(quiet.err()).contains("of 2 entries, none of which changes these collections: they are as at the dump's end")
                    .doesNotContain("warning");

            CliRun.Result fromArchive = CliRun.run("import", "--repo", repo, "--archive", archive.toString(), "--json");
            assertThat(fromArchive.exitCode()).as(fromArchive.toString()).isZero();
            assertThat(((Number) Document.parse(fromArchive.out()).get("oplog", Document.class).get("changing")).longValue()).isEqualTo(1);
            assertThat(fromArchive.err()).contains("1 of its 1 entries change these collections");

            CliRun.Result salvage = CliRun.run("salvage", "--uri", sandbox.uri(), "--dump", tmp.resolve("dir").toString());
            assertThat(salvage.exitCode()).as(salvage.toString()).isZero();
            assertThat(salvage.err()).contains("2 of its 4 entries change these collections").contains("salvage --oplog-replay replays it");

            // a damaged oplog.bson is refused before anything is written, as any damaged part of a dump
            byte[] entry = insert("famigo.family");
            Files.write(tmp.resolve("damaged/oplog.bson"), java.util.Arrays.copyOf(entry, entry.length - 3));
            int before = dev.rewind.repo.Repositories.open(repo).snapshots().size();
            CliRun.Result damaged = CliRun.run("import", "--repo", repo, "--dump", tmp.resolve("damaged").toString());
            assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(6);
            assertThat(damaged.err()).contains("oplog.bson");
            assertThat(dev.rewind.repo.Repositories.open(repo).snapshots()).hasSize(before);
        }
    }

    static void write(Path file, byte[]... entries) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            out.write(e);
        }
        Files.write(file, out.toByteArray());
    }

    /** An insert into {@code ns} as mongod's oplog holds it. */
    private static byte[] insert(String ns) {
        return entry(write(ns));
    }

    /** The write of an insert entry, as an applyOps holds it (without its ts, t and wall). */
    private static Document write(String ns) {
        return new Document("op", "i").append("ns", ns).append("ui", new Binary((byte) 4, new byte[16]))
                .append("o", new Document("_id", "late").append("name", "written during the dump"))
                .append("o2", new Document("_id", "late"));
    }

    /** A transaction's one applyOps entry, as mongod writes it on commit, with an insert elsewhere and one into famigo.child. */
    private static byte[] transaction() {
        Document o = new Document("applyOps", java.util.List.of(write("other.things"), write("famigo.child")));
        return entry(new Document("op", "c").append("ns", "admin.$cmd").append("o", o)
                .append("lsid", new Document("id", new Binary((byte) 4, new byte[16]))).append("txnNumber", 1L));
    }

    /** mongod's periodic no-op. */
    private static byte[] noop() {
        return entry(new Document("op", "n").append("ns", "").append("o", new Document("msg", "periodic noop")));
    }

    private static byte[] entry(Document d) {
        return bson(d.append("ts", new BsonTimestamp((int) (System.currentTimeMillis() / 1000), 1)).append("t", 1L)
                .append("v", 2L).append("wall", new Date()));
    }

    /**
     * A copy of a plain archive with an oplog, as mongodump --archive --oplog writes one: a prelude
     * entry for the namespace with an empty database name and collection "oplog", and its block
     * (the entry, then its end with the CRC-64 of what it held) after the collections'.
     */
    static Path withOplog(Path archive, byte[]... entries) throws Exception {
        byte[] in = Files.readAllBytes(archive);
        ByteBuffer b = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
        int p = 4 + b.getInt(4);   // the magic number, then the header
        while (b.getInt(p) != -1) {
            p += b.getInt(p);      // the prelude's collections
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in, 0, p);
        out.write(bson(new Document("db", "").append("collection", "oplog").append("metadata", "").append("size", 0)
                .append("type", "")));
        out.write(in, p, in.length - p);
        Crc64 crc = new Crc64();
        out.write(bson(new Document("db", "").append("collection", "oplog").append("EOF", false).append("CRC", 0L)));
        for (byte[] entry : entries) {
            crc.update(entry, 0, entry.length);
            out.write(entry);
        }
        out.write(new byte[] {-1, -1, -1, -1});
        out.write(bson(new Document("db", "").append("collection", "oplog").append("EOF", true).append("CRC", crc.value())));
        out.write(new byte[] {-1, -1, -1, -1});
        Path with = archive.resolveSibling("with-oplog.archive");
        Files.write(with, out.toByteArray());
        return with;
    }

    static byte[] bson(Document d) {
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        new org.bson.codecs.DocumentCodec().encode(new BsonBinaryWriter(buffer), d,
                org.bson.codecs.EncoderContext.builder().build());
        return buffer.toByteArray();
    }
}
