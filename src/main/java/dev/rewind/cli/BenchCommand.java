package dev.rewind.cli;

import dev.rewind.bench.SnapshotBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rewind bench}: the snapshot benchmark when no subcommand is given, so {@code ./rewind bench} keeps working. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {BenchCommand.Snapshot.class, BenchCaptureCommand.class, BenchUndoCommand.class, BenchCompareCommand.class, BenchStorageCommand.class, BenchLogCommand.class},
        description = {"Benchmarks on an in-memory sandbox; without a subcommand, runs 'bench snapshot'.",
                "Prints rates and ratios; the README lists the figures they printed."})
final class BenchCommand implements Callable<Integer> {
    @Mixin SnapshotBenchOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return options.run(spec);
    }

    /** The snapshot benchmark's options, shared by {@code bench} and {@code bench snapshot}. */
    static final class SnapshotBenchOptions {
        @Option(names = "--docs", defaultValue = "200000", description = "Documents of ~300 bytes. Default: ${DEFAULT-VALUE}.")
        int docs;

        @Option(names = "--threads", defaultValue = "4", description = "Restore insert threads. Default: ${DEFAULT-VALUE}.")
        int threads;

        int run(CommandSpec spec) throws Exception {
            new SnapshotBench(docs, threads, spec.commandLine().getOut()).run();
            return 0;
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = {"Measure snapshot and restore against the raw driver on an in-memory sandbox.",
                    "Prints docs/s and ratios."})
    static final class Snapshot implements Callable<Integer> {
        @Mixin SnapshotBenchOptions options;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return options.run(spec);
        }
    }
}
