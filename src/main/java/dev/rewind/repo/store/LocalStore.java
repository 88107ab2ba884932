package dev.rewind.repo.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link ByteStore} in a local folder. Writes go to {@code tmp/} inside the folder (same file
 * system), are forced to disk, then published by an atomic rename ({@code putIfAbsent} by a hard
 * link, which fails if the name exists).
 */
public final class LocalStore implements ByteStore {
    private static final String TMP = "tmp";
    private final Path root;

    public LocalStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() { return root; }

    @Override
    public void put(String name, byte[] data) throws IOException {
        try {
            replace(name, data);
        } catch (IOException e) {
            throw cannotWrite(name, e);
        }
    }

    private void replace(String name, byte[] data) throws IOException {
        Path target = resolve(name);
        Path tmp = writeTemp(data);
        try {
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public boolean putIfAbsent(String name, byte[] data) throws IOException {
        try {
            return publish(name, data);
        } catch (IOException e) {
            throw cannotWrite(name, e);
        }
    }

    /** An error that names the file and the repository (the temporary file's name tells a user nothing). */
    private IOException cannotWrite(String name, IOException e) {
        String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return new IOException("cannot write " + name + " in " + location() + ": " + why, e);
    }

    private boolean publish(String name, byte[] data) throws IOException {
        Path target = resolve(name);
        Path tmp = writeTemp(data);
        try {
            Files.createDirectories(target.getParent());
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public byte[] get(String name) throws IOException {
        return Files.readAllBytes(resolve(name));
    }

    @Override
    public long size(String name) throws IOException {
        try {
            return Files.size(resolve(name));
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = resolve(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .forEach(p -> names.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (java.io.UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e.getCause();
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(resolve(name));
    }

    @Override
    public String location() {
        return root.toString();
    }

    private Path writeTemp(byte[] data) throws IOException {
        Path dir = root.resolve(TMP);
        Files.createDirectories(dir);
        Path tmp = dir.resolve(UUID.randomUUID() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    private Path resolve(String name) {
        return root.resolve(BlobNames.check(name));
    }
}
