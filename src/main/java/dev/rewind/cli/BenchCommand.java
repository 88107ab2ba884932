package dev.rewind.cli;

import dev.rewind.bench.SnapshotBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = BenchUndoCommand.class,
        description = {"Measure snapshot and restore against the raw driver on an in-memory sandbox.",
                "Prints docs/s and ratios; the README lists the figures it printed."})
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--docs", defaultValue = "200000", description = "Documents of ~300 bytes. Default: ${DEFAULT-VALUE}.")
    int docs;

    @Option(names = "--threads", defaultValue = "4", description = "Restore insert threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Override
    public Integer call() throws Exception {
        new SnapshotBench(docs, threads, spec.commandLine().getOut()).run();
        return 0;
    }
}
