package dev.rewind.cli;

import com.mongodb.ConnectionString;
import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.mongo.Connection;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.restore.RestoreExecutor;
import dev.rewind.restore.RestorePlan;
import dev.rewind.restore.PointInTimePlan;
import dev.rewind.restore.LogPasses;
import dev.rewind.PointInTime;
import dev.rewind.event.ClusterTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a snapshot into a database, under new names or onto another server.",
                "Refuses a target that holds data unless --drop; never writes into the source in place."})
final class RestoreCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @Option(names = "--snapshot", paramLabel = "ID",
            description = "Snapshot id, a unique prefix of it, or 'latest' (the default without --at).")
    String snapshot;

    @Option(names = "--at", paramLabel = "TIME", description = {"Restore the state at TIME, inclusive: after every event at or before it.",
            "'2026-11-17 14:01:30' (in --tz), an ISO time with offset, -15m (relative), or a cluster time 1763387590,12."})
    String at;

    @Option(names = "--tz", defaultValue = "UTC", paramLabel = "ZONE", description = "Time zone of --at. Default: ${DEFAULT-VALUE}.")
    String tz;

    @Option(names = "--uri", required = true, description = "Connection string of the target server.")
    String uri;

    @Option(names = "--ns-from", paramLabel = "PATTERN", description = "Namespaces to restore, with * captures, e.g. 'famigo.*'.")
    String nsFrom;

    @Option(names = "--ns-to", paramLabel = "PATTERN", description = "Where they go, each * filled from --ns-from, e.g. 'famigo_restored.*'.")
    String nsTo;

    @Option(names = "--to-db", paramLabel = "DB", description = "Restore every selected collection into database DB.")
    String toDb;

    @Option(names = "--drop", description = "Drop target collections that hold data before restoring into them.")
    boolean drop;

    @Option(names = "--threads", defaultValue = "4", description = "Parallel insert threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--memory-docs", defaultValue = "2000000", paramLabel = "N",
            description = {"With --at: hold at most N documents touched by the log in memory; a larger window is",
                    "merged in several passes over the snapshot. Default: ${DEFAULT-VALUE}."})
    long memoryDocs;

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        if (at != null && snapshot != null) {
            throw RewindException.usage("use either --at or --snapshot", "--at picks the snapshot itself");
        }
        java.time.Instant now = java.time.Instant.now();
        ClusterTime target = at == null ? null : PointInTime.parse(at, tz, now);
        Repository r = repoOptions.open(repo);
        if (target != null) {
            target = PointInTime.parse(at, tz, now, new dev.rewind.repo.WallTimes(r));  // by the events' wall times
        }
        SnapshotManifest m;
        LogPasses log = null;
        RestorePlan plan;
        if (target != null) {
            PointInTimePlan pitr = PointInTimePlan.of(r.snapshots(), r.segmentNames(), target);
            m = pitr.snapshot();
            if (memoryDocs < 1) {
                throw RewindException.usage("--memory-docs must be at least 1", "it bounds the documents held in memory");
            }
            log = LogPasses.plan(r, pitr.segments(), m, target, memoryDocs);
            plan = RestorePlan.at(m, log.namespacesAtTarget(), nsFrom, nsTo, toDb);
        } else {
            m = r.snapshot(snapshot == null ? "latest" : snapshot);
            plan = RestorePlan.of(m, nsFrom, nsTo, toDb);
        }
        refuseInPlace(plan, m);
        var out = spec.commandLine().getOut();
        if (log != null) {
            warnAboutTheLog(plan, log, m);
        }
        if (dryRun) {
            printPlan(plan);
            return 0;
        }
        try (Connection c = Connection.open(uri)) {
            long t0 = System.nanoTime();
            List<RestoreExecutor.Restored> done = new RestoreExecutor(r, c.client(), threads,
                    TerminalProgress.on(spec.commandLine().getErr(), quiet || common.json), log).execute(plan, drop);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            long docs = done.stream().mapToLong(RestoreExecutor.Restored::documents).sum();
            long inexact = done.stream().mapToLong(RestoreExecutor.Restored::inexact).sum();
            long unknown = done.stream().mapToLong(RestoreExecutor.Restored::unknown).sum();
            if (common.json) {
                List<Document> nss = new ArrayList<>();
                done.forEach(d -> nss.add(new Document("from", d.sourceNs()).append("to", d.targetNs())
                        .append("documents", d.documents()).append("indexes", d.indexes())));
                out.println(new Document("snapshot", m.id()).append("at", target == null ? null : target.toString())
                        .append("events", log == null ? 0 : log.events()).append("documents", docs)
                        .append("seconds", took.toMillis() / 1000.0).append("inexact", inexact).append("unknown", unknown)
                        .append("namespaces", nss).toJson());
            } else {
                out.printf("restored snapshot %s%s in %s%n", m.id(), target == null ? ""
                        : " + " + log.events() + " logged changes to " + PointInTime.describe(target), Units.duration(took));
                for (RestoreExecutor.Restored d : done) {
                    out.printf("  %-32s -> %-32s %12s docs %3d indexes%n", d.sourceNs(), d.targetNs(),
                            Units.count(d.documents()), d.indexes());
                }
                out.printf("  %s documents, %,.0f docs/s%n", Units.count(docs), docs / Math.max(1e-3, took.toNanos() / 1e9));
                if (inexact + unknown > 0) {
                    spec.commandLine().getErr().printf("warning: %d documents were rebuilt from a later lookup (updateLookup) and may"
                            + " show later changes; %d could not be rebuilt and were left out%n", inexact, unknown);
                }
            }
        }
        return 0;
    }

    /**
     * What the log cannot tell: change streams never report writes to a time-series collection (they
     * go to its system.buckets collection; notes §8), so its measurements are as in the snapshot; and
     * renames from collections the repository never held.
     */
    private void warnAboutTheLog(RestorePlan plan, LogPasses log, SnapshotManifest m) {
        var err = spec.commandLine().getErr();
        for (RestorePlan.Item i : plan.items()) {
            if ("timeseries".equals(i.source().type())) {
                boolean inSnapshot = m.namespace(i.source().ns()) != null;
                err.printf("note: %s is a time-series collection: change streams do not report its writes, so %s%n",
                        i.source().ns(), inSnapshot ? "its measurements are as in snapshot " + m.id() + " ("
                                + PointInTime.describe(m.endAt()) + "), not as at the target time"
                                : "it is restored with its options but empty (it was created after snapshot " + m.id() + ")");
            }
        }
        log.catalog().warnings().forEach(w -> err.println("warning: " + w));
    }

    private void printPlan(RestorePlan plan) {
        var out = spec.commandLine().getOut();
        if (common.json) {
            List<Document> items = new ArrayList<>();
            plan.items().forEach(i -> items.add(new Document("from", i.source().ns()).append("to", i.targetNs())
                    .append("documents", i.source().documents()).append("objects", i.source().objects().size())));
            out.println(new Document("snapshot", plan.snapshot().id()).append("dryRun", true).append("items", items).toJson());
            return;
        }
        out.printf("would restore snapshot %s (dry run: nothing written)%n", plan.snapshot().id());
        plan.items().forEach(i -> out.printf("  %-32s -> %-32s %12s docs%n", i.source().ns(), i.targetNs(),
                Units.count(i.source().documents())));
    }

    /** A restore that keeps names onto the server it was taken from would overwrite the source. */
    private void refuseInPlace(RestorePlan plan, SnapshotManifest m) {
        if (!plan.keepsAnyName()) {
            return;
        }
        if (sameHosts(uri, m.source())) {
            throw new RewindException(ExitCode.REFUSED, "this restore would write into the source database in place ("
                    + plan.items().stream().filter(i -> i.targetNs().equals(i.source().ns())).findFirst().get().targetNs() + ")",
                    "restore under other names with --to-db DB or --ns-from/--ns-to, and copy back what you need");
        }
    }

    static boolean sameHosts(String a, String b) {
        try {
            return new HashSet<>(normalize(new ConnectionString(a).getHosts()))
                    .equals(new HashSet<>(normalize(new ConnectionString(b).getHosts())));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<String> normalize(List<String> hosts) {
        return hosts.stream().map(h -> h.toLowerCase().replace("localhost", "127.0.0.1"))
                .map(h -> h.contains(":") ? h : h + ":27017").toList();
    }
}
