package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.mongo.Addresses;
import dev.rewind.mongo.Connection;
import dev.rewind.mongo.Deployment;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.restore.RestoreExecutor;
import dev.rewind.restore.RestorePlan;
import dev.rewind.restore.PointInTimePlan;
import dev.rewind.restore.LogPasses;
import dev.rewind.restore.RestoreCount;
import dev.rewind.PointInTime;
import dev.rewind.event.ClusterTime;
import java.time.Duration;
import java.util.ArrayList;
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
                "Refuses a target that holds data unless --drop; writes into the source under the same names only with"
                        + " --in-place, and only into collections that are gone or empty."})
final class RestoreCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Option(names = "--snapshot", paramLabel = "ID",
            description = "Snapshot id, a unique prefix of it, or 'latest' (the default without --at).")
    String snapshot;

    @Option(names = "--at", paramLabel = "TIME", description = {"Restore the state at TIME, inclusive: after every event at or before it.",
            "'2026-11-17 14:01:30' (in --tz), an ISO time with offset, -15m (relative), or a cluster time 1763387590,12."})
    String at;

    @Option(names = "--tz", defaultValue = "UTC", paramLabel = "ZONE", description = "Time zone of --at. Default: ${DEFAULT-VALUE}.")
    String tz;

    @Option(names = "--uri", description = "Connection string of the target server. Default: $REWIND_URI, or \"uri\" in the config file.")
    String uri;

    @Option(names = "--ns-from", paramLabel = "PATTERN", description = "Namespaces to restore, with * captures, e.g. 'famigo.*'.")
    String nsFrom;

    @Option(names = "--ns-to", paramLabel = "PATTERN", description = "Where they go, each * filled from --ns-from, e.g. 'famigo_restored.*'.")
    String nsTo;

    @Option(names = "--to-db", paramLabel = "DB", description = "Restore every selected collection into database DB.")
    String toDb;

    @Option(names = "--drop", description = "Drop target collections that hold data before restoring into them.")
    boolean drop;

    @Option(names = "--in-place", description = {"Allow restoring under the same names onto the deployment the snapshot came from,"
            + " into collections that are gone or empty (a dropped collection, back where it was). Never with --drop."})
    boolean inPlace;

    @Option(names = "--threads", defaultValue = "4", description = "Parallel insert threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--memory-docs", paramLabel = "N",
            description = {"With --at: hold at most N documents touched by the log in memory; a larger window is "
                    + "merged in several passes over the snapshot. Default: one per 4 KiB of the heap, as undo."})
    Long memoryDocs;

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        try {
            return restore();
        } finally {
            if (passes != null) {
                passes.close();   // the temporary files of a restore --at in passes
            }
            if (mark != null) {
                mark.close();
            }
        }
    }

    /** The log's passes of a restore --at, kept to be closed whatever happens. */
    private LogPasses passes;
    /** This restore's read mark, kept to be closed whatever happens. */
    private dev.rewind.repo.ReadMark mark;

    private Integer restore() throws InterruptedException {
        repo = common.settings().repo(repo);
        uri = common.settings().uri(uri);
        if (threads < 1 || threads > 64) {
            throw RewindException.usage("--threads must be from 1 to 64, not " + threads, "the default, 4, suits most servers");
        }
        if (at != null && snapshot != null) {
            throw RewindException.usage("use either --at or --snapshot", "--at picks the snapshot itself");
        }
        if (inPlace && drop) {
            throw RewindException.usage("--in-place restores only into collections that are gone or empty; it cannot go with --drop",
                    "to replace what the source holds, restore under other names and copy back what you need (or undo the change)");
        }
        java.time.Instant now = java.time.Instant.now();
        ClusterTime target = at == null ? null : PointInTime.parse(at, tz, now);
        Repository r = DamageWarnings.open(repoOptions, repo, spec);
        mark = Reading.mark(r, spec);
        if (target != null) {
            target = PointInTime.parse(at, tz, now, new dev.rewind.repo.WallTimes(r));  // by the events' wall times
        }
        SnapshotManifest m;
        LogPasses log = null;
        RestorePlan plan;
        if (target != null) {
            PointInTimePlan pitr = PointInTimePlan.of(r.snapshots(), r.segmentNames(), target);
            m = pitr.snapshot();
            log = LogPasses.plan(r, pitr.segments(), m, target, MemoryDocs.of(memoryDocs));
            passes = log;
            plan = RestorePlan.at(m, log.namespacesAtTarget(), nsFrom, nsTo, toDb);
        } else {
            m = r.snapshot(snapshot == null ? "latest" : snapshot);
            plan = RestorePlan.of(m, nsFrom, nsTo, toDb);
        }
        var out = spec.commandLine().getOut();
        if (dryRun) {
            if (plan.keepsAnyName()) {   // only then does the plan depend on which deployment --uri reaches
                try (Connection c = Connection.open(uri)) {
                    refuseInPlace(plan, m, c);
                }
            }
            if (log != null) {
                warnAboutTheLog(plan, log, m);
            }
            printPlan(r, plan, log, target);
            return 0;
        }
        try (Connection c = Connection.open(uri)) {
            refuseInPlace(plan, m, c);
            if (log != null) {
                warnAboutTheLog(plan, log, m);
            }
            long t0 = System.nanoTime();
            RestoreExecutor executor = new RestoreExecutor(r, c.client(), threads,
                    TerminalProgress.on(spec.commandLine().getErr(), quiet || common.json), log).at(target);
            List<RestoreExecutor.Restored> done = executor.execute(plan, drop);
            if (executor.resumed() > 0) {
                spec.commandLine().getErr().println("note: finished an interrupted run of this restore: " + executor.resumed()
                        + " collections were already restored by it (staged, or in place)");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            List<String> ttl = dev.rewind.restore.ExpiredByTtl.notes(c.client(), done.stream()
                    .filter(d -> d.documents() > 0).map(RestoreExecutor.Restored::targetNs).toList(), java.time.Clock.systemUTC());
            ttl.forEach(n -> spec.commandLine().getErr().println("warning: " + n));
            long docs = done.stream().mapToLong(RestoreExecutor.Restored::documents).sum();
            long inexact = done.stream().mapToLong(RestoreExecutor.Restored::inexact).sum();
            long unknown = done.stream().mapToLong(RestoreExecutor.Restored::unknown).sum();
            if (common.json) {
                List<Document> nss = new ArrayList<>();
                done.forEach(d -> nss.add(new Document("from", d.sourceNs()).append("to", d.targetNs())
                        .append("documents", d.documents()).append("indexes", d.indexes())));
                out.println(new Document("snapshot", m.id()).append("at", target == null ? null : target.toString())
                        .append("events", log == null ? 0 : log.events()).append("passes", log == null ? 0 : log.partitions())
                        .append("documents", docs)
                        .append("seconds", took.toMillis() / 1000.0).append("inexact", inexact).append("unknown", unknown)
                        .append("namespaces", nss).append("ttl", ttl).toJson());
            } else {
                out.printf("restored snapshot %s%s in %s%n", m.id(), target == null ? ""
                        : " + " + Units.plural(log.events(), "logged change") + " to " + PointInTime.describe(target), Units.duration(took));
                for (RestoreExecutor.Restored d : done) {
                    out.printf("  %-32s -> %-32s %12s docs %3d indexes%n", d.sourceNs(), d.targetNs(),
                            Units.count(d.documents()), d.indexes());
                }
                out.printf("  %s documents, %,.0f docs/s%n", Units.count(docs), docs / Math.max(1e-3, took.toNanos() / 1e9));
                if (inexact + unknown > 0) {
                    spec.commandLine().getErr().printf("warning: %s rebuilt from a later lookup (updateLookup) and may"
                            + " show later changes; %s could not be rebuilt and were left out%n", Units.plural(inexact, "document"),
                            Units.count(unknown));
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

    /** The plan, and what it will write: at a point in time, the snapshot's documents with the log merged in. */
    private void printPlan(Repository r, RestorePlan plan, LogPasses log, ClusterTime target) {
        var out = spec.commandLine().getOut();
        List<Long> counts = new ArrayList<>();
        long total = 0;
        for (RestorePlan.Item i : plan.items()) {
            long n = log == null ? i.source().documents() : RestoreCount.of(r, i, log).documents();
            counts.add(n);
            total += n;
        }
        if (common.json) {
            List<Document> items = new ArrayList<>();
            for (int k = 0; k < plan.items().size(); k++) {
                RestorePlan.Item i = plan.items().get(k);
                items.add(new Document("from", i.source().ns()).append("to", i.targetNs()).append("documents", counts.get(k))
                        .append("snapshotDocuments", i.source().documents()).append("objects", i.source().objects().size()));
            }
            out.println(new Document("snapshot", plan.snapshot().id()).append("at", target == null ? null : target.toString())
                    .append("dryRun", true).append("documents", total).append("items", items).toJson());
            return;
        }
        out.printf("would restore snapshot %s%s (dry run: nothing written)%n", plan.snapshot().id(), log == null ? ""
                : " + " + Units.plural(log.events(), "logged change") + " to " + PointInTime.describe(target));
        for (int k = 0; k < plan.items().size(); k++) {
            RestorePlan.Item i = plan.items().get(k);
            out.printf("  %-32s -> %-32s %12s docs%n", i.source().ns(), i.targetNs(), Units.count(counts.get(k)));
        }
        out.printf("  %s in all%n", Units.plural(total, "document"));
    }

    /**
     * A restore that keeps names onto the deployment it was taken from would overwrite the source.
     * The deployment is known by what it says it is (recorded in the manifest), never by how --uri
     * spells its address.
     */
    private void refuseInPlace(RestorePlan plan, SnapshotManifest m, Connection c) {
        if (!plan.keepsAnyName() || inPlace) {  // with --in-place, the check that every target is empty still holds
            return;
        }
        Deployment target = Deployment.of(c.client(), Addresses.hostsOf(uri));
        if (Deployment.isSame(m.deployment(), m.source(), target, uri)) {
            throw new RewindException(ExitCode.REFUSED, "this restore would write into the source database in place ("
                    + plan.items().stream().filter(i -> i.targetNs().equals(i.source().ns())).findFirst().get().targetNs()
                    + " on " + target.describe() + ", where snapshot " + m.id() + " was taken)",
                    "restore under other names with --to-db DB or --ns-from/--ns-to, and copy back what you need; to bring back"
                            + " collections that are gone or empty under their own names, add --in-place");
        }
    }
}
