package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the repository: manifests, and that every object they name is present and sound.",
                "By default only presence is checked; --read-data reads and checks every object,",
                "--read-data-subset checks a random sample. Exit code 6 when anything is damaged."})
final class VerifyCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @ArgGroup(exclusive = true)
    Depth depth = new Depth();

    static final class Depth {
        @Option(names = "--read-data", description = "Read every object and check its checksum and content address.")
        boolean all;

        @Option(names = "--read-data-subset", paramLabel = "PERCENT", description = "Read a random sample, e.g. 10%%.")
        String subset;
    }

    @Option(names = "--seed", description = "Seed of the --read-data-subset sample (default: random, printed).")
    Long seed;

    @Override
    public Integer call() {
        double fraction = depth.all ? 1 : depth.subset == null ? 0 : parsePercent(depth.subset);
        long s = seed != null ? seed : new java.util.Random().nextLong();
        Verifier.Report report = new Verifier(repoOptions.open(repo)).verify(fraction, s);
        var out = spec.commandLine().getOut();
        if (common.json) {
            List<Document> problems = new ArrayList<>();
            report.problems().forEach(p -> problems.add(new Document("file", p.file()).append("reason", p.reason())
                    .append("snapshots", p.snapshots())));
            out.println(new Document("ok", report.ok()).append("snapshots", report.snapshots())
                    .append("objects", report.objects()).append("objectsRead", report.objectsRead())
                    .append("bytesRead", report.bytesRead()).append("seed", s).append("problems", problems).toJson());
        } else {
            out.printf("checked %d snapshots and %d objects (%d read, %s)%s%n", report.snapshots(), report.objects(),
                    report.objectsRead(), Units.bytes(report.bytesRead()),
                    depth.subset != null ? " sample seed " + s : "");
            for (Verifier.Problem p : report.problems()) {
                out.printf("  DAMAGED %s: %s%s%n", p.file(), p.reason(),
                        p.snapshots().isEmpty() ? "" : " (needed by snapshots " + String.join(", ", p.snapshots()) + ")");
            }
            out.println(report.ok() ? "no problems found" : report.problems().size() + " damaged or missing files");
        }
        return report.ok() ? 0 : ExitCode.CORRUPT.code();
    }

    static double parsePercent(String text) {
        String t = text.trim().endsWith("%") ? text.trim().substring(0, text.trim().length() - 1) : text.trim();
        try {
            double p = Double.parseDouble(t);
            if (p > 0 && p <= 100) {
                return p / 100.0;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw RewindException.usage("not a percentage: '" + text + "'", "write a number from 0 to 100, e.g. 10%");
    }
}
