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
        if (oplogReplay) {
            OplogReport.requireOplog(dump, "import");
        }
        try (WriterLock lock = r.lock("rewind import")) {
            if (lock.warning() != null) {
                spec.commandLine().getErr().println("warning: " + lock.warning());
            }
            long t0 = System.nanoTime();
            Path tmpDir = tmp != null ? tmp : Path.of(System.getProperty("java.io.tmpdir"));
            DumpImport.Result result = new DumpImport(r, tmpDir, memoryMb << 20).run(dump, patterns, oplogReplay);
            print(result, dump.oplog(), dump.serverCollections(), Duration.ofNanos(System.nanoTime() - t0));
        }
        return 0;
    }

    private void print(DumpImport.Result result, DumpOplog oplog, List<String> serverCollections, Duration took) {
        SnapshotManifest m = result.manifest();
        var err = spec.commandLine().getErr();
        List<String> imported = m.namespaces().stream().map(NamespaceSnapshot::ns).toList();
        if (result.replayed() != null) {
            OplogReport.replayed(oplog, imported, result.replayed()).forEach(err::println);
        } else {
            String note = OplogReport.notReplayed(oplog, imported, "import --oplog-replay replays it");
            if (note != null) {
                err.println(note);
            }
        }
        result.timeSeriesSkipped().forEach(ns -> err.println("warning: " + ns + " is a time-series collection: a dump holds"
                + " its buckets, which Rewind does not read, so it was left out"));
        if (!serverCollections.isEmpty()) {
            err.println("note: left out the server's own collections in the dump, which are not an application's data"
                    + " (Rewind does not take users, roles or server settings): " + String.join(", ", serverCollections));
        }
        if (result.duplicates() > 0) {
            err.printf("warning: %d documents were in the dump twice (mongodump read them twice while they moved);"
                    + " the copy read last was kept%n", result.duplicates());
        }
        var out = spec.commandLine().getOut();
        if (common.json) {
            out.println(SnapshotsCommand.summary(m).append("imported", true).append("duplicates", result.duplicates())
                    .append("oplog", OplogReport.json(oplog, imported, result.replayed()))
                    .append("timeSeriesSkipped", result.timeSeriesSkipped()).append("serverCollectionsSkipped", serverCollections).append("seconds", took.toMillis() / 1000.0).toJson());
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
