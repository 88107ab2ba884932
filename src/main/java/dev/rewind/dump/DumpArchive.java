package dev.rewind.dump;

import dev.rewind.MongoNames;
import dev.rewind.RewindException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

/**
 * A mongodump archive ({@code --archive}, gzipped as a whole with {@code --gzip}; mongo-tools'
 * common/archive/spec.md): the magic number {@code 0x8199e26d} (little-endian), a header document
 * ({@code concurrent_collections}, {@code version} "0.1", {@code server_version}, {@code tool_version}),
 * one document per collection ({@code db}, {@code collection}, {@code metadata} as in metadata.json,
 * {@code size}, {@code type}) and a terminator ({@code 0xffffffff}); then blocks, each a namespace
 * header ({@code db}, {@code collection}, {@code EOF}, {@code CRC}), documents and a terminator. A
 * namespace's documents may come in several blocks, interleaved with other namespaces'; it ends
 * with a block whose header has {@code EOF: true} and the CRC-64 of all its documents. A time-series
 * collection's data namespace is {@code system.buckets.<name>}.
 */
final class DumpArchive implements DumpReader {
    static final int MAGIC = 0x8199e26d;

    private final Path file;
    private final Map<String, CollectionMetadata> byNs = new LinkedHashMap<>();
    private final java.util.TreeSet<String> serverCollections = new java.util.TreeSet<>();
    private DumpOplog oplog;
    private java.util.Set<String> keepOplog = java.util.Set.of();
    private Predicate<String> keepCreated = ns -> false;
    private String serverVersion;

    private DumpArchive(Path file) {
        this.file = file;
    }

