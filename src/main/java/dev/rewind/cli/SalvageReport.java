package dev.rewind.cli;

import dev.rewind.check.RuleResult;
import dev.rewind.dump.Salvage;
import dev.rewind.undo.DocumentUndo;
import dev.rewind.undo.Outcome;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonValue;
import org.bson.Document;

/** Prints a salvage plan, or what an applied salvage did: per namespace and outcome, samples, the journal. */
final class SalvageReport {
    private final Salvage.Plan plan;
    private final List<DocumentUndo> raced;
    private final int samples;
    private final boolean applied;
    private final String dump;
    private final String journal;
    private final String revert;
    private final List<RuleResult> refs;

    SalvageReport(Salvage.Plan plan, List<DocumentUndo> raced, int samples, boolean applied, String dump, String journal,
                  String revert, List<RuleResult> refs) {
        this.plan = plan;
        this.raced = raced;
        this.samples = samples;
        this.applied = applied;
        this.dump = dump;
        this.journal = journal;
        this.revert = revert;
        this.refs = refs;
    }

    /** Salvage's words for undo's outcomes: a document that differs from the dump is not a "later change". */
    static String label(Outcome o) {
        return o == Outcome.CONFLICT_CHANGED_LATER ? "differs" : o.label();
    }

    void print(PrintWriter out, boolean json) {
        Map<String, Map<Outcome, Long>> counts = new dev.rewind.undo.PlanTally(0).add(plan.documents()).counts();
        if (json) {
            Document totals = new Document();
            Map<Outcome, Long> all = new EnumMap<>(Outcome.class);
            counts.values().forEach(m -> m.forEach((o, n) -> all.merge(o, n, Long::sum)));
            all.forEach((o, n) -> totals.append(label(o), n));
            totals.append("unchanged", plan.counts().values().stream().mapToLong(Salvage.Counts::unchanged).sum());
            Document byNs = new Document();
            plan.counts().forEach((ns, c) -> {
                Document d = new Document("inDump", c.inDump()).append("unchanged", c.unchanged()).append("liveOnly", c.liveOnly());
                counts.getOrDefault(ns, Map.of()).forEach((o, n) -> d.append(label(o), n));
                byNs.append(ns, d);
            });
            List<Document> sample = new ArrayList<>();
            for (Outcome o : Outcome.values()) {
                plan.documents().stream().filter(d -> d.outcome() == o).limit(samples).forEach(d -> sample.add(
                        new Document("ns", d.ns()).append("_id", d.id()).append("outcome", label(o)).append("detail", d.detail())
                                .append("holder", d.holder())));
            }
            List<Document> racedOut = new ArrayList<>();
            raced.forEach(d -> racedOut.add(new Document("ns", d.ns()).append("_id", d.id())));
            out.println(new Document("applied", applied).append("dump", dump).append("totals", totals).append("namespaces", byNs)
                    .append("samples", sample).append("racedDuringApply", racedOut).append("journal", journal)
                    .append("revert", revert).append("references", refs == null ? null : refs.stream()
                            .map(r -> new Document("rule", r.rule().describe()).append("dangling", r.dangling())).toList())
                    .toJson());
            return;
        }
        out.println((applied ? "salvage applied" : "salvage plan (dry run: nothing written; add --apply)") + " from the " + dump);
        plan.counts().forEach((ns, c) -> {
            StringBuilder line = new StringBuilder(String.format("  %-32s %,d in the dump:", ns, c.inDump()));
            counts.getOrDefault(ns, Map.of()).forEach((o, n) -> line.append(String.format(" %,d %s,", n, label(o))));
            line.append(String.format(" %,d unchanged; %,d live documents the dump does not hold (written since) left alone",
                    c.unchanged(), c.liveOnly()));
            out.println(line);
        });
        for (Outcome o : Outcome.values()) {
            List<DocumentUndo> of = plan.documents().stream().filter(d -> d.outcome() == o).toList();
            if (of.isEmpty()) {
                continue;
            }
            out.printf("  %s (%,d), e.g.:%n", label(o), of.size());
            for (DocumentUndo d : of.subList(0, Math.min(samples, of.size()))) {
                out.println("    " + d.ns() + " _id " + plain(d.id()) + (d.detail() == null ? "" : "  " + d.detail())
                        + (d.holder() == null ? "" : " (now held by _id " + plain(d.holder()) + ")"));
            }
        }
        if (!raced.isEmpty()) {
            out.printf("  %,d documents changed while salvage ran and were left alone (conflicts)%n", raced.size());
        }
        if (refs != null) {
            long dangling = refs.stream().mapToLong(RuleResult::dangling).sum();
            out.printf("references after the salvage: %s%n", dangling == 0 ? "none dangles" : dangling + " still dangle");
            for (RuleResult r : refs) {
                if (!r.clean()) {
                    out.printf("  %s: %,d dangling in %,d documents, e.g.%n", r.rule().describe(), r.dangling(), r.documentsWithDangling());
                    r.samples().stream().limit(samples).forEach(d -> out.println("    " + r.rule().source() + " _id "
                            + plain(d.sourceId()) + " " + d.place() + " -> missing " + plain(d.missing())));
                }
            }
        }
        if (journal != null) {
            out.println("  journal " + journal + ": take it back with '" + revert + "'");
        }
    }

    private static String plain(BsonValue v) {
        return v == null ? "null" : v.toString().replaceAll("^Bson\\w+\\{value=(.*)}$", "$1");
    }
}
