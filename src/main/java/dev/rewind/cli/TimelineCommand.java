package dev.rewind.cli;

import dev.rewind.NamespacePattern;
import dev.rewind.PointInTime;
import dev.rewind.RewindException;
import dev.rewind.event.ClusterTime;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.timeline.BucketSize;
import dev.rewind.timeline.BurstRule;
import dev.rewind.timeline.Counts;
import dev.rewind.timeline.NamespaceTimeline;
import dev.rewind.timeline.Timeline;
import dev.rewind.timeline.TimelineReader;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "timeline", mixinStandardHelpOptions = true,
        description = {"Show what the change log recorded, per namespace and interval: inserts, updates (replaces"
                + " included), deletes, drops and Rewind's own writes, with a sparkline of every change and bursts"
                + " marked '<< burst'; runs of empty intervals are left out.",
                "A burst is a bucket whose deletes (or total events) are at least " + BurstRule.FACTOR
                        + " times the namespace's median bucket and at least " + BurstRule.MIN_EVENTS + ".",
                "Reads the change log segment by segment; memory grows with buckets, not events."})
final class TimelineCommand implements Callable<Integer> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Option(names = "--ns", paramLabel = "PATTERN", description = "Namespaces to show, e.g. 'famigo.*' (repeatable). Default: all.")
    List<String> ns = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME", description = {"Start of the range (default: the start of the log).",
            "Same forms as 'restore --at': '2026-11-17 14:01:30' (in --tz), an ISO time with offset, -15m, or a"
                    + " cluster time 1763387590,12. A wall time includes its whole second; a cluster time is exclusive."})
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the range, inclusive (default: the end of the log). Same forms as --from.")
    String to;

    @Option(names = "--by", paramLabel = "WIDTH", description = {"Bucket width: second, minute, hour, day, or a duration such as 5m.",
            "Default: chosen so that the range gives 20 to 60 rows."})
    String by;

    @Option(names = "--tz", defaultValue = "UTC", paramLabel = "ZONE",
            description = "Time zone of --from/--to, of bucket boundaries, and of an extra time column. Default: ${DEFAULT-VALUE}.")
    String tz;

    @Override
    public Integer call() {
        repo = common.settings().repo(repo);
        ZoneId zone = zone(tz);
        Instant now = Instant.now();
        ClusterTime start = from == null ? null : startOf(PointInTime.parse(from, tz, now));
        ClusterTime end = to == null ? null : PointInTime.parse(to, tz, now);
        if (start != null && end != null && !end.isAfter(start)) {
            throw RewindException.usage("--to (" + PointInTime.describe(end) + ") is not after --from ("
                    + PointInTime.describe(start) + ")", "give a --to later than --from");
        }
        List<NamespacePattern> patterns = NamespacePattern.parseAll(ns);
        BucketSize width = by == null ? null : BucketSize.parse(by);
        Repository r = DamageWarnings.open(repoOptions, repo, spec);
        try (dev.rewind.repo.ReadMark mark = Reading.mark(r, spec)) {
            List<SegmentName> log = r.segmentNames();
            PrintWriter out = spec.commandLine().getOut();
            if (log.isEmpty()) {
                return empty(out, "the repository has no change log yet (start one with: " + dev.rewind.Shell.rewind("capture",
                        "--repo", r.location(), "--uri", r.snapshots().isEmpty() ? "mongodb://HOST/" : r.snapshots().get(0).source()) + ")");
            }
            start = start != null ? start : log.get(0).from();
            end = end != null ? end : log.get(log.size() - 1).to();
            if (!end.isAfter(start)) {
                return empty(out, "no changes recorded between " + PointInTime.describe(start) + " and " + PointInTime.describe(end));
            }
            long firstSecond = start.unsignedIncrement() == 0xFFFF_FFFFL ? start.seconds() + 1 : start.seconds();
            width = width != null ? width : BucketSize.choose(end.seconds() - firstSecond + 1);
            Timeline timeline = new Timeline(start, end, width, zone, patterns);
            TimelineReader.read(r, log, timeline);
            if (timeline.events() == 0) {
                if (!patterns.isEmpty()) {
                    refuseUnknown(r, log, timeline, patterns);
                }
                return empty(out, "no changes" + (patterns.isEmpty() ? "" : " to " + String.join(", ", ns)) + " recorded between "
                        + PointInTime.describe(start) + " and " + PointInTime.describe(end));
            }
            if (common.json) {
                out.println(json(timeline).toJson());
            } else {
                text(out, timeline);
            }
            return 0;
        }
    }

    /** A wall time names its whole second: the range starts just before it. */
    static ClusterTime startOf(ClusterTime parsed) {
        return parsed.unsignedIncrement() == 0xFFFF_FFFFL ? new ClusterTime(parsed.seconds(), 0) : parsed;
    }

    private static ZoneId zone(String tz) {
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw RewindException.usage("unknown time zone '" + tz + "'", "use a region such as Europe/Berlin, or UTC");
        }
    }

    /** Patterns that match no namespace of the whole log or of any snapshot: an unknown namespace (exit 8). */
    private static void refuseUnknown(Repository r, List<SegmentName> log, Timeline seen, List<NamespacePattern> patterns) {
        Set<String> known = new TreeSet<>(seen.namespacesSeen());
        for (SnapshotManifest m : r.snapshots()) {
            m.namespaces().forEach(n -> known.add(n.ns()));
        }
        if (known.stream().noneMatch(n -> NamespacePattern.anyMatches(patterns, n))) {
            known.addAll(TimelineReader.namespaces(r, log));
        }
        if (known.stream().noneMatch(n -> NamespacePattern.anyMatches(patterns, n))) {
            String list = String.join(", ", known);
            throw RewindException.notFound("no namespace in the change log or the snapshots matches "
                            + String.join(", ", patterns.stream().map(Object::toString).toList()),
                    known.isEmpty() ? "the repository records no namespace yet"
                            : "the repository has: " + (list.length() > 300 ? list.substring(0, 300) + "..." : list));
        }
    }

    private int empty(PrintWriter out, String message) {
        if (common.json) {
            out.println(new Document("events", 0).append("message", message).append("namespaces", List.of()).toJson());
        } else {
            out.println(message);
        }
        return 0;
    }

    private void text(PrintWriter out, Timeline t) {
        boolean local = !t.zone().equals(ZoneOffset.UTC) && !t.zone().getId().equals("UTC");
        out.printf("changes from %s to %s, by %s; %s%n", PointInTime.describe(t.from()), PointInTime.describe(t.to()),
                t.size().label(), BurstRule.describe());
        for (NamespaceTimeline n : t.namespaces()) {
            Counts c = n.totals();
            out.println();
            out.printf("%s  %s, %s, %s, %s, %s%s%n", n.ns(), Units.plural(c.inserts(), "insert"), Units.plural(c.updates(), "update"),
                    Units.plural(c.deletes(), "delete"), Units.plural(c.drops(), "drop"), Units.plural(n.bursts(), "burst"),
                    c.rewind() == 0 ? "" : "; " + Units.plural(c.rewind(), "write") + " by Rewind itself (undo or revert)");
            out.println("  changes " + n.sparkline());
            boolean rewind = c.rewind() > 0;
            List<String> header = new ArrayList<>(List.of("time (UTC)"));
            if (local) {
                header.add("time (" + t.zone().getId() + ")");
            }
            header.addAll(List.of("inserts", "updates", "deletes", "drops"));
            if (rewind) {
                header.add("by Rewind");
            }
            header.add("");
            TextTable table = new TextTable(header.toArray(String[]::new));
            List<NamespaceTimeline.Bucket> buckets = n.buckets();
            for (int i = 0; i < buckets.size(); i++) {
                int run = 0;
                while (i + run < buckets.size() && buckets.get(i + run).counts().isEmpty()) {
                    run++;
                }
                if (run >= 2) {
                    table.note("... " + Units.count(run) + " " + t.size().label() + (t.size().label().matches("\\d.*") ? " buckets" : "s")
                            + " without changes");
                    i += run - 1;
                    continue;
                }
                NamespaceTimeline.Bucket b = buckets.get(i);
                Counts k = b.counts();
                List<Object> row = new ArrayList<>(List.of(WHEN.format(Instant.ofEpochSecond(b.start()).atZone(ZoneOffset.UTC))));
                if (local) {
                    row.add(WHEN.format(Instant.ofEpochSecond(b.start()).atZone(t.zone())));
                }
                row.addAll(List.of(Units.count(k.inserts()), Units.count(k.updates()), Units.count(k.deletes()), Units.count(k.drops())));
                if (rewind) {
                    row.add(Units.count(k.rewind()));
                }
                row.add(b.burst() ? Terminal.stdout(spec).string("@|bold,red << burst|@") : "");
                table.row(row.toArray());
            }
            table.print(out, "  ");
        }
    }

    private static Document json(Timeline t) {
        List<Document> namespaces = new ArrayList<>();
        for (NamespaceTimeline n : t.namespaces()) {
            List<Document> buckets = new ArrayList<>();
            for (NamespaceTimeline.Bucket b : n.buckets()) {
                Document d = new Document("start", Instant.ofEpochSecond(b.start()).toString())
                        .append("startSeconds", b.start());
                if (!t.zone().getId().equals("UTC")) {
                    d.append("startLocal", Instant.ofEpochSecond(b.start()).atZone(t.zone()).toOffsetDateTime().toString());
                }
                buckets.add(counts(d, b.counts()).append("rewind", b.counts().rewind()).append("burst", b.burst()));
            }
            namespaces.add(counts(new Document("ns", n.ns()), n.totals()).append("rewind", n.totals().rewind())
                    .append("bursts", n.bursts()).append("burstBuckets", n.burstBuckets().size())
                    .append("sparkline", n.sparkline()).append("deleteSparkline", n.deleteSparkline()).append("buckets", buckets));
        }
        return new Document("from", t.from().toString()).append("to", t.to().toString())
                .append("fromTime", Instant.ofEpochSecond(t.from().seconds()).toString())
                .append("toTime", Instant.ofEpochSecond(t.to().seconds()).toString())
                .append("bucket", t.size().label()).append("bucketSeconds", t.size().seconds())
                .append("zone", t.zone().getId()).append("burstRule", BurstRule.describe())
                .append("events", t.events()).append("namespaces", namespaces);
    }

    private static Document counts(Document d, Counts c) {
        return d.append("inserts", c.inserts()).append("updates", c.updates()).append("deletes", c.deletes())
                .append("drops", c.drops()).append("total", c.total());
    }
}
