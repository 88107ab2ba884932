package dev.rewind.cli;

import dev.rewind.NamespacePattern;
import dev.rewind.PointInTime;
import dev.rewind.RewindException;
import dev.rewind.dump.DumpExport;
import dev.rewind.dump.StateDocuments;
import dev.rewind.event.ClusterTime;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the state of a snapshot, or at any time T, as mongodump writes it: a directory (--dump) or an "
                + "archive (--archive), gzipped with --gzip, for a stock mongorestore. Documents are written byte for "
                + "byte."})
final class ExportCommand implements Callable<Integer> {
    @Mixin Common common;
    @Spec CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @Option(names = "--snapshot", paramLabel = "ID", description = "Snapshot id, a unique prefix, or 'latest' (the default without --at).")
    String snapshot;

    @Option(names = "--at", paramLabel = "TIME", description = {"The state at TIME, inclusive (same forms as restore --at:",
            "'2026-11-17 14:01:30' in --tz, an ISO time, -15m, or a cluster time 1763387590,12)."})
    String at;

    @Option(names = "--tz", defaultValue = "UTC", paramLabel = "ZONE", description = "Time zone of --at. Default: ${DEFAULT-VALUE}.")
    String tz;

    @ArgGroup(multiplicity = "1")
    Destination destination;

    /** Where the output goes: a directory or an archive. */
    static final class Destination {
        @Option(names = "--dump", paramLabel = "DIR", description = "Write a mongodump directory here (new or empty).")
        Path dir;

        @Option(names = "--archive", paramLabel = "FILE", description = "Write a mongodump archive to this new file.")
        Path archive;
    }

    @Option(names = "--gzip", description = "Compress as mongodump --gzip does (each file of a directory; an archive as a whole).")
    boolean gzip;

    @Option(names = "--ns", paramLabel = "PATTERN", description = "Namespaces to export, e.g. 'famigo.*' (repeatable; default: all).")
    List<String> ns = new ArrayList<>();

    @Option(names = "--memory-docs", paramLabel = "N",
            description = "With --at: hold at most N documents touched by the log in memory (as restore). Default: one per 4 KiB of the heap.")
    Long memoryDocs;

    @Override
    public Integer call() throws IOException {
        if (at != null && snapshot != null) {
            throw RewindException.usage("use either --at or --snapshot", "--at picks the snapshot itself");
        }
        long perPass = MemoryDocs.of(memoryDocs);
        List<NamespacePattern> patterns = NamespacePattern.parseAll(ns);
        Instant now = Instant.now();
        ClusterTime target = at == null ? null : PointInTime.parse(at, tz, now);
        Repository r = Repositories.open(repo);
        try (dev.rewind.repo.ReadMark mark = Reading.mark(r, spec)) {
            StateDocuments state;
            if (target != null) {
                target = PointInTime.parse(at, tz, now, new dev.rewind.repo.WallTimes(r));
                state = StateDocuments.at(r, target, perPass);
            } else {
                state = StateDocuments.ofSnapshot(r, r.snapshot(snapshot == null ? "latest" : snapshot));
            }
            try (state) {
                state.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
                boolean archive = destination.archive != null;
                Path out = archive ? destination.archive : destination.dir;
                long t0 = System.nanoTime();
                DumpExport.Result result = DumpExport.write(state, patterns, out, archive, gzip);
                print(state, result, out, archive, Duration.ofNanos(System.nanoTime() - t0));
                return 0;
            }
        }
    }

    private void print(StateDocuments state, DumpExport.Result result, Path out, boolean archive, Duration took) {
        var err = spec.commandLine().getErr();
        result.timeSeriesSkipped().forEach(n -> err.println("warning: " + n + " is a time-series collection: mongorestore"
                + " expects its buckets, which Rewind does not keep, so it was left out (restore it with 'rewind restore')"));
        if (state.inexact() + state.unknown() > 0) {
            err.printf("warning: %d documents were rebuilt from a later lookup (updateLookup) and may show later changes;"
                    + " %d could not be rebuilt and were left out%n", state.inexact(), state.unknown());
        }
        long docs = result.documents().values().stream().mapToLong(Long::longValue).sum();
        var o = spec.commandLine().getOut();
        String what = "snapshot " + state.snapshot().id() + (state.at() == null ? "" : " + the log to " + PointInTime.describe(state.at()));
        if (common.json) {
            o.println(new Document("snapshot", state.snapshot().id()).append("at", state.at() == null ? null : state.at().toString())
                    .append(archive ? "archive" : "dump", out.toAbsolutePath().normalize().toString()).append("gzip", gzip)
                    .append("documents", docs).append("namespaces", new Document(Map.copyOf(result.documents())))
                    .append("timeSeriesSkipped", result.timeSeriesSkipped()).append("seconds", took.toMillis() / 1000.0).toJson());
            return;
        }
        o.printf("exported %s to %s %s in %s%n", what, archive ? "the archive" : "the directory",
                out.toAbsolutePath().normalize(), Units.duration(took));
        result.documents().forEach((n, c) -> o.printf("  %-40s %12s docs%n", n, Units.count(c)));
        o.printf("  read it with: mongorestore %s%s%n", archive ? "--archive=" + out : out.toString(), gzip ? " --gzip" : "");
    }
}