    static DumpArchive open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw RewindException.notFound("no archive at " + file.toAbsolutePath().normalize()
                    + (Files.isDirectory(file) ? " (it is a folder: a dump directory? use --dump)" : ""),
                    "give the file mongodump wrote with --archive=FILE");
        }
        DumpArchive a = new DumpArchive(file);
        try (InputStream in = a.stream()) {
            a.readPrelude(new BsonInput(in, a.where()), in);
        } catch (IOException e) {
            throw a.ioError(e);
        }
        return a;
    }

    private String where() {
        return "the archive " + file;
    }

    private InputStream stream() throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    private void readPrelude(BsonInput docs, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4 || ByteBuffer.wrap(magic).order(ByteOrder.LITTLE_ENDIAN).getInt() != MAGIC) {
            throw RewindException.corrupt(file + " is not a mongodump archive (it does not start with the archive magic number)",
                    "give a file mongodump wrote with --archive; for a dump directory use --dump");
        }
        byte[] header = docs.nextOrTerminator(false);
        if (header == BsonInput.TERMINATOR_DOC) {
            throw docs.corrupt(4, "the archive has no header");
        }
        BsonDocument h = new RawBsonDocument(header);
        serverVersion = h.isString("server_version") ? h.getString("server_version").getValue() : null;
        for (byte[] d = docs.nextOrTerminator(false); d != BsonInput.TERMINATOR_DOC; d = docs.nextOrTerminator(false)) {
            BsonDocument m = new RawBsonDocument(d);
            if (!m.isString("db") || !m.isString("collection")) {
                throw docs.corrupt(docs.offset() - d.length, "a collection entry of the prelude has no db or collection");
            }
            String db = m.getString("db").getValue();
            String coll = m.getString("collection").getValue();
            if (db.isEmpty() && coll.equals("oplog")) {
                oplog = new DumpOplog();   // mongodump --oplog (mongo-tools' archive prelude names it so); read() starts it again
                oplog.keep(keepOplog, keepCreated);
            }
            if (db.isEmpty() || MongoNames.SYSTEM_DATABASES.contains(db) || coll.startsWith("system.")) {
                if (!db.isEmpty()) {
                    serverCollections.add(db + "." + coll);
                }
                continue;  // the oplog (db ""), and what belongs to the server
            }
            String json = m.isString("metadata") ? m.getString("metadata").getValue() : "{}";
            CollectionMetadata md = CollectionMetadata.parse(db, coll, json, where() + " (metadata of " + db + "." + coll + ")");
            if (m.isString("type") && !m.getString("type").getValue().isEmpty() && !json.contains("\"type\"")) {
                md = new CollectionMetadata(db, md.collection(), m.getString("type").getValue(), md.options(), md.indexes(), md.uuid());
            }
            byNs.put(md.ns(), md);
        }
    }

    @Override
    public List<String> serverCollections() {
        return List.copyOf(serverCollections);
    }

    @Override
    public String description() {
        return "mongodump archive " + file.toAbsolutePath().normalize();
    }

    @Override
    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public Instant written() {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public DumpOplog oplog() {
        return oplog;
    }

    @Override
    public boolean oplogComesLast() {
        return true;
    }

    @Override
    public boolean hasOplog() {
        return oplog != null;
    }

    @Override
    public void keepOplogWrites(java.util.Collection<String> namespaces, Predicate<String> created) {
        keepOplog = java.util.Set.copyOf(namespaces);
        keepCreated = created;
    }

    @Override
    public List<CollectionMetadata> collections() {
        return new ArrayList<>(byNs.values());
    }

    @Override
    public void read(Predicate<String> wanted, Sink sink) throws IOException {
        Map<String, CollectionMetadata> dataNs = new HashMap<>();
        byNs.values().forEach(m -> dataNs.put(m.isTimeSeries() ? m.db() + ".system.buckets." + m.collection() : m.ns(), m));
        Map<String, Crc64> open = new HashMap<>();
        Map<String, Boolean> closed = new HashMap<>();
        try (InputStream in = stream()) {
            BsonInput docs = new BsonInput(in, where());
            readPrelude(docs, in);
            for (byte[] h = docs.nextOrTerminator(true); h != null; h = docs.nextOrTerminator(true)) {
                long at = docs.offset() - h.length;
                if (h == BsonInput.TERMINATOR_DOC) {
                    throw docs.corrupt(at, "two terminators in a row (a block without a header)");
                }
                BsonDocument header = new RawBsonDocument(h);
                if (!header.isString("db") || !header.isString("collection")) {
                    throw docs.corrupt(at, "a block header without db and collection");
                }
                String ns = header.getString("db").getValue() + "." + header.getString("collection").getValue();
                if (closed.containsKey(ns)) {
                    throw docs.corrupt(at, "a block for " + ns + " after its end");
                }
                Crc64 crc = open.computeIfAbsent(ns, k -> new Crc64());
                CollectionMetadata md = dataNs.get(ns);
                boolean deliver = md != null && !md.isTimeSeries() && wanted.test(md.ns());
                DumpOplog counted = ns.equals(".oplog") && !closed.containsKey(ns) ? oplog : null;
                boolean eof = header.isBoolean("EOF") && header.getBoolean("EOF").getValue();
                for (byte[] d = docs.nextOrTerminator(false); d != BsonInput.TERMINATOR_DOC; d = docs.nextOrTerminator(false)) {
                    if (eof) {
                        throw docs.corrupt(docs.offset() - d.length, "documents in the end block of " + ns);
                    }
                    crc.update(d, 0, d.length);
                    if (counted != null) {
                        counted.add(d);
                    }
                    if (deliver) {
                        sink.accept(md, d);
                    }
                }
                if (eof) {
                    long expected = header.isInt64("CRC") ? header.getInt64("CRC").getValue() : 0;
                    if (crc.value() != expected) {
                        throw RewindException.corrupt(where() + ": the checksum of " + ns + " does not match (CRC-64 "
                                + crc.value() + ", the archive says " + expected + "): its documents are damaged",
                                "take the dump again, or copy it again from where it is kept; nothing was written");
                    }
                    open.remove(ns);
                    closed.put(ns, true);
                }
            }
            for (Map.Entry<String, CollectionMetadata> e : dataNs.entrySet()) {
                if (!closed.containsKey(e.getKey()) && (!e.getValue().isTimeSeries() || open.containsKey(e.getKey()))) {
                    throw RewindException.corrupt(where() + " ends before the end of " + e.getKey() + " (at byte " + docs.offset()
                                    + "): it is truncated", "the archive was cut short (a full disk, an interrupted copy"
                                    + " or mongodump stopped): take it again, or copy it again; nothing was written");
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException z) {
            throw RewindException.corrupt(where() + " is not a whole gzip stream (" + z.getMessage() + "): it is truncated or damaged",
                    "take the dump again, or copy it again from where it is kept; nothing was written");
        }
    }

    private RuntimeException ioError(IOException e) {
        if (e instanceof java.util.zip.ZipException || e instanceof java.io.EOFException) {
            return RewindException.corrupt(where() + " is not a whole gzip stream (" + e.getMessage() + ")",
                    "take the dump again, or copy it again from where it is kept");
        }
        return new UncheckedIOException(e);
    }
}
