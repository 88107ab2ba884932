package dev.rewind.cli;

import dev.rewind.PointInTime;
import dev.rewind.Shell;
import dev.rewind.event.ClusterTime;
import dev.rewind.undo.PlanTally;
import dev.rewind.undo.Outcome;
import dev.rewind.check.RuleResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** Prints an undo plan (or what an applied undo did): counts per namespace and outcome, and samples. */
final class UndoReport {
    private final PlanTally plan;
    private final int samples;
    private final boolean applied;
    private final String journal;
    private final ClusterTime from;
    private final ClusterTime to;
    private final long bytesRead;
    private final List<RuleResult> refs;
    private final dev.rewind.repo.Repository repository;
    private final String repo;
    private final String uri;

    UndoReport(PlanTally plan, int samples, boolean applied, String journal,
               ClusterTime from, ClusterTime to, long bytesRead, List<RuleResult> refs, dev.rewind.repo.Repository repository, String uri) {
        this.refs = refs;
        this.repository = repository;
        this.repo = repository.location();
        this.uri = uri;
        this.plan = plan;
        this.samples = samples;
        this.applied = applied;
        this.journal = journal;
        this.from = from;
        this.to = to;
        this.bytesRead = bytesRead;
    }

    private dev.rewind.undo.Journals.Summary revertOf;
    private int passes = 1;
    private List<String> collections = List.of();

    /** What an undo of a drop did (or would do) to each collection it brought back. */
    UndoReport collections(List<String> notes) {
        this.collections = List.copyOf(notes);
        return this;
    }

    /** How many passes over the log the plan took (more than one when it did not fit in memory at once). */
    UndoReport passes(int n) {
        this.passes = n;
        return this;
    }

    /** Prints the plan of a revert of {@code journal} rather than of an undo. */
    UndoReport revertOf(dev.rewind.undo.Journals.Summary journal) {
        this.revertOf = journal;
        return this;
    }

    private String title() {
        if (revertOf != null) {
            String what = "revert of journal " + revertOf.id() + " (" + revertOf.command()
                    + (revertOf.incident() != null ? " --incident " + revertOf.incident() : "") + ")";
            return applied ? what + " applied" : what + ", dry run: nothing written; add --apply";
        }
        return (applied ? "undo applied" : "undo plan (dry run: nothing written; add --apply)") + " for the window "
                + PointInTime.describe(from) + " .. " + PointInTime.describe(to);
    }

    void print(PrintWriter out, boolean json) {
        Map<String, Map<Outcome, Long>> counts = plan.counts();
        if (json) {
            Document byNs = new Document();
            counts.forEach((ns, m) -> {
                Document d = new Document();
                m.forEach((o, n) -> d.append(o.label(), n));
                byNs.append(ns, d);
            });
            Document totals = new Document();
            plan.totals().forEach((o, n) -> totals.append(o.label(), n));
            List<Document> sample = new ArrayList<>();
            for (Outcome o : Outcome.values()) {
                plan.samples(o).forEach(d -> sample.add(new Document("ns", d.ns())
                        .append("_id", d.id()).append("outcome", o.label()).append("detail", d.detail())
                        .append("holder", d.holder())));
            }
            List<Document> racedOut = new ArrayList<>();
            plan.racedListed().forEach(d -> racedOut.add(new Document("ns", d.ns()).append("_id", d.id())));
            out.println(new Document("applied", applied).append("from", from == null ? null : from.toString())
                    .append("to", to == null ? null : to.toString())
                    .append("reverts", revertOf == null ? null : revertOf.id())
                    .append("totals", totals).append("namespaces", byNs).append("samples", sample)
                    .append("racedDuringApply", racedOut).append("racedDuringApplyCount", plan.raced()).append("journal", journal)
                    .append("snapshotBytesRead", bytesRead).append("passes", passes).append("collections", collections)
                    .append("references", refsJson()).toJson());
            return;
        }
        out.println(title() + (passes > 1 ? String.format(" (in %,d passes over the log)", passes) : ""));
        for (Map.Entry<String, Map<Outcome, Long>> e : counts.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("  %-32s", e.getKey()));
            e.getValue().forEach((o, n) -> line.append(String.format("  %,d %s", n, o.label())));
            out.println(line);
        }
        collections.forEach(c -> out.println("  " + c));
        Map<Outcome, Long> totals = plan.totals();
        for (Outcome o : Outcome.values()) {
            long n = totals.getOrDefault(o, 0L);
            if (n == 0 || o == Outcome.UNCHANGED) {
                continue;
            }
            out.printf("  %s (%,d), e.g.:%n", o.label(), n);
            for (PlanTally.Sample d : plan.samples(o)) {
                out.println("    " + d.ns() + " _id " + d.id().toString().replaceAll("^Bson\\w+\\{value=(.*)}$", "$1")
                        + (d.detail() == null ? "" : "  " + d.detail())
                        + (d.holder() == null ? "" : " (now held by _id " + d.holder().toString().replaceAll("^Bson\\w+\\{value=(.*)}$", "$1") + ")"));
            }
        }
        if (plan.raced() > 0) {
            out.printf("  %,d documents changed while the undo ran and were left alone (conflicts)%n", plan.raced());
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
        rewindsOwn(out);
        if (journal != null) {
            out.println("  journal " + journal + "; take it back with: "
                    + Shell.rewind("undo", "--repo", repo, "--uri", uri, "--revert", journal, "--apply"));
        }
    }

    /**
     * Conflicts that only Rewind's own journals made (an undo, then its revert): says so, and offers the
     * command that does the undo again, which is to revert the revert.
     */
    private void rewindsOwn(PrintWriter out) {
        long own = plan.ownConflicts();
        if (own == 0) {
            return;
        }
        java.util.TreeSet<String> journals = plan.ownJournals();
        out.printf("  %s of the conflicts %s changed after the window only by Rewind itself: journal%s %s%n",
                Units.count(own), own == 1 ? "was" : "were", journals.size() == 1 ? "" : "s",
                String.join(", ", journals));
        String last = journals.last();
        dev.rewind.undo.Journals.Summary newest = dev.rewind.undo.Journals.get(repository.store(), last);
        out.println("  to see what it did: " + Shell.rewind("journals", "show", last, "--repo", repo));
        if (newest.isRevert()) {
            out.println("  journal " + last + " reverted journal " + newest.reverts() + "; to do that undo again, revert the"
                    + " revert (dry run; add --apply): " + Shell.rewind("undo", "--repo", repo, "--uri", uri, "--revert", last));
        } else {
            out.println("  journal " + last + " already undid these documents; to take that back (dry run; add --apply): "
                    + Shell.rewind("undo", "--repo", repo, "--uri", uri, "--revert", last));
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
}
