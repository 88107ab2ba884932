package dev.rewind.cli;

import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.crypto.KeySource;
import dev.rewind.repo.store.ByteStore;
import dev.rewind.repo.store.S3Location;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to reach and open a repository, as a mixin of every command that takes {@code --repo}: where an
 * S3 bucket is served, and the password or key of an encrypted repository. S3 credentials come from
 * the AWS SDK's standard chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance roles).
 */
public final class RepoOptions {
    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "For s3:// repositories: the server, e.g. http://127.0.0.1:9000 (MinIO, Ceph; default AWS).")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "For s3:// repositories: the region (default AWS_REGION, else us-east-1).")
    String s3Region;

    @Option(names = "--s3-path-style", arity = "1", paramLabel = "true|false",
            description = "For s3:// repositories: path-style addressing (default: true with --s3-endpoint, false on AWS).")
    Boolean s3PathStyle;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "An encrypted repository's password: the first line of FILE (default: REWIND_PASSWORD, else a prompt).")
    Path passwordFile;

    @Option(names = "--key-file", paramLabel = "FILE", description = "An encrypted repository's key: the whole of FILE.")
    Path keyFile;

    /** The location with the --s3-* options folded in. */
    String location(String repo) {
        return S3Location.isS3(repo) ? S3Location.withOptions(repo, s3Endpoint, s3Region, s3PathStyle) : repo;
    }

    KeySource keys() {
        return KeySource.of(passwordFile, keyFile);
    }

    Repository open(String repo) {
        return Repositories.open(location(repo), keys());
    }

    ByteStore store(String repo) {
        return Repositories.store(location(repo));
    }
}
