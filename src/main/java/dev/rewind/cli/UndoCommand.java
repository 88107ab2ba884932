package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.NamespacePattern;
import dev.rewind.PointInTime;
import dev.rewind.RewindException;
import dev.rewind.detect.Incident;
import dev.rewind.detect.IncidentStore;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Operation;
import dev.rewind.mongo.Addresses;
import dev.rewind.mongo.Connection;
import dev.rewind.mongo.Deployment;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.undo.DocumentUndo;
import dev.rewind.undo.Journal;
import dev.rewind.undo.Journals;
import dev.rewind.undo.RevertPlan;
import dev.rewind.undo.Outcome;
import dev.rewind.undo.PlanTally;
import dev.rewind.undo.RefsAfterUndo;
import dev.rewind.check.RuleResult;
import dev.rewind.undo.UndoExecutor;
import dev.rewind.undo.UndoInputs;
import dev.rewind.undo.UndoPlanner;
import dev.rewind.undo.UndoRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.json.JsonParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "undo", mixinStandardHelpOptions = true,
        description = {"Put back what a window of changes took, and only that: every document of --ns that the chosen "
                + "kinds of events touched between --from and --to returns to its state at --from; documents changed "
                + "since are reported as conflicts. A dry run unless --apply; every write is journaled (--revert ID)."})
