package dev.rewind.dump;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * Writes a mongodump archive (the format {@link DumpArchive} reads; gzipped as a whole when asked,
 * as {@code mongodump --archive --gzip} does): the prelude names every collection with its metadata,
 * then each collection is one block of its documents followed by its end block with their CRC-64;
 * a view gets an empty block and its end block, as mongodump writes them.
 */
final class ArchiveWriter implements DumpWriter {
    private static final byte[] TERMINATOR = {-1, -1, -1, -1};

    private final Path destination;
    private final Path tmp;
    private final OutputStream out;
    private boolean committed;

    ArchiveWriter(Path destination, boolean gzip) throws IOException {
        DumpWriter.refuseExisting(destination);
        this.destination = destination.toAbsolutePath().normalize();
        Path parent = this.destination.getParent();
        Files.createDirectories(parent);
        // a plain file (the user's umask), not a private temporary one: mongorestore may run as another user
        this.tmp = parent.resolve("." + this.destination.getFileName() + ".rewind-" + java.util.UUID.randomUUID());
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE), 1 << 16);
        this.out = gzip ? new BufferedOutputStream(new GZIPOutputStream(file, 1 << 16), 1 << 16) : file;
    }

    @Override
    public void begin(List<CollectionMetadata> collections, String serverVersion) throws IOException {
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(DumpArchive.MAGIC).array());
        String tool = ArchiveWriter.class.getPackage().getImplementationVersion();
        write(new BsonDocument("concurrent_collections", new BsonInt32(1)).append("version", new BsonString("0.1"))
                .append("server_version", new BsonString(DumpWriter.version(serverVersion)))
                .append("tool_version", new BsonString("rewind " + (tool == null ? "dev" : tool))));
        for (CollectionMetadata c : collections) {
            write(new BsonDocument("db", new BsonString(c.db())).append("collection", new BsonString(c.collection()))
                    .append("metadata", new BsonString(c.toJson())).append("size", new BsonInt32(0))
                    .append("type", new BsonString(c.type())));
        }
        out.write(TERMINATOR);
    }

    @Override
    public void collection(CollectionMetadata c, Documents documents) throws IOException {
        write(header(c, false, 0));
        Crc64 crc = new Crc64();
        if (!c.isView()) {
            documents.writeTo(doc -> {
                crc.update(doc, 0, doc.length);
                out.write(doc);
            });
        }
        out.write(TERMINATOR);
        write(header(c, true, c.isView() ? 0 : crc.value()));
        out.write(TERMINATOR);
    }

    private static BsonDocument header(CollectionMetadata c, boolean eof, long crc) {
        return new BsonDocument("db", new BsonString(c.db())).append("collection", new BsonString(c.collection()))
                .append("EOF", BsonBoolean.valueOf(eof)).append("CRC", new BsonInt64(crc));
    }

    private void write(BsonDocument d) throws IOException {
        ByteBuffer b = new RawBsonDocument(d, new BsonDocumentCodec()).getByteBuffer().asNIO();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.write(bytes);
    }

    @Override
    public void commit() throws IOException {
        out.close();
        DumpWriter.refuseExisting(destination);
        Files.move(tmp, destination, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
