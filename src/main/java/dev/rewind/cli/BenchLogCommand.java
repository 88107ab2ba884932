package dev.rewind.cli;

import dev.rewind.bench.LogReadBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "log", mixinStandardHelpOptions = true,
        description = {"Measure how fast the change log is read: one segment of change events as capture stores them, "
                + "parsed again and again in this process.",
                "Prints the time per event and the bytes stored per event; docs/benchmarks.md lists the figures."})
final class BenchLogCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--events", defaultValue = "100000", description = "Events in the segment. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(names = "--rounds", defaultValue = "20", description = "Times the segment is parsed. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--inserts", defaultValue = "50", paramLabel = "PERCENT",
            description = "Share of inserts (with their full document); the rest are deletes. Default: ${DEFAULT-VALUE}.")
    int inserts;

    @Override
    public Integer call() {
        if (events < 1 || rounds < 1 || inserts < 0 || inserts > 100) {
            throw dev.rewind.RewindException.usage("--events and --rounds must be at least 1, --inserts 0 to 100",
                    "for example --events 100000 --rounds 20 --inserts 50");
        }
        new LogReadBench(events, rounds, inserts, spec.commandLine().getOut()).run();
        return 0;
    }
}
