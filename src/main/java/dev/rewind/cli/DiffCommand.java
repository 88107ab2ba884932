package dev.rewind.cli;

import dev.rewind.PointInTime;
import dev.rewind.RewindException;
import dev.rewind.diff.DiffPlan;
import dev.rewind.diff.DiffReport;
import dev.rewind.diff.FieldChange;
import dev.rewind.diff.LiveVersions;
import dev.rewind.diff.StateDiff;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.mongo.Connection;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.bson.BsonDocument;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show which documents of one collection were added, removed and changed between two points in"
                + " time (--at and --to), or between a point and the live database (--at and --live --uri).",
                "Only documents the change log touched after --at can differ, so only they are read and compared"
                        + " (a dropped collection is the exception: then every document at --at is removed).",
                "With --live, changes not yet captured are not seen as touched: run it while capture is current."})
final class DiffCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Option(names = "--ns", required = true, paramLabel = "DB.COLL", description = "The collection to compare, e.g. famigo.family.")
    String ns;

    @Option(names = "--at", required = true, paramLabel = "TIME", description = {"The first point, inclusive (the state after every event at or before it).",
            "'2026-11-17 14:01:30' (in --tz), an ISO time with offset, -15m (relative), or a cluster time 1763387590,12."})
    String at;

    @Option(names = "--to", paramLabel = "TIME", description = "The second point, inclusive; same forms as --at.")
    String to;

    @Option(names = "--live", description = "Compare with the live database at --uri instead of a second point.")
    boolean live;

    @Option(names = "--uri", paramLabel = "URI", description = "Connection string of the live database (with --live).")
    String uri;

    @Option(names = "--memory-docs", paramLabel = "N",
            description = {"Hold at most N documents touched by the log in memory at once; a larger log is read in several "
                    + "passes. Default: one per 4 KiB of the heap."})
    Long memoryDocs;

    @Option(names = "--samples", defaultValue = "5", paramLabel = "N", description = "Documents to show of each kind. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--tz", defaultValue = "UTC", paramLabel = "ZONE", description = "Time zone of --at and --to. Default: ${DEFAULT-VALUE}.")
    String tz;

    @Override
    public Integer call() {
        repo = common.settings().repo(repo);
        Namespace collection = collection(ns);
        if (live == (to != null)) {
            throw RewindException.usage(live ? "use either --to or --live, not both" : "say what to compare --at with",
                    "give --to TIME for a second point, or --live --uri URI for the live database");
        }
        if (live) {
            uri = common.settings().uri(uri);
        }
        if (!live && uri != null) {
            throw RewindException.usage("--uri is only for --live", "add --live to compare with the live database");
        }
        if (samples < 0) {
            throw RewindException.usage("--samples must be 0 or more, not " + samples, "for example --samples 10");
        }
        Instant now = Instant.now();
        ClusterTime first = PointInTime.parse(at, tz, now);
        ClusterTime second = to == null ? null : PointInTime.parse(to, tz, now);
        if (second != null && !second.isAfter(first)) {
            throw RewindException.usage("--to (" + PointInTime.describe(second) + ") is not after --at ("
                    + PointInTime.describe(first) + ")", "give a --to later than --at");
        }
        Repository r = DamageWarnings.open(repoOptions, repo, spec);
        try (dev.rewind.repo.ReadMark mark = Reading.mark(r, spec)) {
            var wall = new dev.rewind.repo.WallTimes(r);  // wall times by the events' own wall times
            first = PointInTime.parse(at, tz, now, wall);
            second = to == null ? null : PointInTime.parse(to, tz, now, wall);
            List<SegmentName> log = r.segmentNames();
            if (live) {
                if (log.isEmpty()) {
                    throw RewindException.notFound("the repository at " + r.location() + " has no change log",
                            "start one with: " + dev.rewind.Shell.rewind("capture", "--repo", r.location(), "--uri", uri));
                }
                second = log.get(log.size() - 1).to();
                second = second.isBefore(first) ? first : second;  // --at after the log: PointInTimePlan names the windows
            }
            DiffPlan plan = DiffPlan.of(r.snapshots(), log, collection, first, second);
            StateDiff.Result result;
            long perPass = MemoryDocs.of(memoryDocs);
            if (live) {
                try (Connection c = Connection.open(uri)) {
                    result = new StateDiff(r, plan).run(samples, new LiveVersions(
                            c.client().getDatabase(collection.db()).getCollection(collection.coll(), BsonDocument.class)), perPass);
                }
            } else {
                result = new StateDiff(r, plan).run(samples, null, perPass);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (common.json) {
                out.println(json(plan, result).toJson());
            } else {
                text(out, plan, result);
            }
            return 0;
        }
    }

    private static Namespace collection(String text) {
        if (text.contains("*") || !text.contains(".") || text.startsWith(".") || text.endsWith(".")) {
            throw RewindException.usage("--ns takes one collection, not '" + text + "'", "write DB.COLLECTION, e.g. famigo.family");
        }
        return Namespace.parse(text);
    }

    private void text(PrintWriter out, DiffPlan plan, StateDiff.Result res) {
        DiffReport d = res.report();
        out.printf("%s: %s .. %s%n", plan.ns(), PointInTime.describe(plan.at()),
                live ? "live (the log reaches " + PointInTime.describe(plan.to()) + ")" : PointInTime.describe(plan.to()));
        out.printf("  %s documents touched in between: %s added, %s removed, %s changed, %s unchanged%n",
                Units.count(res.touched()), Units.count(d.added().count()), Units.count(d.removed().count()),
                Units.count(d.changed().count()), Units.count(d.unchanged()));
        if (d.uncertain().count() > 0) {
            out.printf("  %s documents could not be compared (the log does not settle their state)%n",
                    Units.count(d.uncertain().count()));
        }
        if (res.countAt() != null) {
            long diff = res.countLive() - res.countAt();
            out.printf("  count at the first point %s, live %s (%s%s)%n", Units.count(res.countAt()), Units.count(res.countLive()),
                    diff >= 0 ? "+" : "", Units.count(diff));
        }
        samples(out, "added", d.added());
        samples(out, "removed", d.removed());
        samples(out, "changed", d.changed());
        samples(out, "uncertain", d.uncertain());
    }

    private static void samples(PrintWriter out, String label, DiffReport.Kind kind) {
        if (kind.samples().isEmpty()) {
            return;
        }
        out.printf("%s (%d of %s):%n", label, kind.samples().size(), Units.count(kind.count()));
        for (DiffReport.Sample s : kind.samples()) {
            String fields = s.fields().stream().map(FieldChange::toString).collect(Collectors.joining("; "));
            out.println("  _id " + FieldChange.show(s.id()) + (fields.isEmpty() ? "" : "  " + fields));
        }
    }

    private Document json(DiffPlan plan, StateDiff.Result res) {
        DiffReport d = res.report();
        Document doc = new Document("ns", plan.ns().toString()).append("at", plan.at().toString())
                .append("atTime", Instant.ofEpochSecond(plan.at().seconds()).toString());
        if (live) {
            doc.append("live", true).append("logTo", plan.to().toString());
        } else {
            doc.append("to", plan.to().toString()).append("toTime", Instant.ofEpochSecond(plan.to().seconds()).toString());
        }
        doc.append("touched", res.touched()).append("passes", res.passes()).append("added", kind(d.added())).append("removed", kind(d.removed()))
                .append("changed", kind(d.changed())).append("unchanged", d.unchanged()).append("uncertain", kind(d.uncertain()));
        if (res.countAt() != null) {
            doc.append("countAt", res.countAt()).append("countLive", res.countLive())
                    .append("countDifference", res.countLive() - res.countAt());
        }
        return doc;
    }

    private static Document kind(DiffReport.Kind kind) {
        List<Document> samples = new ArrayList<>();
        for (DiffReport.Sample s : kind.samples()) {
            Document sample = new Document("_id", s.id());
            if (!s.fields().isEmpty()) {
                List<Document> fields = new ArrayList<>();
                s.fields().forEach(f -> fields.add(new Document("field", f.field())
                        .append("before", FieldChange.show(f.before())).append("after", FieldChange.show(f.after()))));
                sample.append("fields", fields);
            }
            samples.add(sample);
        }
        return new Document("count", kind.count()).append("samples", samples);
    }
}
