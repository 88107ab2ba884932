package dev.rewind.cli;

import dev.rewind.PointInTime;
import dev.rewind.event.ClusterTime;
import dev.rewind.undo.DocumentUndo;
import dev.rewind.undo.Outcome;
import dev.rewind.check.RuleResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** Prints an undo plan (or what an applied undo did): counts per namespace and outcome, and samples. */
final class UndoReport {
    private final List<DocumentUndo> plan;
    private final List<DocumentUndo> raced;
    private final int samples;
    private final boolean applied;
    private final String journal;
    private final ClusterTime from;
    private final ClusterTime to;
    private final long bytesRead;
    private final List<RuleResult> refs;

    UndoReport(List<DocumentUndo> plan, List<DocumentUndo> raced, int samples, boolean applied, String journal,
               ClusterTime from, ClusterTime to, long bytesRead, List<RuleResult> refs) {
        this.refs = refs;
        this.plan = plan;
        this.raced = raced;
        this.samples = samples;
        this.applied = applied;
        this.journal = journal;
        this.from = from;
        this.to = to;
        this.bytesRead = bytesRead;
    }

    void print(PrintWriter out, boolean json) {
        Map<String, Map<Outcome, Long>> counts = UndoCommand.counts(plan);
        if (json) {
            Document byNs = new Document();
            counts.forEach((ns, m) -> {
                Document d = new Document();
                m.forEach((o, n) -> d.append(o.label(), n));
                byNs.append(ns, d);
            });
            Document totals = new Document();
            totals(counts).forEach((o, n) -> totals.append(o.label(), n));
            List<Document> sample = new ArrayList<>();
            for (Outcome o : Outcome.values()) {
                plan.stream().filter(d -> d.outcome() == o).limit(samples).forEach(d -> sample.add(new Document("ns", d.ns())
                        .append("_id", d.id()).append("outcome", o.label()).append("detail", d.detail())
                        .append("holder", d.holder())));
            }
            List<Document> racedOut = new ArrayList<>();
            raced.forEach(d -> racedOut.add(new Document("ns", d.ns()).append("_id", d.id())));
            out.println(new Document("applied", applied).append("from", from.toString()).append("to", to.toString())
                    .append("totals", totals).append("namespaces", byNs).append("samples", sample)
                    .append("racedDuringApply", racedOut).append("journal", journal)
                    .append("snapshotBytesRead", bytesRead).append("references", refsJson()).toJson());
            return;
        }
        out.println((applied ? "undo applied" : "undo plan (dry run: nothing written; add --apply)") + " for the window "
                + PointInTime.describe(from) + " .. " + PointInTime.describe(to));
        for (Map.Entry<String, Map<Outcome, Long>> e : counts.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("  %-32s", e.getKey()));
            e.getValue().forEach((o, n) -> line.append(String.format("  %,d %s", n, o.label())));
            out.println(line);
        }
        for (Outcome o : Outcome.values()) {
            List<DocumentUndo> of = plan.stream().filter(d -> d.outcome() == o).toList();
            if (of.isEmpty() || o == Outcome.UNCHANGED) {
                continue;
            }
            out.printf("  %s (%,d), e.g.:%n", o.label(), of.size());
            for (DocumentUndo d : of.subList(0, Math.min(samples, of.size()))) {
                out.println("    " + d.ns() + " _id " + d.id().toString().replaceAll("^Bson\\w+\\{value=(.*)}$", "$1")
                        + (d.detail() == null ? "" : "  " + d.detail())
                        + (d.holder() == null ? "" : " (now held by _id " + d.holder().toString().replaceAll("^Bson\\w+\\{value=(.*)}$", "$1") + ")"));
            }
        }
        if (!raced.isEmpty()) {
            out.printf("  %,d documents changed while the undo ran and were left alone (conflicts)%n", raced.size());
        }
        if (refs != null) {
            long dangling = refs.stream().mapToLong(RuleResult::dangling).sum();
            out.printf("references after the undo: %s%n", dangling == 0 ? "none dangles" : dangling + " still dangle");
            for (RuleResult r : refs) {
                if (!r.clean()) {
                    out.printf("  %s: %,d dangling in %,d documents, e.g.%n", r.rule().describe(), r.dangling(), r.documentsWithDangling());
                    r.samples().stream().limit(samples).forEach(d -> out.println("    " + r.rule().source() + " _id "
                            + plain(d.sourceId()) + " " + d.place() + " -> missing " + plain(d.missing())));
                }
            }
        }
        if (journal != null) {
            out.println("  journal " + journal + ": take it back with 'rewind undo --revert " + journal + " --apply ...'");
        }
    }

    private List<Document> refsJson() {
        if (refs == null) {
            return null;
        }
        List<Document> out = new ArrayList<>();
        for (RuleResult r : refs) {
            List<Document> samplesOut = new ArrayList<>();
            r.samples().stream().limit(samples).forEach(d -> samplesOut.add(new Document("sourceId", d.sourceId())
                    .append("place", d.place()).append("missing", d.missing())));
            out.add(new Document("rule", r.rule().describe()).append("references", r.references())
                    .append("dangling", r.dangling()).append("samples", samplesOut));
        }
        return out;
    }

    private static String plain(org.bson.BsonValue v) {
        return v == null ? "null" : v.toString().replaceAll("^Bson\\w+\\{value=(.*)}$", "$1");
    }

    private static Map<Outcome, Long> totals(Map<String, Map<Outcome, Long>> counts) {
        Map<Outcome, Long> t = new EnumMap<>(Outcome.class);
        counts.values().forEach(m -> m.forEach((o, n) -> t.merge(o, n, Long::sum)));
        return t;
    }
}
