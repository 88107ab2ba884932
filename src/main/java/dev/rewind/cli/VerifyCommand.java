package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.repo.Verifier;
import dev.rewind.verify.RepositoryCheck;
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
        description = {"Check the repository: manifests and every object they name, the change log (segments, their chain "
                + "and events), gaps, journals, incidents, the capture status and the lock.",
                "By default only presence is checked; --read-data reads and checks every object, segment and "
                + "journal, --read-data-subset checks a random sample. Exit code 6 when anything is damaged."})
final class VerifyCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
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
        repo = common.settings().repo(repo);
        double fraction = depth.all ? 1 : depth.subset == null ? 0 : parsePercent(depth.subset);
        long s = seed != null ? seed : new java.util.Random().nextLong();
        String how = depth.all ? "read-data" : depth.subset != null ? "read-data-subset " + depth.subset : "presence";
        dev.rewind.repo.Repository r = repoOptions.open(repo);
        RepositoryCheck.Report report;
        try (dev.rewind.repo.ReadMark mark = Reading.mark(r, spec)) {
            report = RepositoryCheck.run(r, fraction, s, how);
        }
        Verifier.Report snaps = report.snapshots();
        var out = spec.commandLine().getOut();
        if (common.json) {
            List<Document> problems = new ArrayList<>();
            report.problems().forEach(p -> problems.add(new Document("file", p.file()).append("reason", p.reason())
                    .append("snapshots", p.snapshots())));
            out.println(new Document("ok", report.ok()).append("snapshots", snaps.snapshots())
                    .append("objects", snaps.objects()).append("objectsRead", snaps.objectsRead())
                    .append("bytesRead", snaps.bytesRead()).append("segments", report.segments())
                    .append("segmentsRead", report.segmentsRead()).append("events", report.events())
                    .append("records", report.records()).append("seed", s).append("problems", problems)
                    .append("notes", report.notes()).toJson());
        } else {
            out.printf("checked %s and %s (%s read, %s), %s (%s read, %s) and %s%s%n",
                    Units.plural(snaps.snapshots(), "snapshot"), Units.plural(snaps.objects(), "object"),
                    Units.count(snaps.objectsRead()), Units.bytes(snaps.bytesRead()), Units.plural(report.segments(), "segment"),
                    Units.count(report.segmentsRead()), Units.plural(report.events(), "event"),
                    Units.plural(report.records(), "other file"), depth.subset != null ? "; sample seed " + s : "");
            for (String note : report.notes()) {
                out.println("  note: " + note);
            }
            for (Verifier.Problem p : report.problems()) {
                out.printf("  DAMAGED %s: %s%s%n", p.file(), p.reason(),
                        p.snapshots().isEmpty() ? "" : " (needed by snapshots " + String.join(", ", p.snapshots()) + ")");
            }
            out.println(report.ok() ? "no problems found" : report.problems().size() + " damaged or missing files");
            if (fraction == 0) {
                out.println("(only presence was checked; --read-data reads every object, segment and journal)");
            }
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
