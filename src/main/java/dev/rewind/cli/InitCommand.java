package dev.rewind.cli;

import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create an empty repository (a local folder; it must not exist or be empty).")
final class InitCommand implements Callable<Integer> {
    @Mixin Common common;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "Folder for the new repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Override
    public Integer call() throws IOException {
        repo = common.settings().repo(repo);
        Path dir = Path.of(repo);
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(Repository.CONFIG))) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new dev.rewind.RewindException(dev.rewind.ExitCode.REFUSED,
                            dir.toAbsolutePath().normalize() + " is not empty and is not a Rewind repository",
                            "give an empty or new folder to 'rewind init'");
                }
            }
        }
        Files.createDirectories(dir);
        Repository r = Repository.init(Repositories.store(repo));
        var out = spec.commandLine().getOut();
        if (common.json) {
            out.println(new org.bson.Document("repository", r.location()).append("id", r.config().id())
                    .append("version", r.config().version()).toJson());
        } else {
            out.println("created repository " + r.location() + " (format version " + r.config().version() + ", id " + r.config().id() + ")");
        }
        return 0;
    }
}
