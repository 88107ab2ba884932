package dev.rewind.cli;

import dev.rewind.repo.Repository;
import dev.rewind.repo.crypto.KeyFile;
import dev.rewind.repo.crypto.Secret;
import dev.rewind.repo.store.S3Location;
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
        description = {"Create an empty repository: a local folder (it must not exist or be empty), or s3://BUCKET/PREFIX.",
                "--encrypt encrypts it under the password or key given (REWIND_PASSWORD, --password-file, --key-file)."})
final class InitCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR|s3://BUCKET/PREFIX", description = "Where the new repository goes. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Option(names = "--encrypt", description = "Encrypt everything stored (AES-256-GCM; the key is wrapped under the password or key file).")
    boolean encrypt;

    @Override
    public Integer call() throws IOException {
        repo = common.settings().repo(repo);
        if (!S3Location.isS3(repo)) {
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
        }
        dev.rewind.repo.store.ByteStore store = repoOptions.store(repo);
        if (S3Location.isS3(repo) && !store.exists(Repository.CONFIG) && !store.list("").isEmpty()) {
            throw new dev.rewind.RewindException(dev.rewind.ExitCode.REFUSED, store.location()
                    + " is not empty and is not a Rewind repository", "give an empty or new prefix to 'rewind init'");
        }
        Secret secret = encrypt ? repoOptions.keys().secret(repo) : null;
        Repository r = Repository.init(store, secret, KeyFile.LOG_N);
        var out = spec.commandLine().getOut();
        if (common.json) {
            out.println(new org.bson.Document("repository", r.location()).append("id", r.config().id())
                    .append("version", r.config().version()).append("encrypted", r.config().encrypted()).toJson());
        } else {
            out.println("created " + (encrypt ? "encrypted " : "") + "repository " + r.location() + " (format version "
                    + r.config().version() + ", id " + r.config().id() + ")");
            if (encrypt) {
                out.println("keep the password or key file safe: without it nothing in the repository can be read");
            }
        }
        return 0;
    }
}
