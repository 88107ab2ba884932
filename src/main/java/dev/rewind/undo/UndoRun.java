package dev.rewind.undo;

import com.mongodb.client.MongoClient;
import dev.rewind.check.RuleResult;
import dev.rewind.repo.Repository;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.Document;

/**
 * Carries out an undo in as many passes as memory allows ({@link UndoInputs#passes}): each pass
 * gathers and plans its share of the documents, and with {@code apply} journals and writes it before
 * the next begins. What spans the passes is small: a {@link PlanTally}, the report file as it is
 * written, one journal, and for the reference check the planned {@code _id}s in a temporary file,
 * checked once every pass has written (a child restored in one pass may point at a parent of a later
 * one).
 */
public final class UndoRun {
    /**
     * How to run: at most {@code memoryDocs} touched documents at once; {@code journalHeader} says what
     * the journal is for (with the target's redacted {@code uri}).
     */
    public record Options(long memoryDocs, int samples, boolean apply, Document journalHeader, Path report,
                          boolean checkRefs, Path refsFile, boolean despiteTtl) { }

    /** What the undo did or would do; {@code journal} and {@code refs} are null without --apply (and --check-refs). */
    public record Result(PlanTally tally, int passes, String journal, List<RuleResult> refs, long snapshotBytesRead,
                         List<String> collections) {
        public Result {
            collections = List.copyOf(collections);
        }
    }

    private final Repository repo;
    private final MongoClient live;
    private final Consumer<String> progress;

    /** {@code progress} hears of each pass and of the journal before the first write. */
    public UndoRun(Repository repo, MongoClient live, Consumer<String> progress) {
        this.repo = repo;
        this.live = live;
        this.progress = progress;
    }

    public Result run(UndoRequest request, Options o) {
        try (UndoInputs inputs = new UndoInputs(repo, live)) {
            return run(request, o, inputs);
        }
    }

    private Result run(UndoRequest request, Options o, UndoInputs inputs) {
        int passes = inputs.passes(request, o.memoryDocs());
        PlanTally tally = new PlanTally(o.samples());
        Journal journal = null;
        UndoExecutor executor = null;
        List<RuleResult> refs = null;
        BufferedWriter report = o.report() == null ? null : openReport(o.report());  // before any write: a bad path changes nothing
        DroppedCollections dropped = new DroppedCollections(live, o.apply());
        TtlCheck ttl = new TtlCheck(live, java.time.Clock.systemUTC());
        boolean ttlWarned = false;
        try (PlannedIds planned = o.apply() && o.checkRefs() ? new PlannedIds() : null) {
            for (int pass = 0; pass < passes; pass++) {
                List<DocumentUndo> plan = new ArrayList<>();
                for (UndoPlanner.Facts f : inputs.gather(request, pass, passes)) {
                    plan.add(UndoPlanner.decide(f, request));
                }
                if (passes > 1) {
                    progress.accept(String.format("pass %d of %d: %,d documents", pass + 1, passes, plan.size()));
                }
                inputs.droppedCollections().forEach((ns, d) -> ttl.willHave(ns.toString(), d.then().indexes()));
                ttl.add(plan);
                if (ttl.any() && o.apply() && !o.despiteTtl()) {
                    if (journal == null) {  // nothing written yet
                        throw new dev.rewind.RewindException(dev.rewind.ExitCode.REFUSED, "a TTL index would delete again documents"
                                + " this undo puts back: " + String.join("; ", ttl.notes()), "fix the index, then run the undo again"
                                + " (a dry run shows the figures); --despite-ttl writes them anyway");
                    }
                    if (!ttlWarned) {
                        progress.accept("warning: " + String.join("; ", ttl.notes()) + " (found after an earlier pass was written)");
                        ttlWarned = true;
                    }
                }
                if (o.apply() && !plan.isEmpty() && journal == null) {
                    journal = Journal.start(repo.store(), o.journalHeader());
                    executor = new UndoExecutor(live, journal);
                    // named before the first write: an undo cut short (a lost server, a kill) is taken back with it
                    progress.accept("journal " + journal.id() + ": every write is recorded there before it is made; to take"
                            + " them back: " + dev.rewind.Shell.rewind("undo", "--repo", repo.location(), "--uri",
                            o.journalHeader().getString("uri"), "--revert", journal.id(), "--apply"));
                }
                dropped.prepare(inputs.droppedCollections());  // even one that held nothing comes back
                if (plan.isEmpty()) {
                    continue;
                }
                if (executor != null) {
                    tally.raced(executor.apply(plan));
                }
                tally.add(plan);
                if (report != null) {
                    writeReport(report, plan);
                }
                if (planned != null) {
                    planned.add(plan);
                }
            }
            dropped.finish();
            inputs.dropsNotSelected().forEach((ns, how) -> progress.accept("note: " + ns + " was " + how
                    + "; add drop to --ops to bring it back with what it held"));
            inputs.renamedAway().forEach((from, to) -> progress.accept("note: " + from + " was renamed to " + to + " in the window;"
                    + " its documents went with it, and undo does not take back a rename: to rename it back, once nothing you"
                    + " need is at " + from + ": db.adminCommand({renameCollection: '" + to + "', to: '" + from + "'})"));
            if (passes > 1) {
                progress.accept(String.format("the passes' temporary files took %,.1f MB (deleted now)",
                        inputs.spilledBytes() / 1e6));
            }
            if (planned != null) {
                RefsAfterUndo check = new RefsAfterUndo(live, o.refsFile());
                planned.forEachChunk((int) Math.min(Integer.MAX_VALUE, o.memoryDocs()), check::add);
                refs = check.results();
            }
        } catch (IOException e) {
            throw reportFailed(o.report(), e);
        } finally {
            if (report != null) {
                try {
                    report.close();
                } catch (IOException e) {
                    throw reportFailed(o.report(), e);
                }
            }
        }
        if (tally.isEmpty()) {
            inputs.checkNamespaces(request);
        }
        if (journal != null) {
            Document written = new Document();
            executor.written().forEach((outcome, n) -> written.append(outcome.label(), n));
            journal.finish(new Document("written", written).append("raced", executor.raced()));
        }
        List<String> notes = new ArrayList<>(dropped.notes());
        notes.addAll(ttl.notes());
        return new Result(tally, passes, journal == null ? null : journal.id(), refs, inputs.bytesRead(), notes);
    }

    private static BufferedWriter openReport(Path path) {
        try {
            return Files.newBufferedWriter(path);
        } catch (IOException e) {
            throw reportFailed(path, e);
        }
    }

    private static dev.rewind.RewindException reportFailed(Path path, IOException e) {
        return new dev.rewind.RewindException(dev.rewind.ExitCode.IO, "cannot write the report " + path + ": " + e,
                "check that its folder exists and can be written, and that the disk has room", e);
    }

    /** One NDJSON line per document: ns, _id, outcome, detail, holder, target, live. */
    private static void writeReport(BufferedWriter out, List<DocumentUndo> plan) throws IOException {
        for (DocumentUndo d : plan) {
            BsonDocument line = new BsonDocument("ns", new BsonString(d.ns())).append("_id", d.id())
                    .append("outcome", new BsonString(d.outcome().label()));
            if (d.detail() != null) {
                line.append("detail", new BsonString(d.detail()));
            }
            if (d.holder() != null) {
                line.append("holder", d.holder());
            }
            line.append("target", d.target() == null ? BsonNull.VALUE : d.target());
            line.append("live", d.live() == null ? BsonNull.VALUE : d.live());
            out.write(line.toJson());
            out.newLine();
        }
    }
}
