package dev.rewind.cli;

import dev.rewind.bench.CompareBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Measure Rewind against mongodump and mongorestore, side by side, on one in-memory sandbox:",
                "wall time, CPU, peak RSS and stored bytes of a snapshot and a restore (medians of --rounds).",
                "Then a scaling curve (--scale-base documents x1, x4, x16) and the undo benchmark."})
final class BenchCompareCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--docs", defaultValue = "200000", description = "Family documents of ~350 bytes. Default: ${DEFAULT-VALUE}.")
    int docs;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; medians are reported. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--peers", paramLabel = "DIR", description = "Where mongodump and mongorestore are. Default: ../shared/peers/mongo-tools-100.8.0.")
    Path peers;

    @Option(names = "--scale-base", defaultValue = "12500",
            description = "Documents of the scaling curve's first step (then x4, x16); 0 skips it. Default: ${DEFAULT-VALUE}.")
    int scaleBase;

    @Option(names = "--undo-docs", defaultValue = "100000", description = "Documents of the undo benchmark; 0 skips it. Default: ${DEFAULT-VALUE}.")
    int undoDocs;

    @Option(names = "--undo-deletes", defaultValue = "10000", description = "Documents the undo benchmark's accident deletes. Default: ${DEFAULT-VALUE}.")
    int undoDeletes;

    @Override
    public Integer call() throws Exception {
        if (docs < 1 || rounds < 1 || scaleBase < 0 || undoDocs < 0 || (undoDocs > 0 && (undoDeletes < 1 || undoDeletes > undoDocs))) {
            throw dev.rewind.RewindException.usage("--docs and --rounds must be at least 1, --scale-base and --undo-docs at least 0,"
                    + " --undo-deletes between 1 and --undo-docs", "for example --docs 200000 --rounds 3");
        }
        new CompareBench(docs, rounds, peers == null ? CompareBench.defaultPeers() : peers, spec.commandLine().getOut())
                .scaling(scaleBase).undo(undoDocs, undoDeletes).run();
        return 0;
    }
}
