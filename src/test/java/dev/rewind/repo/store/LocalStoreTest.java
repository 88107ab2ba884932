package dev.rewind.repo.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest extends ByteStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ByteStore newStore() {
        return new LocalStore(dir.resolve("repo"));
    }

    @Override
    protected List<String> everythingStored() throws IOException {
        Path root = dir.resolve("repo");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
