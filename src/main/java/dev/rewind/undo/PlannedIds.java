package dev.rewind.undo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * The names of the documents an undo planned for, kept in a temporary file while its passes run and
 * read back in chunks afterwards (for the reference check, which must wait for every write), so that
 * memory holds one chunk whatever the size of the undo. Unchanged documents are left out.
 */
public final class PlannedIds implements AutoCloseable {
    private final Path file;
    private final DataOutputStream out;
    private long count;

    public PlannedIds() {
        try {
            file = Files.createTempFile("rewind-undo-ids", ".bson");
            file.toFile().deleteOnExit();
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)));
        } catch (IOException e) {
            throw failed("cannot write the undo's document ids to a temporary file", e);
        }
    }

    /** Remembers the documents of one part of the plan. */
    public void add(List<DocumentUndo> plan) {
        try {
            for (DocumentUndo d : plan) {
                if (d.outcome() == Outcome.UNCHANGED) {
                    continue;
                }
                java.nio.ByteBuffer raw = new RawBsonDocument(new BsonDocument("ns", new BsonString(d.ns())).append("_id", d.id()),
                        new BsonDocumentCodec()).getByteBuffer().asNIO();
                byte[] bytes = new byte[raw.remaining()];  // the document only: its backing array is the writer's buffer
                raw.get(bytes);
                out.writeInt(bytes.length);
                out.write(bytes);
                count++;
            }
        } catch (IOException e) {
            throw failed("cannot write the undo's document ids to " + file, e);
        }
    }

    public long count() {
        return count;
    }

    /** Hands over every remembered document, at most {@code chunk} at a time, by namespace. */
    public void forEachChunk(int chunk, Consumer<Map<String, Set<BsonValue>>> each) {
        try {
            out.flush();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                Map<String, Set<BsonValue>> part = new LinkedHashMap<>();
                int n = 0;
                for (long i = 0; i < count; i++) {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    RawBsonDocument d = new RawBsonDocument(bytes);
                    part.computeIfAbsent(d.getString("ns").getValue(), k -> new LinkedHashSet<>()).add(d.get("_id"));
                    if (++n == chunk) {
                        each.accept(part);
                        part = new LinkedHashMap<>();
                        n = 0;
                    }
                }
                if (n > 0) {
                    each.accept(part);
                }
            }
        } catch (EOFException e) {
            throw new IllegalStateException("the temporary file of undo ids " + file + " was cut short", e);
        } catch (IOException e) {
            throw failed("cannot read the undo's document ids from " + file, e);
        }
    }

    private static dev.rewind.RewindException failed(String what, IOException e) {
        return new dev.rewind.RewindException(dev.rewind.ExitCode.IO, what + ": " + e.getMessage(),
                "the temporary folder (" + System.getProperty("java.io.tmpdir") + ") must have room for about 100 bytes per"
                        + " document undone; choose another with REWIND_JAVA_OPTS='-Djava.io.tmpdir=DIR'", e);
    }

    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
