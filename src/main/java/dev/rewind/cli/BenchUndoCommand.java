package dev.rewind.cli;

import dev.rewind.bench.UndoBench;
import java.util.concurrent.Callable;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "undo", mixinStandardHelpOptions = true,
        description = {"Measure undo of a mass deletion on an in-memory sandbox: dry run and --apply, each in its own "
                + "JVM (time, docs/s, peak heap), and the snapshot bytes undo reads. docs/undo.md lists the figures."})
final class BenchUndoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--docs", defaultValue = "1000000", description = "Family documents of ~350 bytes. Default: ${DEFAULT-VALUE}.")
    int docs;

    @Option(names = "--deletes", defaultValue = "100000", description = "Documents the accident deletes. Default: ${DEFAULT-VALUE}.")
    int deletes;

    @Option(names = "--spread", defaultValue = "contiguous", paramLabel = "contiguous|random",
            description = "Which documents: the first in _id order, or a random choice. Default: ${DEFAULT-VALUE}.")
    String spread;

    @Option(names = "--undo-heap", defaultValue = "1g", paramLabel = "SIZE", description = "-Xmx of the undo JVM. Default: ${DEFAULT-VALUE}.")
    String heap;

    @Option(names = "--memory-docs", paramLabel = "N", split = ",",
            description = "Passed to undo: touched documents held in memory at once; several values, comma-separated, run the dry run with each (and --apply with the last). Default: undo's, from its heap.")
    List<Long> memoryDocs;

    @Option(names = "--synthetic",
            description = "Write the snapshot and the deletes straight into the repository instead of deleting one at a time while capture runs (for sizes the sandbox cannot stage in reasonable time). Only the dry runs are measured then.")
    boolean synthetic;

    @Option(names = "--unique-email",
            description = "Give the collection a unique index on email before the accident, as an accounts collection has: undo then also asks who holds each restored email now.")
    boolean uniqueEmail;

    @Option(names = "--drop",
            description = "Make the accident a drop of the whole collection (then a hundred sign-ups into a new one) instead of deletes: undo runs with --ops drop, and restore --at of the state just before the drop is measured beside it.")
    boolean drop;

    @Option(names = "--launcher-options",
            description = "Run each measured command with the launcher's JVM options (jvm.options: the serial collector, a small young generation) before -Xmx, as ./rewind runs it, instead of the JVM's defaults.")
    boolean launcherOptions;

    @Override
    public Integer call() throws Exception {
        if (drop && synthetic) {
            throw dev.rewind.RewindException.usage("--drop and --synthetic cannot go together", "a drop is staged through capture; leave out --synthetic");
        }
        if (!drop && (deletes < 1 || deletes > docs)) {
            throw dev.rewind.RewindException.usage("give --deletes between 1 and --docs (" + docs + "), not " + deletes,
                    "the accident deletes some of the documents, at most all");
        }
        boolean random = switch (spread) {
            case "contiguous" -> false;
            case "random" -> true;
            default -> throw dev.rewind.RewindException.usage("unknown --spread '" + spread + "'", "use contiguous or random");
        };
        new UndoBench(docs, deletes, random, heap, spec.commandLine().getOut()).memoryDocs(memoryDocs).synthetic(synthetic).uniqueEmail(uniqueEmail).drop(drop).launcherOptions(launcherOptions).run();
        return 0;
    }
}