final class UndoCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Option(names = "--uri", description = "Connection string of the live database. Default: $REWIND_URI, or \"uri\" in the config file.")
    String uri;

    @Option(names = "--ns", paramLabel = "PATTERN", description = "Namespaces, e.g. 'famigo.*' (repeatable; default: all captured).")
    List<String> ns = new ArrayList<>();

    @Option(names = "--from", paramLabel = "T1", description = "Start of the window (exclusive): the state to return to. Same forms as restore --at.")
    String from;

    @Option(names = "--to", paramLabel = "T2", description = "End of the window (inclusive). Default: now.")
    String to;

    @Option(names = "--tz", defaultValue = "UTC", paramLabel = "ZONE", description = "Time zone of --from/--to. Default: ${DEFAULT-VALUE}.")
    String tz;

    @Option(names = "--ops", split = ",", paramLabel = "KINDS", defaultValue = "delete,update",
            description = "Kinds of changes to undo: delete, update (replaces too), insert. Default: ${DEFAULT-VALUE}.")
    List<String> ops;

    @Option(names = "--filter", paramLabel = "JSON", description = "Only documents whose state at T1 matches, e.g. '{\"plan\":\"premium\"}' (field equality).")
    String filter;

    @Option(names = "--apply", description = "Make the writes (otherwise a dry run that changes nothing).")
    boolean apply;

    @Option(names = "--force", description = "Also revert documents changed after the window.")
    boolean force;

    @Option(names = "--on-conflict", defaultValue = "keep-live", paramLabel = "keep-live|keep-restored",
            description = "When a unique key is now held by another document: leave it (keep-live, default) or remove the holder (keep-restored, journaled).")
    String onConflict;

    @Option(names = "--force-target", description = "Allow --apply against a server other than the one the repository captured.")
    boolean forceTarget;

    @Option(names = "--report", paramLabel = "FILE", description = "Write every document's outcome to FILE (NDJSON).")
    Path report;

    @Option(names = "--revert", paramLabel = "JOURNAL_ID", description = "Take back the writes of an earlier undo (dry run unless --apply).")
    String revert;

    @Option(names = "--check-refs", description = "After --apply, check references into and out of the documents the undo touched.")
    boolean checkRefs;

    @Option(names = "--refs", paramLabel = "FILE", description = "Reference rules for --check-refs (see 'check refs'); default: inferred.")
    Path refsFile;

    @Option(names = "--incident", paramLabel = "N",
            description = "Undo incident N (see 'rewind incidents'): its window, from just before its first event to its last, its namespaces and kinds of changes.")
    Long incident;

    @Option(names = "--memory-docs", paramLabel = "N",
            description = {"Hold at most N touched documents in memory at once; a larger undo reads the log in several "
                    + "passes, each taking the documents whose _id hash falls in its share. Default: one per 4 KiB of the heap."})
    Long memoryDocs;

    @Option(names = "--samples", defaultValue = "5", description = "Samples to show per outcome. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Override
    public Integer call() throws IOException {
        repo = common.settings().repo(repo);
        uri = common.settings().uri(uri);
        if (samples < 1) {
            throw RewindException.usage("--samples must be at least 1, not " + samples, "it is how many documents to show per outcome");
        }
        Repository r = DamageWarnings.open(repoOptions, repo, spec);
        if (revert != null) {
            return revert(r);
        }
        if (incident != null) {
            fromIncident(r);
        }
        if (from == null) {
            throw RewindException.usage("undo needs --from (or --incident or --revert)", "for example --from '2026-11-17 13:00' --to '2026-11-17 14:00'");
        }
        Instant now = Instant.now();
        PointInTime.parse(from, tz, now);
        if (to != null) {
            PointInTime.parse(to, tz, now);
        }
        var wall = new dev.rewind.repo.WallTimes(r);  // wall times by the events' own wall times
        ClusterTime t1 = PointInTime.parse(from, tz, now, wall);
        ClusterTime t2 = to == null ? PointInTime.endOfSecond(now) : PointInTime.parse(to, tz, now, wall);
        UndoRequest request = new UndoRequest(NamespacePattern.parseAll(ns), t1, t2, operations(), parseFilter(), force,
                keepRestored());
        try (Connection c = Connection.open(uri)) {
            if (apply) {
                refuseForeignTarget(r, c);
            }
            UndoInputs inputs = new UndoInputs(r, c.client());
            long perPass = MemoryDocs.of(memoryDocs);
            int passes = inputs.passes(request, perPass);
            List<RuleResult> refs = null;
            PlanTally tally = new PlanTally(samples);
            dev.rewind.undo.PlannedIds planned = apply && checkRefs ? new dev.rewind.undo.PlannedIds() : null;
            Journal journal = null;
            UndoExecutor executor = null;
            java.io.BufferedWriter reportOut = null;
            try {
                for (int pass = 0; pass < passes; pass++) {
                    List<DocumentUndo> plan = new ArrayList<>();
                    for (UndoPlanner.Facts f : inputs.gather(request, pass, passes)) {
                        plan.add(UndoPlanner.decide(f, request));
                    }
                    if (passes > 1) {
                        spec.commandLine().getErr().printf("pass %d of %d: %,d documents%n", pass + 1, passes, plan.size());
                    }
                    if (plan.isEmpty()) {
                        continue;
                    }
                    if (apply && journal == null) {
                        journal = Journal.start(r.store(), new Document("command", "undo").append("uri", c.redactedUri())
                                .append("incident", incident)
                                .append("from", t1.toString()).append("to", t2.toString()).append("ns", ns).append("ops", ops));
                        executor = new UndoExecutor(c.client(), journal);
                        // named before the first write: an undo cut short (a lost server, a kill) is taken back with it
                        spec.commandLine().getErr().println("journal " + journal.id() + ": every write is recorded there before it is made;"
                                + " to take them back: " + dev.rewind.Shell.rewind("undo", "--repo", r.location(), "--uri",
                                c.redactedUri(), "--revert", journal.id(), "--apply"));
                    }
                    if (executor != null) {
                        tally.raced(executor.apply(plan));
                    }
                    tally.add(plan);
                    if (report != null) {
                        reportOut = reportOut != null ? reportOut : Files.newBufferedWriter(report);
                        writeReport(reportOut, plan);
                    }
                    if (planned != null) {
                        planned.add(plan);
                    }
                }
                if (planned != null) {
                    // references are checked once every write is made: a child restored in one pass may point at a parent of the next
                    RefsAfterUndo check = new RefsAfterUndo(c.client(), refsFile);
                    planned.forEachChunk((int) Math.min(Integer.MAX_VALUE, perPass), check::add);
                    refs = check.results();
                }
            } finally {
                if (reportOut != null) {
                    reportOut.close();
                }
                if (planned != null) {
                    planned.close();
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (tally.isEmpty()) {
                inputs.checkNamespaces(request);
                if (common.json) {
                    out.println(new Document("nothingToUndo", true).append("from", t1.toString()).append("to", t2.toString()).toJson());
                } else {
                    out.println("nothing to undo: no " + String.join("/", ops) + " of " + (ns.isEmpty() ? "any namespace" : ns)
                            + " between " + PointInTime.describe(t1) + " and " + PointInTime.describe(t2));
                }
                return 0;
            }
            String journalId = null;
            if (journal != null) {
                journalId = journal.id();
                Document written = new Document();
                executor.written().forEach((o, n) -> written.append(o.label(), n));
                journal.finish(new Document("written", written).append("raced", executor.raced()));
            }
            new UndoReport(tally, samples, apply, journalId, t1, t2, inputs.bytesRead(), refs,
                    r, c.redactedUri()).passes(passes).print(out, common.json);
            if (checkRefs && !apply) {
                spec.commandLine().getErr().println("note: --check-refs runs after --apply; nothing was checked in this dry run");
            }
        }
        return 0;
    }

    /**
     * Takes back a journal from its last batch to its first, as many batches at a time as
     * --memory-docs allows: each part is planned against the live documents and, with --apply,
     * written before the part before it is read, so a journal of any size reverts in bounded memory.
     */
    private Integer revert(Repository r) {
        Journals.Summary reverted = Journals.get(r.store(), revert);
        List<String> batches = Journal.batches(r.store(), revert, entries -> { });  // checked whole before anything is written
        long perPart = MemoryDocs.of(memoryDocs);
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = Connection.open(uri)) {
            PlanTally tally = new PlanTally(samples);
            Journal journal = null;
            UndoExecutor executor = null;
            if (apply) {
                refuseForeignTarget(r, c);
                journal = Journal.start(r.store(), new Document("command", "undo --revert").append("reverts", revert)
                        .append("uri", c.redactedUri()));
                executor = new UndoExecutor(c.client(), journal);
            }
            long n = 0;
            long conflicts = 0;
            int parts = 0;
            for (int last = batches.size() - 1; last >= 0; ) {
                java.util.Deque<List<Journal.Entry>> part = new java.util.ArrayDeque<>();
                long size = 0;
                for (; last >= 0 && (size == 0 || size < perPart); last--) {
                    List<Journal.Entry> batch = Journal.entries(r.store(), batches.get(last));
                    part.addFirst(batch);
                    size += batch.size();
                }
                List<Journal.Entry> entries = new ArrayList<>();
                part.forEach(entries::addAll);
                List<DocumentUndo> plan = RevertPlan.plan(entries, live(c, entries));
                tally.add(plan);
                parts++;
                if (executor != null) {
                    List<Journal.Entry> lostEntries = new ArrayList<>();
                    n += executor.revert(entries, lostEntries);
                    conflicts += lostEntries.size();
                    Set<String> lost = new java.util.HashSet<>();
                    lostEntries.forEach(e -> lost.add(e.ns() + "\u0000" + e.id()));
                    tally.raced(plan.stream().filter(d -> d.outcome().writes() && lost.contains(d.ns() + "\u0000" + d.id())).toList());
                }
            }
            String journalId = null;
            if (journal != null) {
                Document written = new Document();
                tally.totals().forEach((o, k) -> {
                    if (o.writes()) {
                        written.append(o.label(), k);
                    }
                });
                journal.finish(new Document("reverted", n).append("conflicts", conflicts).append("written", written));
                journalId = journal.id();
            }
            new UndoReport(tally, samples, apply, journalId, null, null, 0, null, r, c.redactedUri())
                    .revertOf(reverted).passes(Math.max(1, parts)).print(out, common.json);
        }
        return 0;
    }

    /** The live version of each document a journal wrote, read in batches per collection. */
    private static java.util.function.Function<Journal.Entry, BsonDocument> live(Connection c, List<Journal.Entry> entries) {
        Map<String, List<org.bson.BsonValue>> byNs = new TreeMap<>();
        entries.forEach(e -> byNs.computeIfAbsent(e.ns(), k -> new ArrayList<>()).add(e.id()));
        Map<String, Map<dev.rewind.event.DocumentId, BsonDocument>> found = new java.util.HashMap<>();
        byNs.forEach((ns, ids) -> {
            dev.rewind.event.Namespace n = dev.rewind.event.Namespace.parse(ns);
            found.put(ns, new dev.rewind.diff.LiveVersions(c.client().getDatabase(n.db()).getCollection(n.coll(),
                    BsonDocument.class)).read(ids));
        });
        return e -> found.get(e.ns()).get(dev.rewind.event.DocumentId.of(e.id()));
    }

    /** Takes the window, namespaces and kinds of changes from a recorded incident. */
    private void fromIncident(Repository r) {
        if (from != null || to != null) {
            throw RewindException.usage("--incident takes its window from the incident; it cannot go with --from or --to",
                    "drop --from/--to, or drop --incident");
        }
        Incident i = new IncidentStore(r.store()).get(incident);
        if (i.undoOps().isEmpty()) {
            throw new RewindException(ExitCode.REFUSED, "incident " + i.id() + " (" + i.rule() + ") is not made of document"
                    + " changes that undo can take back", "a dropped collection comes back with a restore as it was just before (a dry run; drop --dry-run to write): "
                    + dev.rewind.Shell.rewind("restore", "--repo", r.location(), "--uri", uri, "--at", before(i.firstAt()).toString(),
                    "--ns-from", pattern(i.namespaces().get(0)), "--ns-to", pattern(i.namespaces().get(0)).replaceFirst("^([^.]*)", "$1_restored"),
                    "--dry-run"));
        }
        from = before(i.firstAt()).toString();
        to = i.lastAt().toString();
        if (ns.isEmpty()) {
            ns = new ArrayList<>(i.namespaces());
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--ops")) {
            ops = i.undoOps();
        }
    }

    /** A namespace as a restore pattern: a collection as is, a database as all of its collections. */
    private static String pattern(String ns) {
        return ns.contains(".") ? ns : ns + ".*";
    }

    /** The cluster time one increment before {@code t}: the state just before the event at {@code t}. */
    static ClusterTime before(ClusterTime t) {
        if (t.unsignedIncrement() > 0) {
            return ClusterTime.of(t.seconds(), t.unsignedIncrement() - 1);
        }
        return ClusterTime.of(t.seconds() - 1, 0xFFFF_FFFFL);
    }

    private Set<Operation> operations() {
        Set<Operation> out = EnumSet.noneOf(Operation.class);
        for (String op : ops) {
            switch (op.trim().toLowerCase()) {
                case "delete" -> out.add(Operation.DELETE);
                case "update" -> out.add(Operation.UPDATE);
                case "insert" -> out.add(Operation.INSERT);
                default -> throw RewindException.usage("unknown kind of change '" + op + "'", "--ops takes delete, update and insert, comma-separated");
            }
        }
        return out;
    }

    private BsonDocument parseFilter() {
        if (filter == null) {
            return null;
        }
        try {
            BsonDocument f = BsonDocument.parse(filter);
            dev.rewind.undo.FilterCheck.check(f);
            return f;
        } catch (JsonParseException e) {
            throw RewindException.usage("--filter is not JSON: " + e.getMessage(), "write it like '{\"plan\": \"premium\"}'");
        }
    }

    private boolean keepRestored() {
        return switch (onConflict) {
            case "keep-live" -> false;
            case "keep-restored" -> true;
            default -> throw RewindException.usage("unknown --on-conflict '" + onConflict + "'", "use keep-live or keep-restored");
        };
    }

    /** Refuses --apply against another deployment than the one the repository captured, known by what it says it is. */
    private void refuseForeignTarget(Repository r, Connection c) {
        // a snapshot imported from a dump names no server (its source is the dump)
        List<SnapshotManifest> snaps = r.snapshots().stream().filter(m -> !m.source().startsWith("mongodump ")).toList();
        if (snaps.isEmpty() || forceTarget) {
            return;
        }
        SnapshotManifest newest = snaps.get(snaps.size() - 1);
        Deployment target = Deployment.of(c.client(), Addresses.hostsOf(uri));
        if (!Deployment.isSame(newest.deployment(), newest.source(), target, uri)) {
            throw new RewindException(ExitCode.REFUSED, "--uri names another server than the one this repository captured ("
                    + (newest.deployment() == null ? newest.source() : newest.deployment().describe()) + "; --uri reaches "
                    + target.describe() + ")", "check --uri; to write there anyway, add --force-target");
        }
    }

    private static void writeReport(java.io.BufferedWriter out, List<DocumentUndo> plan) throws IOException {
        for (DocumentUndo d : plan) {
            BsonDocument line = new BsonDocument("ns", new org.bson.BsonString(d.ns())).append("_id", d.id())
                    .append("outcome", new org.bson.BsonString(d.outcome().label()));
            if (d.detail() != null) {
                line.append("detail", new org.bson.BsonString(d.detail()));
            }
            if (d.holder() != null) {
                line.append("holder", d.holder());
            }
            line.append("target", d.target() == null ? org.bson.BsonNull.VALUE : d.target());
            line.append("live", d.live() == null ? org.bson.BsonNull.VALUE : d.live());
            out.write(line.toJson());
            out.newLine();
        }
    }

    static Map<String, Map<Outcome, Long>> counts(List<DocumentUndo> plan) {
        Map<String, Map<Outcome, Long>> out = new TreeMap<>();
        for (DocumentUndo d : plan) {
            out.computeIfAbsent(d.ns(), k -> new EnumMap<>(Outcome.class)).merge(d.outcome(), 1L, Long::sum);
        }
        return out;
    }
}
