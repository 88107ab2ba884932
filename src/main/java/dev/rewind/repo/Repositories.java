package dev.rewind.repo;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.store.ByteStore;
import dev.rewind.repo.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns a {@code --repo} argument into a store: a local folder today. */
public final class Repositories {
    private Repositories() { }

    public static ByteStore store(String location) {
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new RewindException(ExitCode.USAGE, "unsupported repository location: " + location,
                    "this version stores repositories in a local folder; give a path such as ./backups");
        }
        return new LocalStore(Path.of(location));
    }

    /** Opens an existing repository; NO_REPOSITORY if the folder does not exist. */
    public static Repository open(String location) {
        Path p = Path.of(location);
        if (!location.contains("://") && !Files.isDirectory(p)) {
            throw new RewindException(ExitCode.NO_REPOSITORY, "no repository at " + p.toAbsolutePath().normalize()
                    + " (no such folder)", "create one with 'rewind init --repo " + location + "', or check the path");
        }
        return Repository.open(store(location));
    }
}
