package dev.rewind.cli;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.dump.DumpImport;
import dev.rewind.dump.DumpOplog;
import dev.rewind.dump.DumpReader;
import dev.rewind.dump.OplogReplay;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.WriterLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Make a snapshot of a mongodump directory or archive (.gz too), with the indexes and options of its "
                + "metadata, stored once with what the repository already holds. A dump has no change-log position: "
                + "the snapshot opens no restorable window (restore it with --snapshot). Checks the whole dump before "
                + "writing. A dump taken with mongodump --oplog is stored as mongodump read it, or, with --oplog-replay, "
                + "with its oplog replayed (as mongorestore --oplogReplay does)."})
final class ImportCommand implements Callable<Integer> {
    @Mixin Common common;
    @Spec CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @ArgGroup(multiplicity = "1")
    DumpSource source;

    /** Where the dump is: a directory or an archive. */
    static final class DumpSource {
        @Option(names = "--dump", paramLabel = "DIR", description = "A mongodump directory (--out; 'dump' by default).")
        Path dir;

        @Option(names = "--archive", paramLabel = "FILE", description = "A mongodump archive (--archive=FILE), gzipped or not.")
        Path archive;

        DumpReader open() {
            return DumpReader.open(archive != null ? archive : dir, archive != null);
        }
    }

    @Option(names = "--gzip", description = "The dump was written with --gzip (optional: the files themselves tell).")
    boolean gzip;

    @Option(names = "--ns", paramLabel = "PATTERN", description = "Namespaces to import, e.g. 'famigo.*' (repeatable; default: all).")
    List<String> ns = new ArrayList<>();

    @Option(names = "--memory-mb", defaultValue = "256", paramLabel = "MB",
            description = "Memory for sorting documents by _id; more is sorted in temporary files. Default: ${DEFAULT-VALUE}.")
    long memoryMb;

    @Option(names = "--oplog-replay", description = "Replay the oplog of a dump taken with mongodump --oplog over its "
            + "documents, so that the snapshot holds each collection as at the oplog's last entry (as mongorestore "
            + "--oplogReplay restores it). Refused when the oplog drops or renames an imported collection.")
    boolean oplogReplay;

    @Option(names = "--tmp", paramLabel = "DIR", description = "Where the temporary sort files go. Default: the system's temporary folder.")
    Path tmp;

    @Override
    public Integer call() throws IOException {
        List<NamespacePattern> patterns = NamespacePattern.parseAll(ns);
        if (memoryMb < 1) {
            throw RewindException.usage("--memory-mb must be at least 1", "it bounds the memory used to sort documents by _id");
        }
        Repository r = Repositories.open(repo);
        DumpReader dump = source.open();
        if (oplogReplay && !dump.hasOplog()) {
            throw RewindException.usage("--oplog-replay: " + dump.description() + " holds no oplog",
                    "only a dump taken with mongodump --oplog has one (oplog.bson, or the archive's oplog); import it without"
                            + " --oplog-replay");
        }
        try (WriterLock lock = r.lock("rewind import")) {
            if (lock.warning() != null) {
                spec.commandLine().getErr().println("warning: " + lock.warning());
            }
            long t0 = System.nanoTime();
            Path tmpDir = tmp != null ? tmp : Path.of(System.getProperty("java.io.tmpdir"));
            DumpImport.Result result = new DumpImport(r, tmpDir, memoryMb << 20).run(dump, patterns, oplogReplay);
            print(result, dump.oplog(), Duration.ofNanos(System.nanoTime() - t0));
        }
        return 0;
    }

    /**
     * What a user is told of a dump taken with {@code --oplog} whose oplog is not replayed: a
     * warning when its entries change the namespaces taken from the dump (with {@code remedy}, what
     * would replay it), else a note that they do not. Null without an oplog.
     */
    static String oplogNote(DumpOplog oplog, java.util.Collection<String> namespaces, String remedy) {
        if (oplog == null) {
            return null;
        }
        long changing = oplog.changing(namespaces);
        if (changing == 0) {
            return "note: the dump holds an oplog (mongodump --oplog) of " + oplog.entries() + " entries, none of which"
                    + " changes these collections: they are as at the dump's end";
        }
        return "warning: the dump holds an oplog (mongodump --oplog), and " + changing + " of its " + oplog.entries()
                + " entries change these collections; it was not replayed, so a document written while mongodump"
                + " ran is as its scan read it, not as at the dump's end (" + remedy + ")";
    }

