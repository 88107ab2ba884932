package dev.rewind.cli;

import dev.rewind.PointInTime;
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

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @Override
    public Integer call() throws IOException {
        Repository r = repoOptions.open(repo);
        CaptureStatus cs = CaptureStatus.load(r.store());
        WriterLock.Holder holder = WriterLock.current(r.store());
        boolean running = holder != null && holder.command().equals("rewind capture") && !holder.isStale();
        List<SegmentName> segments = r.segmentNames();
        List<SnapshotManifest> snapshots = r.snapshots();
        List<LogCoverage.Window> windows = LogCoverage.windows(snapshots, segments);
        List<LogCoverage.Chain> chains = LogCoverage.chains(segments);
        List<Gap> gaps = r.gaps();
        ClusterTime covered = segments.isEmpty() ? null : segments.get(segments.size() - 1).to();
        Long lag = covered == null ? null : Math.max(0, Instant.now().getEpochSecond() - covered.seconds());
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
                        .append("reason", reason(gaps, chains.get(i - 1).to())));
            }
            out.println(new Document("capture", running ? "running" : cs == null ? "never ran" : "stopped")
                    .append("mode", cs == null ? null : cs.mode()).append("lacks", cs == null ? List.of() : cs.lacks())
                    .append("imageCollections", cs == null ? List.of() : cs.images())
                    .append("coveredTo", covered == null ? null : covered.toString()).append("lagSeconds", lag)
                    .append("segments", segments.size()).append("events", cs == null ? null : cs.events())
                    .append("sealMillis", cs == null ? null : cs.sealMillis())
                    .append("lastError", cs == null ? null : cs.lastError())
                    .append("snapshots", snapshots.size())
                    .append("lastSnapshot", snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1).id())
                    .append("windows", ws).append("gaps", gs).append("snapshotOnly", timeSeries).toJson());
            return 0;
        }
        out.println("repository   " + r.location());
        if (cs == null) {
            out.println("capture      never ran here (start it with 'rewind capture --uri ... --repo " + repo + "')");
        } else {
            out.println("capture      " + (running ? "running (pid " + holder.pid() + " on " + holder.host() + ")" : "not running")
                    + ", " + cs.mode() + " mode, seal interval " + cs.sealMillis() + " ms");
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
        out.println("log          " + segments.size() + " segments" + (cs == null ? "" : ", " + cs.events() + " events")
                + (covered == null ? "" : ", durable up to " + PointInTime.describe(covered)
                + (running ? ", lag " + lag + " s" : "")));
        out.println("snapshots    " + snapshots.size() + (snapshots.isEmpty() ? ""
                : ", last " + snapshots.get(snapshots.size() - 1).id() + " at "
                + snapshots.get(snapshots.size() - 1).finished()));
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
                    + PointInTime.describe(chains.get(i).from()) + "  " + reason(gaps, chains.get(i - 1).to()));
        }
        return 0;
    }

    private static String reason(List<Gap> gaps, ClusterTime from) {
        return gaps.stream().filter(g -> g.from().equals(from)).map(Gap::reason).findFirst()
                .orElse("(capture was not running)");
    }
}
