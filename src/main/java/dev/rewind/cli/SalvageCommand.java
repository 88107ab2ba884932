package dev.rewind.cli;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.check.RuleResult;
import dev.rewind.dump.DumpReader;
import dev.rewind.dump.Salvage;
import dev.rewind.mongo.Connection;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.undo.DocumentUndo;
import dev.rewind.undo.Journal;
import dev.rewind.undo.RefsAfterUndo;
import dev.rewind.undo.UndoExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "salvage", mixinStandardHelpOptions = true,
        description = {"Put back, from an old mongodump, the documents the live database no longer has, with their original "
                + "_ids; report those that differ (replaced only with --ops update) and unique-key conflicts; never "
                + "touch documents written since. A dry run unless --apply; every write is journaled (undo --revert "
                + "ID)."})
final class SalvageCommand implements Callable<Integer> {
    @Mixin Common common;
    @Spec CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    ImportCommand.DumpSource source;

    @Option(names = "--gzip", description = "The dump was written with --gzip (optional: the files themselves tell).")
    boolean gzip;

    @Option(names = "--uri", required = true, description = "Connection string of the live database.")
    String uri;

    @Option(names = "--ns", paramLabel = "PATTERN", description = "Namespaces to salvage, e.g. famigo.family (repeatable; default: all in the dump).")
    List<String> ns = new ArrayList<>();

    @Option(names = "--ops", split = ",", paramLabel = "KINDS", defaultValue = "delete",
            description = {"What to take back: delete (documents deleted since the dump), update (documents changed since:",
                    "replaced with the dump's version). Default: ${DEFAULT-VALUE}."})
    List<String> ops;

    @Option(names = "--on-conflict", defaultValue = "keep-live", paramLabel = "keep-live|keep-restored",
            description = "When another live document holds a unique key: leave it (keep-live, default) or remove it (keep-restored, journaled).")
    String onConflict;

    @Option(names = "--apply", description = "Make the writes (otherwise a dry run that changes nothing).")
    boolean apply;

    @Option(names = "--repo", paramLabel = "DIR",
            description = "Repository for the journal. Default: a small repository beside the dump (DUMP.rewind), created on first use.")
    String repo;

    @Option(names = "--check-refs", description = "After --apply, check references into and out of the documents salvage touched.")
    boolean checkRefs;

    @Option(names = "--refs", paramLabel = "FILE", description = "Reference rules for --check-refs (see 'check refs'); default: inferred.")
    Path refsFile;

    @Option(names = "--oplog-replay", description = "Take the dump's documents as its oplog (mongodump --oplog) leaves them:"
            + " as at the dump's end, as import --oplog-replay takes them.")
    boolean oplogReplay;

    @Option(names = "--samples", defaultValue = "5", description = "Samples to show per outcome. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Override
    public Integer call() throws IOException {
        List<NamespacePattern> patterns = NamespacePattern.parseAll(ns);
        boolean updates = operations();
        boolean keepRestored = switch (onConflict) {
            case "keep-live" -> false;
            case "keep-restored" -> true;
            default -> throw RewindException.usage("unknown --on-conflict '" + onConflict + "'", "use keep-live or keep-restored");
        };
        Repository journalRepo = repo == null ? null : Repositories.open(repo);
        DumpReader dump = source.open();
        if (oplogReplay) {
            OplogReport.requireOplog(dump, "salvage");
        }
        try (Connection c = Connection.open(uri)) {
            Salvage.Plan plan = new Salvage(c.client(), updates, keepRestored).plan(dump, patterns, oplogReplay);
            List<DocumentUndo> raced = List.of();
            String journalId = null;
            String revert = null;
            if (apply) {
                if (journalRepo == null) {
                    journalRepo = besideTheDump();
                }
                Journal journal = Journal.start(journalRepo.store(), new Document("command", "salvage")
                        .append("dump", dump.description()).append("uri", c.redactedUri()).append("ns", ns).append("ops", ops));
                UndoExecutor executor = new UndoExecutor(c.client(), journal);
                raced = executor.apply(plan.documents());
                journalId = journal.id();
                journal.finish(new Document("written", executor.written().toString()).append("raced", executor.raced()));
                revert = "rewind undo --repo " + journalRepo.location() + " --uri " + c.redactedUri() + " --revert " + journalId
                        + " --apply" + (foreign(journalRepo, c) ? " --force-target" : "");
            }
            List<RuleResult> refs = apply && checkRefs ? new RefsAfterUndo(c.client(), refsFile).check(plan.documents()) : null;
            new SalvageReport(plan, raced, samples, apply, dump.description(), journalId, revert, refs)
                    .print(spec.commandLine().getOut(), common.json);
            if (checkRefs && !apply) {
                spec.commandLine().getErr().println("note: --check-refs runs after --apply; nothing was checked in this dry run");
            }
            plan.skipped().forEach(s -> spec.commandLine().getErr().println("note: " + s + " left out: salvage puts back documents"));
            String note = oplogReplay ? OplogReport.takenAsReplayed(dump.oplog(), plan.counts().keySet())
                    : OplogReport.notReplayed(dump.oplog(), plan.counts().keySet(), "salvage --oplog-replay replays it");
            if (note != null) {
                spec.commandLine().getErr().println(note);
            }
        }
        return 0;
    }

    /** Whether undo --revert would need --force-target: the repository captured another server. */
    private boolean foreign(Repository r, Connection c) {
        List<SnapshotManifest> snaps = r.snapshots().stream().filter(m -> !m.source().startsWith("mongodump ")).toList();
        if (snaps.isEmpty()) {
            return false;
        }
        SnapshotManifest newest = snaps.get(snaps.size() - 1);
        dev.rewind.mongo.Deployment target = dev.rewind.mongo.Deployment.of(c.client(), dev.rewind.mongo.Addresses.hostsOf(uri));
        return !dev.rewind.mongo.Deployment.isSame(newest.deployment(), newest.source(), target, uri);
    }

    /** The small repository beside the dump that holds salvage's journals: DUMP.rewind, created on first use. */
    private Repository besideTheDump() {
        Path dumpPath = (source.archive != null ? source.archive : source.dir).toAbsolutePath().normalize();
        Path beside = dumpPath.resolveSibling(dumpPath.getFileName() + ".rewind");
        if (Files.exists(beside.resolve(Repository.CONFIG))) {
            return Repositories.open(beside.toString());
        }
        return Repository.init(Repositories.store(beside.toString()));
    }

    private boolean operations() {
        boolean updates = false;
        for (String op : ops) {
            switch (op.trim().toLowerCase()) {
                case "delete" -> { }
                case "update" -> updates = true;
                case "insert" -> throw RewindException.usage("salvage never removes documents written since the dump",
                        "without a change log it cannot tell a document inserted by mistake from a sign-up; use 'rewind undo' with a captured log");
                default -> throw RewindException.usage("unknown kind of change '" + op + "'", "--ops takes delete and update, comma-separated");
            }
        }
        return updates;
    }
}
