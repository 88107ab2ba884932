package dev.rewind.cli;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.dump.DumpImport;
import dev.rewind.dump.DumpOplog;
import dev.rewind.dump.DumpReader;
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
                + "writing."})
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
        try (WriterLock lock = r.lock("rewind import")) {
            if (lock.warning() != null) {
                spec.commandLine().getErr().println("warning: " + lock.warning());
            }
            long t0 = System.nanoTime();
            Path tmpDir = tmp != null ? tmp : Path.of(System.getProperty("java.io.tmpdir"));
            dump.oplog();   // a directory's oplog.bson is read (and checked) before anything is written
            DumpImport.Result result = new DumpImport(r, tmpDir, memoryMb << 20).run(dump, patterns);
            print(result, dump.oplog(), Duration.ofNanos(System.nanoTime() - t0));
        }
        return 0;
    }

    /**
     * What a user is told of a dump taken with {@code --oplog}, which Rewind does not replay: a
     * warning when its entries change the namespaces taken from the dump, else a note that they do
     * not. Null without an oplog.
     */
    static String oplogNote(DumpOplog oplog, java.util.Collection<String> namespaces) {
        if (oplog == null) {
            return null;
        }
        long changing = oplog.changing(namespaces);
        if (changing == 0) {
            return "note: the dump holds an oplog (mongodump --oplog) of " + oplog.entries() + " entries, none of which"
                    + " changes these collections: they are as at the dump's end";
        }
        return "warning: the dump holds an oplog (mongodump --oplog), and " + changing + " of its " + oplog.entries()
                + " entries change these collections; Rewind does not replay it, so a document written while mongodump"
                + " ran is as its scan read it, not as at the dump's end (mongorestore --oplogReplay would replay it)";
    }

    /** The oplog's figures for --json: its entries and how many change the namespaces; null without one. */
    static Document oplogJson(DumpOplog oplog, java.util.Collection<String> namespaces) {
        return oplog == null ? null : new Document("entries", oplog.entries()).append("changing", oplog.changing(namespaces))
                .append("replayed", false);
    }

    private void print(DumpImport.Result result, DumpOplog oplog, Duration took) {
        SnapshotManifest m = result.manifest();
        var err = spec.commandLine().getErr();
        List<String> imported = m.namespaces().stream().map(NamespaceSnapshot::ns).toList();
        String note = oplogNote(oplog, imported);
        if (note != null) {
            err.println(note);
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
                    .append("oplog", oplogJson(oplog, imported))
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
