package dev.rewind.dump;

import dev.rewind.MongoNames;
import dev.rewind.RewindException;
import dev.rewind.mongo.Catalog;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A mongodump directory: one folder per database, in each {@code <collection>.bson} (the documents,
 * one after another) and {@code <collection>.metadata.json} (options, indexes, UUID, type), both with
 * {@code .gz} after {@code --gzip}; a view has only its metadata, a time-series collection's buckets are
 * in {@code system.buckets.<name>.bson}. A folder of such files (one database's) is read as that
 * database. The databases {@code admin}, {@code local} and {@code config}, {@code system.*}
 * collections and {@code oplog.bson} are not user data and are left out.
 */
final class DumpDirectory implements DumpReader {
    private final Path root;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final java.util.TreeSet<String> serverCollections = new java.util.TreeSet<>();
    private DumpOplog oplog;
    private boolean oplogRead;
    private java.util.Set<String> keep = java.util.Set.of();
    private Predicate<String> keepCreated = ns -> false;
    private Instant written = Instant.EPOCH;

    private record Entry(CollectionMetadata metadata, Path bson) { }

    private DumpDirectory(Path root) {
        this.root = root;
    }

    static DumpDirectory open(Path path) {
        if (!Files.isDirectory(path)) {
            throw RewindException.notFound("no dump directory at " + path.toAbsolutePath().normalize()
                    + (Files.exists(path) ? " (it is a file: an archive? use --archive)" : ""),
                    "give the folder mongodump wrote (--out, 'dump' by default), or --archive FILE for an archive");
        }
        DumpDirectory d = new DumpDirectory(path);
        try {
            if (hasDumpFiles(path)) {
                d.scanDatabase(path.getFileName().toString(), path);
            } else {
                for (Path db : list(path)) {
                    if (Files.isDirectory(db) && MongoNames.SYSTEM_DATABASES.contains(db.getFileName().toString())) {
                        d.listServerCollections(db.getFileName().toString(), db);
                    } else if (Files.isDirectory(db)) {
                        d.scanDatabase(db.getFileName().toString(), db);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (d.entries.isEmpty()) {
            throw RewindException.notFound(path.toAbsolutePath().normalize() + " holds no mongodump output (no .bson or"
                    + " .metadata.json files in it or in a folder per database)", "give the folder mongodump wrote (--out)");
        }
        return d;
    }

    private static boolean hasDumpFiles(Path dir) throws IOException {
        for (Path p : list(dir)) {
            String n = p.getFileName().toString();
            if (Files.isRegularFile(p) && (n.endsWith(".metadata.json") || n.endsWith(".metadata.json.gz")
                    || ((n.endsWith(".bson") || n.endsWith(".bson.gz")) && !n.startsWith("oplog.bson")))) {
                return true;
            }
        }
        return false;
    }

    private void listServerCollections(String db, Path dir) throws IOException {
        for (Path p : list(dir)) {
            String n = p.getFileName().toString();
            if (Files.isRegularFile(p) && (n.endsWith(".bson") || n.endsWith(".bson.gz"))) {
                serverCollections.add(db + "." + CollectionMetadata.unescape(n.substring(0, n.lastIndexOf(".bson"))));
            }
        }
    }

    @Override
    public List<String> serverCollections() {
        return List.copyOf(serverCollections);
    }

    private void scanDatabase(String db, Path dir) throws IOException {
        Map<String, Path> bson = new TreeMap<>();
        Map<String, Path> meta = new TreeMap<>();
        for (Path p : list(dir)) {
            String n = p.getFileName().toString();
            if (!Files.isRegularFile(p)) {
                continue;
            }
            written = Files.getLastModifiedTime(p).toInstant().isAfter(written) ? Files.getLastModifiedTime(p).toInstant() : written;
            if (n.endsWith(".metadata.json") || n.endsWith(".metadata.json.gz")) {
                meta.put(n.substring(0, n.indexOf(".metadata.json")), p);
            } else if (n.endsWith(".bson") || n.endsWith(".bson.gz")) {
                bson.put(n.substring(0, n.lastIndexOf(".bson")), p);
            }
        }
        for (Map.Entry<String, Path> m : meta.entrySet()) {
            String name = CollectionMetadata.unescape(m.getKey());
            if (name.startsWith("system.")) {
                serverCollections.add(db + "." + name);
                continue;
            }
            CollectionMetadata md = CollectionMetadata.parse(db, name, text(m.getValue()), m.getValue().toString());
            String dataFile = md.isTimeSeries() ? CollectionMetadata.escape("system.buckets." + md.collection()) : m.getKey();
            Path data = bson.remove(dataFile);
            if (data == null && !md.isView()) {
                throw RewindException.corrupt("the dump has " + m.getValue() + " but no " + dir.resolve(m.getKey() + ".bson")
                        + ": the collection's documents are missing", "copy the whole dump folder; mongodump writes"
                        + " both files for every collection");
            }
            entries.put(md.ns(), new Entry(md, data));
        }
        for (Map.Entry<String, Path> b : bson.entrySet()) {
            String name = CollectionMetadata.unescape(b.getKey());
            if (name.startsWith("system.") || (dir.equals(root) && name.equals("oplog"))) {
                continue;
            }
            throw RewindException.corrupt("the dump has " + b.getValue() + " but no " + dir.resolve(b.getKey() + ".metadata.json")
                    + ": the collection's indexes and options are missing", "copy the whole dump folder; mongodump writes a"
                    + " metadata.json beside every .bson file (import and salvage need it for the indexes and options)");
        }
    }

    @Override
    public String description() {
        return "mongodump directory " + root.toAbsolutePath().normalize();
    }

    @Override
    public String serverVersion() {
        return null;
    }

    @Override
    public Instant written() {
        return written;
    }

    @Override
    public boolean hasOplog() {
        return Files.isRegularFile(root.resolve("oplog.bson")) || Files.isRegularFile(root.resolve("oplog.bson.gz"));
    }

    @Override
    public void keepOplogWrites(java.util.Collection<String> namespaces, Predicate<String> created) {
        if (oplogRead) {
            throw new IllegalStateException("the oplog was read already");
        }
        keep = java.util.Set.copyOf(namespaces);
        keepCreated = created;
    }

    @Override
    public DumpOplog oplog() throws IOException {
        if (!oplogRead) {
            oplog = readOplog();
            oplogRead = true;
        }
        return oplog;
    }

    /** The directory's oplog.bson (or .gz), read whole; null when there is none. */
    private DumpOplog readOplog() throws IOException {
        Path file = Files.isRegularFile(root.resolve("oplog.bson")) ? root.resolve("oplog.bson") : root.resolve("oplog.bson.gz");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        DumpOplog oplog = new DumpOplog();
        oplog.keep(keep, keepCreated);
        try (InputStream in = openFile(file)) {
            BsonInput docs = new BsonInput(in, file.toString());
            for (byte[] doc = docs.next(); doc != null; doc = docs.next()) {
                oplog.add(doc);
            }
        } catch (java.util.zip.ZipException | java.io.EOFException z) {
            throw RewindException.corrupt(file + " is not a whole gzip file (" + z.getMessage() + ")",
                    "take the dump again, or copy it again from where it is kept; nothing was written");
        }
        return oplog;
    }

    @Override
    public List<CollectionMetadata> collections() {
        List<CollectionMetadata> out = new ArrayList<>();
        entries.values().forEach(e -> out.add(e.metadata()));
        return out;
    }

    @Override
    public void read(Predicate<String> wanted, Sink sink) throws IOException {
        for (Entry e : entries.values()) {
            if (e.bson() == null || !wanted.test(e.metadata().ns())) {
                continue;
            }
            try (InputStream in = openFile(e.bson())) {
                BsonInput docs = new BsonInput(in, e.bson().toString());
                for (byte[] doc = docs.next(); doc != null; doc = docs.next()) {
                    sink.accept(e.metadata(), doc);
                }
            } catch (java.util.zip.ZipException | java.io.EOFException z) {
                throw RewindException.corrupt(e.bson() + " is not a whole gzip file (" + z.getMessage() + ")",
                        "take the dump again, or copy it again from where it is kept; nothing was written");
            }
        }
    }

    private static InputStream openFile(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return p.getFileName().toString().endsWith(".gz") ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static String text(Path p) throws IOException {
        try (InputStream in = openFile(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.util.zip.ZipException | java.io.EOFException z) {
            throw RewindException.corrupt(p + " is not a whole gzip file (" + z.getMessage() + ")",
                    "take the dump again, or copy it again from where it is kept");
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
