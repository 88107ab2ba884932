package dev.rewind.cli;

import dev.rewind.bench.StorageBench;
import dev.rewind.repo.store.S3Location;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "storage", mixinStandardHelpOptions = true,
        description = {"Measure snapshot and restore into a folder, an encrypted folder and S3 (with --s3), with CPU time, "
                + "and prune's time per 10,000 objects. docs/benchmarks.md has the figures and runs it on S3Proxy."})
final class BenchStorageCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--docs", defaultValue = "100000", description = "Documents of ~350 bytes. Default: ${DEFAULT-VALUE}.")
    int docs;

    @Option(names = "--prune-objects", defaultValue = "10000", description = "Unreferenced objects to prune. Default: ${DEFAULT-VALUE}.")
    int pruneObjects;

    @Option(names = "--s3", paramLabel = "s3://BUCKET/PREFIX", description = "An S3 location to measure too (a new prefix under it per run).")
    String s3;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "The S3 server (default AWS).")
    String endpoint;

    @Override
    public Integer call() throws Exception {
        String where = s3 == null ? null : S3Location.withOptions(s3, endpoint, null, null);
        new StorageBench(docs, pruneObjects, where, spec.commandLine().getOut()).run();
        return 0;
    }
}
