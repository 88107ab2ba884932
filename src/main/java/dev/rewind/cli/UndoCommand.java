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
import dev.rewind.undo.Journals;
import dev.rewind.undo.PlanTally;
import dev.rewind.undo.RevertRun;
import dev.rewind.undo.UndoRun;
import dev.rewind.undo.UndoRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
            description = "Kinds of changes to undo: delete, update (replaces too), insert, drop (a dropped collection comes back"
                    + " with every document it held at T1, beside what was written to its name since). Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--despite-ttl", description = "Write even documents a TTL index of their collection has already expired (it deletes them again).")
    boolean despiteTtl;

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
        try (dev.rewind.repo.ReadMark mark = Reading.mark(r, spec)) {
            return revert != null ? revert(r) : undo(r);
        }
    }

    private Integer undo(Repository r) throws IOException {
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
            Document header = new Document("command", "undo").append("uri", c.redactedUri()).append("incident", incident)
                    .append("from", t1.toString()).append("to", t2.toString()).append("ns", ns).append("ops", ops);
            UndoRun.Result done = new UndoRun(r, c.client(), spec.commandLine().getErr()::println)
                    .run(request, new UndoRun.Options(MemoryDocs.of(memoryDocs), samples, apply, header, report, checkRefs, refsFile,
                            despiteTtl));
            PlanTally tally = done.tally();
            PrintWriter out = spec.commandLine().getOut();
            if (tally.isEmpty() && done.collections().isEmpty()) {
                if (common.json) {
                    out.println(new Document("nothingToUndo", true).append("from", t1.toString()).append("to", t2.toString()).toJson());
                } else {
                    out.println("nothing to undo: no " + String.join("/", ops) + " of " + (ns.isEmpty() ? "any namespace" : ns)
                            + " between " + PointInTime.describe(t1) + " and " + PointInTime.describe(t2));
                }
                return 0;
            }
            new UndoReport(tally, samples, apply, done.journal(), t1, t2, done.snapshotBytesRead(), done.refs(),
                    r, c.redactedUri()).passes(done.passes()).collections(done.collections()).print(out, common.json);
            if (checkRefs && !apply) {
                spec.commandLine().getErr().println("note: --check-refs runs after --apply; nothing was checked in this dry run");
            }
        }
        return 0;
    }

    /** Takes back a journal (see {@link RevertRun}); --apply is refused against another deployment before anything is read. */
    private Integer revert(Repository r) {
        Journals.Summary reverted = Journals.get(r.store(), revert);
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = Connection.open(uri)) {
            if (apply) {
                refuseForeignTarget(r, c);
            }
            RevertRun.Result done = new RevertRun(r, c.client()).run(revert, MemoryDocs.of(memoryDocs), samples, apply,
                    new Document("command", "undo --revert").append("reverts", revert).append("uri", c.redactedUri()));
            new UndoReport(done.tally(), samples, apply, done.journal(), null, null, 0, null, r, c.redactedUri())
                    .revertOf(reverted).passes(done.parts()).print(out, common.json);
        }
        return 0;
    }

    /** Takes the window, namespaces and kinds of changes from a recorded incident. */
    private void fromIncident(Repository r) {
        if (from != null || to != null) {
            throw RewindException.usage("--incident takes its window from the incident; it cannot go with --from or --to",
                    "drop --from/--to, or drop --incident");
        }
        Incident i = new IncidentStore(r.store()).get(incident);
        List<String> undoOps = i.undoOps();
        if (undoOps.isEmpty() && (i.counts().containsKey("drop") || i.counts().containsKey("dropDatabase"))) {
            undoOps = List.of("drop");  // recorded before undo took back drops
        }
        if (undoOps.isEmpty()) {
            throw new RewindException(ExitCode.REFUSED, "incident " + i.id() + " (" + i.rule() + ") is not made of document"
                    + " changes that undo can take back", "the collection comes back as it was just before with a restore (a dry run; drop --dry-run to write): "
                    + dev.rewind.Shell.rewind("restore", "--repo", r.location(), "--uri", uri, "--at", before(i.firstAt()).toString(),
                    "--ns-from", pattern(i.namespaces().get(0)), "--ns-to", pattern(i.namespaces().get(0)).replaceFirst("^([^.]*)", "$1_restored"),
                    "--dry-run"));
        }
        from = before(i.firstAt()).toString();
        to = i.lastAt().toString();
        if (ns.isEmpty()) {
            ns = new ArrayList<>(i.namespaces().stream().map(UndoCommand::pattern).toList());
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--ops")) {
            ops = undoOps;
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
                case "drop" -> out.add(Operation.DROP);
                default -> throw RewindException.usage("unknown kind of change '" + op + "'",
                        "--ops takes delete, update, insert and drop, comma-separated");
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
}