    /** The oplog's figures for --json: its entries, how many change the namespaces, and what a replay applied; null without one. */
    static Document oplogJson(DumpOplog oplog, java.util.Collection<String> namespaces, OplogReplay.Summary replayed) {
        if (oplog == null) {
            return null;
        }
        Document d = new Document("entries", oplog.entries()).append("changing", oplog.changing(namespaces))
                .append("replayed", replayed != null);
        if (replayed != null) {
            d.append("inserts", replayed.inserts()).append("updates", replayed.updates()).append("deletes", replayed.deletes())
                    .append("documents", replayed.documents()).append("notCommitted", replayed.notCommitted())
                    .append("notReplayed", replayed.notReplayed())
                    .append("until", replayed.until() == null ? null : new Document("t", replayed.until().getTime())
                            .append("i", replayed.until().getInc()));
        }
        return d;
    }

    /** What a user is told of a replayed oplog: what it applied, to when, and what it left out. */
    private static List<String> replayNotes(DumpOplog oplog, java.util.Collection<String> namespaces, OplogReplay.Summary s) {
        List<String> notes = new ArrayList<>();
        String until = s.until() == null ? "" : ", " + java.time.Instant.ofEpochSecond(s.until().getTime())
                + " (timestamp " + s.until().getTime() + "," + s.until().getInc() + ")";
        notes.add("note: replayed the dump's oplog: " + oplog.changing(namespaces) + " of its " + oplog.entries()
                + " entries change these collections (" + s.inserts() + " inserts, " + s.updates() + " updates, "
                + s.deletes() + " deletes of " + s.documents() + " documents); they are as at its last entry" + until);
        if (s.notCommitted() > 0) {
            notes.add("note: " + s.notCommitted() + (s.notCommitted() == 1 ? " write" : " writes") + " of transactions that had not committed by the oplog's end"
                    + " were left out, as the server left them out");
        }
        for (String change : s.notReplayed()) {
            notes.add("warning: the oplog's " + change + " was not replayed: the snapshot has the indexes and options"
                    + " of the dump's metadata");
        }
        return notes;
    }

    private void print(DumpImport.Result result, DumpOplog oplog, Duration took) {
        SnapshotManifest m = result.manifest();
        var err = spec.commandLine().getErr();
        List<String> imported = m.namespaces().stream().map(NamespaceSnapshot::ns).toList();
        if (result.replayed() != null) {
            replayNotes(oplog, imported, result.replayed()).forEach(err::println);
        } else {
            String note = oplogNote(oplog, imported, "import --oplog-replay replays it");
            if (note != null) {
                err.println(note);
            }
        }
        result.timeSeriesSkipped().forEach(ns -> err.println("warning: " + ns + " is a time-series collection: a dump holds"
                + " its buckets, which Rewind does not read, so it was left out"));
        if (result.duplicates() > 0) {
            err.printf("warning: %d documents were in the dump twice (mongodump read them twice while they moved);"
                    + " the copy read last was kept%n", result.duplicates());
        }
        var out = spec.commandLine().getOut();
        if (common.json) {
            out.println(SnapshotsCommand.summary(m).append("imported", true).append("duplicates", result.duplicates())
                    .append("oplog", oplogJson(oplog, imported, result.replayed()))
                    .append("timeSeriesSkipped", result.timeSeriesSkipped()).append("seconds", took.toMillis() / 1000.0).toJson());
            return;
        }
        out.printf("imported %s as snapshot %s in %s%n", m.source(), m.id(), Units.duration(took));
        for (NamespaceSnapshot n : m.namespaces()) {
            out.printf("  %-40s %12s docs %12s %3d indexes%s%n", n.ns(), Units.count(n.documents()), Units.bytes(n.rawBytes()),
                    n.indexes().size(), "view".equals(n.type()) ? "  (view)" : "");
        }
        out.printf("  stored %s new in %d new objects (the rest was already in the repository)%n",
                Units.bytes(m.newStoredBytes()), m.newObjects());
        out.printf("  no change-log position: it opens no restorable window; restore it with --snapshot %s%n", m.id());
    }
}
