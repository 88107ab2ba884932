package dev.rewind.cli;

import dev.rewind.HumanTime;
import dev.rewind.PointInTime;
import dev.rewind.Shell;
import dev.rewind.capture.CaptureStatus;
import dev.rewind.event.ClusterTime;
import dev.rewind.repo.Gap;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.WriterLock;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show capture mode, lag, restorable windows, gaps and the last snapshot of a repository.")
final class StatusCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Override
    public Integer call() throws IOException {
        repo = common.settings().repo(repo);
        Repository r = DamageWarnings.open(repoOptions, repo, spec);
        CaptureStatus cs;
        try {
            cs = CaptureStatus.load(r.store());
        } catch (dev.rewind.RewindException damaged) {
            spec.commandLine().getErr().println("warning: " + damaged.getMessage());
            cs = null;
        }
        WriterLock.Holder holder = WriterLock.current(r.store());
        boolean running = holder != null && RunningCapture.COMMAND.equals(holder.command()) && !holder.isStale();
        List<String> readers = dev.rewind.repo.ReadMark.reading(r.store()).stream().map(dev.rewind.repo.ReadMark.Reader::describe)
                .toList();
        StatusChecks checks = new StatusChecks(r, r.segmentNames());
        List<SegmentName> segments = checks.usable;
        List<SnapshotManifest> snapshots = r.snapshots();
        List<LogCoverage.Window> windows = LogCoverage.windows(snapshots, segments);
        List<LogCoverage.Chain> chains = LogCoverage.chains(segments);
        List<Gap> gaps = r.gaps();
        ClusterTime covered = segments.isEmpty() ? null : segments.get(segments.size() - 1).to();
        // lag means something only while capture runs: how far behind now the durable position is
        Long lag = covered == null || !running ? null : Math.max(0, Instant.now().getEpochSecond() - covered.seconds());
        var out = spec.commandLine().getOut();
        // change streams never report writes to a time-series collection (they go to system.buckets.<name>,
        // which streams leave out; notes §8): point in time, such a collection is as in the snapshot
        List<String> timeSeries = snapshots.isEmpty() ? List.of() : snapshots.get(snapshots.size() - 1).namespaces().stream()
                .filter(n -> "timeseries".equals(n.type())).map(n -> n.ns()).toList();
        if (common.json) {
            List<Document> ws = new ArrayList<>();
            windows.forEach(w -> ws.add(new Document("from", w.from().toString()).append("to", w.to().toString())
                    .append("fromTime", Instant.ofEpochSecond(w.from().seconds()).toString())
                    .append("toTime", Instant.ofEpochSecond(w.to().seconds()).toString()).append("snapshot", w.snapshotId())));
            List<Document> gs = new ArrayList<>();
            for (int i = 1; i < chains.size(); i++) {
                gs.add(new Document("from", chains.get(i - 1).to().toString()).append("to", chains.get(i).from().toString())
                        .append("reason", reason(gaps, chains.get(i - 1), chains.get(i), checks)));
            }
            Document json = new Document("capture", running ? "running" : cs == null ? "never ran" : "stopped")
                    .append("state", cs == null ? (running ? "starting" : null) : running ? cs.state() : "stopped")
                    .append("idle", running && idle(cs, lag))
                    .append("lastEventAt", cs == null ? null : cs.lastEventAt())
                    .append("mode", cs == null ? null : cs.mode()).append("lacks", cs == null ? List.of() : cs.lacks())
                    .append("imageCollections", cs == null ? List.of() : cs.images())
                    .append("coveredTo", covered == null ? null : covered.toString()).append("lagSeconds", lag)
                    .append("segments", segments.size()).append("events", cs == null ? null : cs.events())
                    .append("sealMillis", cs == null ? null : cs.sealMillis())
                    .append("lastError", cs == null ? null : cs.lastError())
                    .append("snapshots", snapshots.size())
                    .append("lastSnapshot", snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1).id())
                    .append("windows", ws).append("gaps", gs).append("snapshotOnly", timeSeries).append("readers", readers);
            checks.addTo(json);
            out.println(json.toJson());
            return 0;
        }
        out.println("repository   " + r.location());
        if (cs == null && !running) {
            out.println("capture      never ran here (start it with: " + Shell.rewind("capture", "--repo", r.location(), "--uri",
                    snapshots.isEmpty() ? "mongodb://HOST/" : snapshots.get(snapshots.size() - 1).source()) + ")");
        } else if (cs == null) {
            out.println("capture      running (pid " + holder.pid() + " on " + holder.host() + "), starting");
        } else {
            out.println("capture      " + (running ? "running (pid " + holder.pid() + " on " + holder.host() + ")"
                    + ("starting".equals(cs.state()) ? ", starting" : "retrying".equals(cs.state()) ? ", retrying" : "")
                    : "not running") + ", " + cs.mode() + " mode, seal interval " + Units.duration(java.time.Duration.ofMillis(cs.sealMillis())));
            for (String lack : cs.lacks()) {
                out.println("             the server lacks " + lack);
            }
            out.println("             " + (cs.images().isEmpty() ? "no captured collection records pre- and post-images"
                    + " (updates are rebuilt from their updateDescription)"
                    : "pre- and post-images recorded for " + String.join(", ", cs.images())));
            if (cs.lastError() != null) {
                out.println("last error   " + cs.lastError());
            }
        }
        for (String reader : readers) {   // while one reads, forget and prune delete nothing (README "Locks")
            out.println("reading      " + reader + ": forget and prune delete nothing meanwhile");
        }
        out.println("log          " + Units.plural(segments.size(), "segment") + (cs == null ? "" : ", " + Units.plural(cs.events(), "event"))
                + (covered == null ? "" : ", durable up to " + PointInTime.describe(covered)
                + (lag == null ? "" : ", lag " + Units.plural(lag, "second") + (idle(cs, lag) ? idleReason(cs) : ""))));
        out.println("snapshots    " + Units.count(snapshots.size()) + (snapshots.isEmpty() ? ""
                : ", last " + snapshots.get(snapshots.size() - 1).id() + " at "
                + HumanTime.of(snapshots.get(snapshots.size() - 1).finished())));
        if (windows.isEmpty()) {
            out.println("restorable   no point-in-time window yet (a window needs a snapshot taken while capture runs)");
        }
        for (LogCoverage.Window w : windows) {
            out.println("restorable   " + PointInTime.describe(w.from()) + "  ..  " + PointInTime.describe(w.to()));
        }
        if (!timeSeries.isEmpty()) {
            out.println("time-series  " + String.join(", ", timeSeries) + ": change streams do not report their writes,"
                    + " so they restore as of a snapshot, not to any second");
        }
        for (int i = 1; i < chains.size(); i++) {
            out.println("GAP          " + PointInTime.describe(chains.get(i - 1).to()) + "  ..  "
                    + PointInTime.describe(chains.get(i).from()) + "  " + reason(gaps, chains.get(i - 1), chains.get(i), checks));
        }
        checks.print(out);
        return 0;
    }

    /** Whether a lag is that of an idle capture: larger than the seal interval, with no change sealed since. */
    private static boolean idle(CaptureStatus cs, Long lag) {
        if (cs == null || lag == null || lag * 1000 <= 2 * cs.sealMillis() + 1000) {
            return false;
        }
        return cs.lastEventAt() == null || Instant.parse(cs.lastEventAt()).isBefore(Instant.now().minusMillis(2 * cs.sealMillis()));
    }

    private static String idleReason(CaptureStatus cs) {
        return " (idle: " + (cs.lastEventAt() == null ? "no change captured yet" : "no change since "
                + HumanTime.of(Instant.parse(cs.lastEventAt())))
                + "; an idle capture records its position every " + Units.duration(java.time.Duration.ofMillis(cs.idleMillis()))
                + ", as far as the server's cluster time has moved: a replica set moves it about every 10 s when idle)";
    }

    private static String reason(List<Gap> gaps, LogCoverage.Chain before, LogCoverage.Chain after, StatusChecks checks) {
        List<SegmentName> a = before.segments();
        String damaged = checks.reasonFor(a.get(a.size() - 1), after.segments().get(0));
        if (damaged != null) {
            return damaged;
        }
        ClusterTime from = before.to();
        return gaps.stream().filter(g -> g.from().equals(from)).map(Gap::reason).findFirst()
                .orElse("(capture was not running)");
    }
}
