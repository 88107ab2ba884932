package dev.rewind.cli;

import dev.rewind.repo.Repository;
import dev.rewind.retention.Compaction;
import dev.rewind.retention.Prune;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Delete the objects no snapshot needs, and merge runs of small change-log segments.",
                "Safe while capture runs: nothing written after prune starts is deleted, and objects are left alone "
                + "while a snapshot is being taken. --dry-run lists every file it would delete, with its size.",
                "While a restore, undo, diff, timeline, verify or export reads the repository, prune deletes nothing and exits 5."})
final class PruneCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @Option(names = "--dry-run", description = "List what would be deleted and merged; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Repository r = repoOptions.open(repo);
        long started = System.nanoTime();
        Prune.Result result = new Prune(r).run(!dryRun);
        Prune.Plan plan = result.plan();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (plan.objectsSkipped() != null) {
            err.println("warning: " + plan.objectsSkipped());
        }
        long mergedParts = plan.merges().stream().mapToLong(m -> m.parts().size()).sum();
        if (common.json) {
            Document d = new Document("dryRun", dryRun).append("manifests", plan.manifests())
                    .append("objectsKept", plan.objectsKept())
                    .append("objects", files(plan.objects())).append("redundantSegments", files(plan.redundantSegments()))
                    .append("merges", plan.merges().stream().map(m -> new Document("into", m.merged().name())
                            .append("parts", m.parts().size()).append("storedBytes", m.storedBytes())).toList())
                    .append("bytes", plan.bytes()).append("objectsSkipped", plan.objectsSkipped())
                    .append("seconds", (System.nanoTime() - started) / 1e9);
            out.println(d.toJson());
            return 0;
        }
        if (dryRun) {
            plan.objects().forEach((name, size) -> out.println("would delete " + name + "  " + size + " B"));
            plan.redundantSegments().forEach((name, size) -> out.println("would delete " + name + "  " + size + " B (merged already)"));
            for (Compaction.Merge m : plan.merges()) {
                out.println("would merge " + m.parts().size() + " segments (" + m.storedBytes() + " B) into " + m.merged().name());
            }
        }
        long objectBytes = plan.objects().values().stream().mapToLong(Long::longValue).sum();
        out.println((dryRun ? "would delete " : "deleted ") + Units.count(plan.objects().size()) + " object(s) ("
                + Units.bytes(objectBytes) + ") of " + Units.count(plan.objects().size() + plan.objectsKept())
                + ", kept for " + plan.manifests() + " snapshot(s); "
                + (dryRun ? "would merge " : "merged ") + Units.count(mergedParts) + " small segment(s) into "
                + (dryRun ? plan.merges().size() : result.mergesWritten()) + "; "
                + (dryRun ? "would free " : "freed ") + Units.bytes(plan.bytes()) + (dryRun ? " and more from the merged segments" : ""));
        return 0;
    }

    private static java.util.List<Document> files(Map<String, Long> files) {
        return files.entrySet().stream().map(e -> new Document("name", e.getKey()).append("bytes", e.getValue())).toList();
    }
}
