package dev.rewind.cli;

import dev.rewind.PointInTime;
import dev.rewind.Shell;
import dev.rewind.diff.FieldChange;
import dev.rewind.event.ClusterTime;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.undo.Journal;
import dev.rewind.undo.Journals;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "journals", mixinStandardHelpOptions = true,
        description = {"List the journals of every write Rewind made to a live database: what each undo took back"
                + " (an incident or a window), what it wrote, and whether a revert took it back.",
                "'rewind journals show ID' shows one journal, document by document."},
        subcommands = JournalsCommand.Show.class)
final class JournalsCommand implements Callable<Integer> {
    @Mixin Common common;
    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Repository r = Repositories.open(common.settings().repo(repo));
        List<Journals.Summary> all = Journals.list(r.store());
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            List<Document> docs = new ArrayList<>();
            all.forEach(j -> docs.add(json(j, all)));
            out.println(new Document("journals", docs).toJson());
            return 0;
        }
        if (all.isEmpty()) {
            out.println("no journals in " + r.location() + ": 'rewind undo --apply' writes one");
            return 0;
        }
        for (Journals.Summary j : all) {
            out.printf("journal %s  %s%n", j.id(), what(j));
            out.printf("  ran      %s .. %s%n", dev.rewind.HumanTime.of(j.started()),
                    j.finished() == null ? "interrupted (no done file)" : dev.rewind.HumanTime.of(j.finished()));
            out.printf("  target   %s%n", j.header().getString("uri"));
            if (j.header().getString("from") != null) {
                out.printf("  window   %s .. %s  %s%n", PointInTime.describe(ClusterTime.parse(j.header().getString("from"))),
                        PointInTime.describe(ClusterTime.parse(j.header().getString("to"))), scope(j.header()));
            }
            out.printf("  wrote    %s%n", wrote(j));
            Journals.Summary by = Journals.revertOf(all, j.id());
            if (by != null) {
                out.printf("  reverted by journal %s%n", by.id());
            }
        }
        out.println();
        out.println("one journal, document by document: " + Shell.rewind("journals", "show", all.get(all.size() - 1).id(),
                "--repo", r.location()));
        return 0;
    }

    static String what(Journals.Summary j) {
        if (j.isRevert()) {
            return "undo --revert " + j.reverts();
        }
        return j.incident() != null ? "undo --incident " + j.incident() : "undo";
    }

    static String wrote(Journals.Summary j) {
        Map<String, Long> w = j.written();
        if (w.isEmpty()) {
            return j.finished() == null ? "unknown (interrupted; the batches below say what it meant to write)" : "nothing";
        }
        List<String> parts = new ArrayList<>();
        w.forEach((k, n) -> parts.add(Units.count(n) + " " + k));
        Object conflicts = j.done().get("conflicts");
        if (conflicts instanceof Number n && n.longValue() > 0) {
            parts.add(Units.count(n.longValue()) + " left as conflicts");
        }
        return String.join(", ", parts);
    }

    /** What one entry did to its document: inserted, deleted, or the top-level fields it changed. */
    private static String change(Journal.Entry e) {
        if (e.before() == null) {
            return e.after() == null ? "nothing (absent before and after)" : "inserted";
        }
        if (e.after() == null) {
            return "deleted";
        }
        List<FieldChange> fields = FieldChange.between(e.before(), e.after());
        return fields.isEmpty() ? "replaced by the same fields" : String.join("; ", fields.stream().map(FieldChange::toString).toList());
    }

    private static String scope(Document header) {
        List<?> ns = header.getList("ns", Object.class);
        List<?> ops = header.getList("ops", Object.class);
        return (ns == null || ns.isEmpty() ? "all namespaces" : String.join(", ", ns.stream().map(String::valueOf).toList()))
                + (ops == null ? "" : " (" + String.join(", ", ops.stream().map(String::valueOf).toList()) + ")");
    }

    private static Document json(Journals.Summary j, List<Journals.Summary> all) {
        Journals.Summary by = Journals.revertOf(all, j.id());
        Document written = new Document();
        j.written().forEach(written::append);
        return new Document("id", j.id()).append("command", what(j)).append("header", j.header()).append("done", j.done())
                .append("written", written).append("batches", j.batches().size())
                .append("revertedBy", by == null ? null : by.id());
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one journal: what it was, its counts by namespace and action, and sample documents.")
    static final class Show implements Callable<Integer> {
        @Mixin Common common;
        @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The journal id (see 'rewind journals').")
        String id;

        @Option(names = "--samples", defaultValue = "5", paramLabel = "N", description = "Documents to show per namespace and action. Default: ${DEFAULT-VALUE}.")
        int samples;

        @Override
        public Integer call() {
            Repository r = Repositories.open(common.settings().repo(repo));
            Journals.Summary j = Journals.get(r.store(), id);
            // read a batch at a time: counts, and the first entries of each namespace and action
            Map<String, Map<String, long[]>> counted = new TreeMap<>();
            Map<String, Map<String, List<Journal.Entry>>> by = new TreeMap<>();
            long[] total = {0};
            Journal.batches(r.store(), id, batch -> batch.forEach(e -> {
                total[0]++;
                counted.computeIfAbsent(e.ns(), k -> new TreeMap<>()).computeIfAbsent(e.action(), k -> new long[1])[0]++;
                List<Journal.Entry> kept = by.computeIfAbsent(e.ns(), k -> new TreeMap<>()).computeIfAbsent(e.action(), k -> new ArrayList<>());
                if (kept.size() < samples) {
                    kept.add(e);
                }
            }));
            long entries = total[0];
            PrintWriter out = spec.commandLine().getOut();
            if (common.json) {
                Document counts = new Document();
                counted.forEach((ns, m) -> {
                    Document d = new Document();
                    m.forEach((a, n) -> d.append(a, n[0]));
                    counts.append(ns, d);
                });
                out.println(json(j, Journals.list(r.store())).append("entries", entries).append("counts", counts).toJson());
                return 0;
            }
            out.printf("journal %s  %s%n", j.id(), what(j));
            out.printf("  ran      %s .. %s%n", dev.rewind.HumanTime.of(j.started()),
                    j.finished() == null ? "interrupted (no done file)" : dev.rewind.HumanTime.of(j.finished()));
            out.printf("  target   %s%n", j.header().getString("uri"));
            if (j.header().getString("from") != null) {
                out.printf("  window   %s .. %s  %s%n", PointInTime.describe(ClusterTime.parse(j.header().getString("from"))),
                        PointInTime.describe(ClusterTime.parse(j.header().getString("to"))), scope(j.header()));
            }
            out.printf("  wrote    %s%n", wrote(j));
            out.printf("  %s %s in %s %s%n", Units.count(entries), entries == 1 ? "entry" : "entries",
                    Units.count(j.batches().size()), j.batches().size() == 1 ? "batch" : "batches");
            by.forEach((ns, m) -> m.forEach((action, list) -> {
                out.printf("  %s  %s %s, e.g.:%n", ns, Units.count(counted.get(ns).get(action)[0]), action);
                for (Journal.Entry e : list) {
                    out.printf("    _id %s  %s%n", FieldChange.show(e.id()), change(e));
                }
            }));
            Journals.Summary revertedBy = Journals.revertOf(Journals.list(r.store()), j.id());
            out.println(revertedBy != null ? "  reverted by journal " + revertedBy.id()
                    : "  take it back (dry run; add --apply): " + Shell.rewind("undo", "--repo", r.location(), "--uri",
                    j.header().getString("uri"), "--revert", j.id()));
            return 0;
        }
    }
}
