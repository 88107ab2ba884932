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
 * output"; in an archive, the namespace with an empty database name, mongo-tools' intents). Rewind
 * does not replay them, so import and salvage say so rather than pass a copy from during the dump
 * off as one from its end. The sandbox's oplog cannot be read as {@code local.oplog.rs}, so the
 * peer's dumps are given their oplog here, with one entry in mongod's format.
 */
class OplogDumpTest {
    @TempDir
    Path tmp;

    @Test
    void importAndSalvageOfADumpTakenWithOplogSayItsOplogIsNotReplayed() throws Exception {
        Peers.assumeAvailable();
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            DumpData.write(client, "famigo", 50);
            Peers.mongodump(tmp, "--uri", sandbox.uri(), "--db", "famigo", "--out", "dir");
            Peers.mongodump(tmp, "--uri", sandbox.uri(), "--db", "famigo", "--archive=famigo.archive");
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();

            CliRun.Result plain = CliRun.run("import", "--repo", repo, "--dump", tmp.resolve("dir").toString(), "--json");
            assertThat(plain.exitCode()).as(plain.toString()).isZero();
            assertThat(Document.parse(plain.out()).getBoolean("oplogIgnored")).isFalse();
            assertThat(plain.err()).doesNotContain("oplog");

            Files.write(tmp.resolve("dir/oplog.bson"), oplogEntry());
            Path archive = withOplog(tmp.resolve("famigo.archive"));
            for (String[] form : new String[][] {{"--dump", tmp.resolve("dir").toString()}, {"--archive", archive.toString()}}) {
                CliRun.Result imported = CliRun.run("import", "--repo", repo, form[0], form[1], "--json");
                assertThat(imported.exitCode()).as(imported.toString()).isZero();
                assertThat(Document.parse(imported.out()).getBoolean("oplogIgnored")).as(form[0]).isTrue();
                assertThat(imported.err()).as(form[0]).contains("taken with mongodump --oplog").contains("does not replay");
            }
            CliRun.Result salvage = CliRun.run("salvage", "--uri", sandbox.uri(), "--dump", tmp.resolve("dir").toString());
            assertThat(salvage.exitCode()).as(salvage.toString()).isZero();
            assertThat(salvage.err()).contains("taken with mongodump --oplog");
        }
    }

    /** An insert as mongod's oplog holds it. */
    private static byte[] oplogEntry() {
        return bson(new Document("op", "i").append("ns", "famigo.family").append("ui", new Binary((byte) 4, new byte[16]))
                .append("o", new Document("_id", "late").append("name", "written during the dump"))
                .append("ts", new BsonTimestamp((int) (System.currentTimeMillis() / 1000), 1)).append("t", 1L).append("v", 2L)
                .append("wall", new Date()));
    }

    /**
     * A copy of a plain archive with an oplog, as mongodump --archive --oplog writes one: a prelude
     * entry for the namespace with an empty database name and collection "oplog", and its block
     * (the entry, then its end with the CRC-64 of what it held) after the collections'.
     */
    private static Path withOplog(Path archive) throws Exception {
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
        byte[] entry = oplogEntry();
        Crc64 crc = new Crc64();
        crc.update(entry, 0, entry.length);
        out.write(bson(new Document("db", "").append("collection", "oplog").append("EOF", false).append("CRC", 0L)));
        out.write(entry);
        out.write(new byte[] {-1, -1, -1, -1});
        out.write(bson(new Document("db", "").append("collection", "oplog").append("EOF", true).append("CRC", crc.value())));
        out.write(new byte[] {-1, -1, -1, -1});
        Path with = archive.resolveSibling("with-oplog.archive");
        Files.write(with, out.toByteArray());
        return with;
    }

    private static byte[] bson(Document d) {
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        new org.bson.codecs.DocumentCodec().encode(new BsonBinaryWriter(buffer), d,
                org.bson.codecs.EncoderContext.builder().build());
        return buffer.toByteArray();
    }
}
