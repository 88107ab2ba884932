package dev.rewind.dump;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a mongodump directory: {@code <db>/<collection>.bson} and {@code <db>/<collection>.metadata.json}
 * (both with {@code .gz} when gzipped, each file a gzip stream of its own, as {@code mongodump --gzip}
 * writes them), collection names escaped as mongodump escapes them; a view has only its metadata.
 */
final class DirectoryWriter implements DumpWriter {
    private final Path destination;
    private final boolean gzip;
    private final Path tmp;
    private boolean committed;

    DirectoryWriter(Path destination, boolean gzip) throws IOException {
        DumpWriter.refuseExisting(destination);
        this.destination = destination.toAbsolutePath().normalize();
        this.gzip = gzip;
        Path parent = this.destination.getParent();
        Files.createDirectories(parent);
        // a plain folder (the user's umask), not a private temporary one: mongorestore may run as another user
        this.tmp = Files.createDirectory(parent.resolve("." + this.destination.getFileName() + ".rewind-" + java.util.UUID.randomUUID()));
    }

    @Override
    public void begin(List<CollectionMetadata> collections, String serverVersion) {
    }

    @Override
    public void collection(CollectionMetadata c, Documents documents) throws IOException {
        Path db = Files.createDirectories(tmp.resolve(c.db()));
        String base = CollectionMetadata.escape(c.collection());
        try (OutputStream out = open(db.resolve(base + ".metadata.json"))) {
            out.write(c.toJson().getBytes(StandardCharsets.UTF_8));
        }
        if (c.isView()) {
            return;
        }
        try (OutputStream out = open(db.resolve(base + ".bson"))) {
            documents.writeTo(out::write);
        }
    }

    private OutputStream open(Path file) throws IOException {
        Path name = gzip ? file.resolveSibling(file.getFileName() + ".gz") : file;
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(name), 1 << 16);
        return gzip ? new GZIPOutputStream(out, 1 << 16) : out;
    }

    @Override
    public void commit() throws IOException {
        DumpWriter.refuseExisting(destination);
        Files.deleteIfExists(destination);
        Files.move(tmp, destination, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (committed || !Files.exists(tmp)) {
            return;
        }
        try (var s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
