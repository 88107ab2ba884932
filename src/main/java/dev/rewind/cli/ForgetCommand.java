package dev.rewind.cli;

import dev.rewind.PointInTime;
import dev.rewind.RewindException;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.retention.Forget;
import dev.rewind.retention.ForgetPlan;
import dev.rewind.retention.RetentionPolicy;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "forget", mixinStandardHelpOptions = true,
        description = {"Forget the snapshots a retention policy does not keep, and the change log before the point-in-time "
                + "span.",
                "--keep-within sets how far back any second stays restorable (its oldest snapshot's window is kept "
                + "whole); --keep-last/-daily/-weekly/-monthly keep snapshots, restorable as themselves. The newest is "
                + "always kept.",
                "Objects are deleted by 'rewind prune'. Safe while capture runs. While a restore, undo, diff, timeline, "
                + "verify or export reads the repository, forget deletes nothing and exits 5."})
final class ForgetCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @Mixin Policy policy;

    @Option(names = "--dry-run", description = "Say what would be forgotten; change nothing.")
    boolean dryRun;

    /** The --keep-* options, shared with capture --forget. */
    static final class Policy {
        @Option(names = "--keep-within", paramLabel = "DURATION", description = "Keep every snapshot (and the log) of the last DURATION, e.g. 14d.")
        String within;

        @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots.")
        int last;

        @Option(names = "--keep-daily", paramLabel = "N", description = "Keep the newest snapshot of each of the last N days with one (UTC).")
        int daily;

        @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N ISO weeks with one.")
        int weekly;

        @Option(names = "--keep-monthly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N months with one.")
        int monthly;

        RetentionPolicy parse() {
            for (int n : new int[] {last, daily, weekly, monthly}) {
                if (n < 0) {
                    throw RewindException.usage("a --keep-* count cannot be negative (" + n + ")", "give a count of 0 or more");
                }
            }
            RetentionPolicy p = new RetentionPolicy(within == null ? null : PointInTime.duration(within), last, daily, weekly, monthly);
            if (p.keepWithin() != null && (p.keepWithin().isNegative() || p.keepWithin().isZero())) {
                throw RewindException.usage("--keep-within must be a positive duration, not " + within, "e.g. --keep-within 14d");
            }
            return p;
        }
    }

    @Override
    public Integer call() {
        RetentionPolicy p = policy.parse();
        if (p.isEmpty()) {
            throw RewindException.usage("no retention policy given: forget would keep only the newest snapshot",
                    "give at least one of --keep-within, --keep-last, --keep-daily, --keep-weekly, --keep-monthly");
        }
        Repository r = repoOptions.open(repo);
        Forget forget = new Forget(r);
        ForgetPlan plan = dryRun ? forget.plan(p) : forget.run(p);
        print(spec.commandLine().getOut(), r, plan, dryRun, common.json);
        return 0;
    }

    static void print(PrintWriter out, Repository r, ForgetPlan plan, boolean dryRun, boolean json) {
        long segmentBytes = 0;
        for (SegmentName s : plan.forgottenSegments()) {
            try {
                segmentBytes += Math.max(0, r.storedFiles().size(s.name()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (json) {
            List<Document> kept = new ArrayList<>();
            plan.kept().forEach((id, why) -> kept.add(new Document("id", id).append("reasons", why)));
            out.println(new Document("dryRun", dryRun).append("kept", kept)
                    .append("forgotten", plan.forgottenSnapshots().stream().map(SnapshotManifest::id).toList())
                    .append("segmentsForgotten", plan.forgottenSegments().size()).append("segmentBytes", segmentBytes)
                    .append("gapsForgotten", plan.forgottenGaps().size())
                    .append("logFrom", plan.logFrom() == null ? null : plan.logFrom().toString()).toJson());
            return;
        }
        String verb = dryRun ? "would forget" : "forgot";
        for (Map.Entry<String, List<String>> e : plan.kept().entrySet()) {
            out.println("keep   " + e.getKey() + "  (" + String.join(", ", e.getValue()) + ")");
        }
        for (SnapshotManifest s : plan.forgottenSnapshots()) {
            out.println((dryRun ? "would forget " : "forget ") + s.id() + "  (" + s.finished() + ")");
        }
        out.println(verb + " " + plan.forgottenSnapshots().size() + " snapshot(s) and " + plan.forgottenSegments().size()
                + " segment(s) of the change log (" + Units.bytes(segmentBytes) + ")"
                + (plan.logFrom() == null ? "" : "; the log is kept from " + plan.logFrom())
                + (dryRun ? "" : "; run 'rewind prune' to delete the objects nothing needs any more"));
    }
}
