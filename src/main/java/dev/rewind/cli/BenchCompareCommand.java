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
                "wall time, CPU, peak RSS and stored bytes of a snapshot and a restore (medians of --rounds)."})
final class BenchCompareCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--docs", defaultValue = "200000", description = "Family documents of ~350 bytes. Default: ${DEFAULT-VALUE}.")
    int docs;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; medians are reported. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--peers", paramLabel = "DIR", description = "Where mongodump and mongorestore are. Default: ../shared/peers/mongo-tools-100.8.0.")
    Path peers;

    @Override
    public Integer call() throws Exception {
        if (docs < 1 || rounds < 1) {
            throw dev.rewind.RewindException.usage("--docs and --rounds must be at least 1", "for example --docs 200000 --rounds 3");
        }
        new CompareBench(docs, rounds, peers == null ? CompareBench.defaultPeers() : peers, spec.commandLine().getOut()).run();
        return 0;
    }
}
