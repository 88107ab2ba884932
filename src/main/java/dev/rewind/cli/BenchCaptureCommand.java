package dev.rewind.cli;

import dev.rewind.bench.CaptureBench;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Measure continuous capture on in-memory sandboxes: lag at the sandbox's top write rate,"
                + " catch-up after a stop, restore --at against a plain restore, and the heap of a capture process.",
                "The defaults (the issue's sizes) take well over an hour on the sandbox (docs/benchmarks.md); a quick run:",
                "  rewind bench capture --seconds 10 --stop-seconds 20 --docs 20000 --changes 5000"
                        + " --heap-seconds 15 --heap-docs 5000,50000"})
final class BenchCaptureCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "30", description = "Seconds of writes while measuring lag (0 skips lag and catch-up). Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--stop-seconds", defaultValue = "300", description = "Seconds capture stays stopped while writes go on. Default: ${DEFAULT-VALUE}.")
    int stopSeconds;

    @Option(names = "--writers", defaultValue = "2", description = "Writer threads. Default: ${DEFAULT-VALUE}.")
    int writers;

    @Option(names = "--docs", defaultValue = "200000", description = "Documents snapshotted for the restore comparison (0 skips it). Default: ${DEFAULT-VALUE}.")
    int docs;

    @Option(names = "--changes", defaultValue = "50000", description = "Logged changes merged by restore --at. Default: ${DEFAULT-VALUE}.")
    int changes;

    @Option(names = "--heap-seconds", defaultValue = "60", description = "Seconds of heap sampling per size (0 skips it). Default: ${DEFAULT-VALUE}.")
    int heapSeconds;

    @Option(names = "--heap-docs", split = ",", defaultValue = "50000,500000",
            description = "Database sizes for the heap measurement. Default: ${DEFAULT-VALUE}.")
    List<Integer> heapDocs;

    @Override
    public Integer call() throws Exception {
        new CaptureBench(new CaptureBench.Sizes(docs, changes, seconds, stopSeconds, writers, heapSeconds, heapDocs),
                spec.commandLine().getOut()).run();
        return 0;
    }
}
