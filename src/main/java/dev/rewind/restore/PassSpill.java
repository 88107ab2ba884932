package dev.rewind.restore;

import com.github.luben.zstd.Zstd;
import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.DocumentId;
import dev.rewind.event.EventFormat;
import dev.rewind.repo.Documents;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * What the passes of one large undo or diff read again and again, read from the repository once
 * (docs/undo.md, "Bounded memory"). The first time a pass asks for a change-log segment or a
 * snapshot object, it is read and split by {@code _id} hash (as {@link StateAt#holds}) into one
 * temporary file per pass; every later read, by any pass, reads only that pass's share. An event without
 * an {@code _id} (a collection's create, drop or rename) and every event of a transaction go to
 * every pass, so each pass sees the log's order and its transactions whole, as it would unsplit. Shares are
 * zstd-compressed (level 1); the files are deleted on {@link #close}.
 */
public final class PassSpill implements AutoCloseable {
    private static final int LEVEL = 1;

    private final Repository repo;
    private final int partitions;
    private final Path dir;
    private final FileChannel[] files;
    /** Where each split segment or object lies in each pass's file: key number → offset and length. */
    private final Map<String, Integer> keys = new HashMap<>();
    private long[][] offsets;
    private int[][] lengths;
    private long storedBytesRead;
    private long spilledBytes;

    private PassSpill(Repository repo, int partitions, Path dir, FileChannel[] files) {
        this.repo = repo;
        this.partitions = partitions;
        this.dir = dir;
        this.files = files;
        this.offsets = new long[partitions][64];
        this.lengths = new int[partitions][64];
    }

    /** A spill for {@code partitions} passes, in a new folder of the temporary folder; null for one pass, which needs none. */
    public static PassSpill create(Repository repo, int partitions) {
        return create(repo, partitions, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** As above, in a new folder of {@code parent}. */
    static PassSpill create(Repository repo, int partitions, Path parent) {
        if (partitions <= 1) {
            return null;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory(parent, "rewind-passes");
            FileChannel[] files = new FileChannel[partitions];
            for (int p = 0; p < partitions; p++) {
                Path file = dir.resolve("pass-" + p);
                files[p] = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
                unlink(file);
            }
            unlink(dir);
            return new PassSpill(repo, partitions, dir, files);
        } catch (IOException e) {
            throw failed("cannot create the temporary files of the passes" + (dir == null ? "" : " in " + dir), e);
        }
    }

    /** The pass (of {@code partitions}) that holds the document {@code id}, as {@link StateAt#holds}. */
    public static int partitionOf(DocumentId id, int partitions) {
        return Math.floorMod(id.hashCode(), partitions);
    }

    /**
     * The events of segment {@code name} that pass {@code partition} needs: those of its documents,
     * and every event without an {@code _id}, in the segment's order.
     */
    public List<ChangeEvent> events(SegmentName name, int partition) {
        String key = "segment " + name.name();
        Integer k = keys.get(key);
        if (k != null) {
            return decodeEvents(read(k, partition));
        }
        List<ChangeEvent> all = repo.readSegment(name).events();
        List<List<ChangeEvent>> shares = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            shares.add(new ArrayList<>());
        }
        for (ChangeEvent e : all) {
            // a transaction's events stay together in every pass, so its units form as they do unsplit
            BsonValue id = e.operation().isDocumentLevel() && e.txn() == null ? e.id() : null;
            if (id == null) {
                for (int p = 0; p < partitions; p++) {
                    shares.get(p).add(e);
                }
            } else {
                shares.get(partitionOf(DocumentId.of(id), partitions)).add(e);
            }
        }
        int n = newKey(key);
        // every pass's share, this one's too: a pass may ask twice (the segment holding T1 is read for
        // before and after it), and a restore goes through the passes once per collection
        for (int p = 0; p < partitions; p++) {
            write(n, p, encodeEvents(shares.get(p)));
        }
        return shares.get(partition);
    }

    /**
     * The documents of snapshot object {@code ref} that pass {@code partition} holds, concatenated
     * as the object holds them (so read like its plaintext).
     */
    public byte[] documents(ObjectRef ref, int partition) {
        String key = "object " + ref.hash();
        Integer k = keys.get(key);
        if (k != null) {
            return read(k, partition);
        }
        byte[] plain = repo.getObject(ref.hash());
        storedBytesRead += ref.storedBytes();
        ByteArrayOutputStream[] shares = new ByteArrayOutputStream[partitions];
        Documents.forEach(repo, ref.hash(), plain, doc -> {
            int p = partitionOf(DocumentId.of(doc.get("_id")), partitions);
            if (shares[p] == null) {
                shares[p] = new ByteArrayOutputStream();
            }
            ByteBuffer bytes = doc.getByteBuffer().asNIO();   // a view of the object's bytes: copied once, into the share
            shares[p].write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        });
        int n = newKey(key);
        for (int p = 0; p < partitions; p++) {
            write(n, p, shares[p] == null ? new byte[0] : shares[p].toByteArray());
        }
        return shares[partition] == null ? new byte[0] : shares[partition].toByteArray();
    }

    /** Stored bytes of snapshot objects read from the repository (each once). */
    public long storedBytesRead() {
        return storedBytesRead;
    }

    /** Bytes written to the temporary files so far (compressed). */
    public long spilledBytes() {
        return spilledBytes;
    }

    private int newKey(String key) {
        int n = keys.size();
        keys.put(key, n);
        if (n == offsets[0].length) {
            for (int p = 0; p < partitions; p++) {
                offsets[p] = Arrays.copyOf(offsets[p], n * 2);
                lengths[p] = Arrays.copyOf(lengths[p], n * 2);
            }
        }
        return n;
    }

    private void write(int key, int partition, byte[] plain) {
        byte[] z = plain.length == 0 ? plain : Zstd.compress(plain, LEVEL);
        try {
            FileChannel f = files[partition];
            long at = f.size();
            ByteBuffer b = ByteBuffer.wrap(z);
            while (b.hasRemaining()) {
                f.write(b, at + b.position());
            }
            offsets[partition][key] = at;
            lengths[partition][key] = z.length;
            spilledBytes += z.length;
        } catch (IOException e) {
            throw failed("cannot write to the temporary files of the passes in " + dir, e);
        }
    }

    private byte[] read(int key, int partition) {
        int length = lengths[partition][key];
        if (length == 0) {
            return new byte[0];
        }
        try {
            ByteBuffer b = ByteBuffer.allocate(length);
            long at = offsets[partition][key];
            while (b.hasRemaining()) {
                if (files[partition].read(b, at + b.position()) < 0) {
                    throw new IOException("the file ends early");
                }
            }
            byte[] z = b.array();
            return Zstd.decompress(z, (int) Zstd.getFrameContentSize(z));
        } catch (IOException e) {
            throw failed("cannot read the temporary files of the passes in " + dir, e);
        }
    }

    private static byte[] encodeEvents(List<ChangeEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ChangeEvent e : events) {
            ByteBuffer raw = new RawBsonDocument(EventFormat.write(e), new BsonDocumentCodec()).getByteBuffer().asNIO();
            out.write(raw.array(), raw.arrayOffset() + raw.position(), raw.remaining());
        }
        return out.toByteArray();
    }

    private List<ChangeEvent> decodeEvents(byte[] plain) {
        List<ChangeEvent> events = new ArrayList<>();
        Documents.forEach("a temporary file of the passes in " + dir, "the disk holding java.io.tmpdir may be failing; run again,"
                + " with REWIND_JAVA_OPTS='-Djava.io.tmpdir=DIR' for another one", plain, e -> events.add(EventFormat.read(e)));
        return events;
    }

    /** Removes the name at once where the system allows it (an open file lives on), so a killed run leaves nothing behind. */
    private static void unlink(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // still deleted on close
        }
    }

    private static RewindException failed(String what, IOException e) {
        return new RewindException(ExitCode.IO, what + ": " + e.getMessage(),
                "the temporary folder (" + System.getProperty("java.io.tmpdir") + ") must have room for the change log and the"
                        + " snapshot objects the undo or diff reads (compressed); choose another with REWIND_JAVA_OPTS='-Djava.io.tmpdir=DIR'", e);
    }

    @Override
    public void close() {
        for (FileChannel f : files) {
            try {
                if (f != null) {
                    f.close();
                }
            } catch (IOException e) {
                // the file is deleted on close; nothing more to do
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a folder left in the temporary folder is harmless
        }
    }
}
