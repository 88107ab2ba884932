package dev.rewind.cli;

import dev.rewind.NamespacePattern;
import dev.rewind.mongo.Connection;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.WriterLock;
import dev.rewind.snapshot.SnapshotTaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Copy namespaces of a MongoDB deployment into the repository.",
                "Scans each collection in _id order; stores only objects the repository does not have yet."})
final class SnapshotCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--uri", required = true, description = "Connection string of the source, e.g. mongodb://HOST:27017/.")
    String uri;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
    String repo;

    @Option(names = "--ns", paramLabel = "PATTERN",
            description = "Namespaces to copy, e.g. 'famigo.*' (repeatable; default: every user collection).")
    List<String> ns = new ArrayList<>();

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        List<NamespacePattern> patterns = NamespacePattern.parseAll(ns);
        Repository r = repoOptions.open(repo);
        try (WriterLock lock = r.lock("rewind snapshot");
             Connection c = Connection.open(uri)) {
            if (lock.warning() != null) {
                spec.commandLine().getErr().println("warning: " + lock.warning());
            }
            long t0 = System.nanoTime();
            SnapshotManifest m = new SnapshotTaker(r, c.client(), c.redactedUri(),
                    TerminalProgress.on(spec.commandLine().getErr(), quiet || common.json)).take(patterns);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            print(m, took);
        }
        return 0;
    }

    private void print(SnapshotManifest m, Duration took) {
        var out = spec.commandLine().getOut();
        if (common.json) {
            out.println(SnapshotsCommand.summary(m).append("seconds", took.toMillis() / 1000.0).toJson());
            return;
        }
        out.printf("snapshot %s taken in %s%n", m.id(), Units.duration(took));
        for (NamespaceSnapshot n : m.namespaces()) {
            out.printf("  %-40s %12s docs %12s%s%n", n.ns(), Units.count(n.documents()), Units.bytes(n.rawBytes()),
                    "view".equals(n.type()) ? "  (view)" : "");
        }
        double secs = Math.max(1e-3, took.toNanos() / 1e9);
        out.printf("  %s documents, %s of BSON, %,.0f docs/s%n", Units.count(m.documents()), Units.bytes(m.rawBytes()),
                m.documents() / secs);
        out.printf("  stored %s new in %d new objects (the rest was already in the repository)%n",
                Units.bytes(m.newStoredBytes()), m.newObjects());
        out.printf("  change positions: startAt %s, endAt %s%n", m.startAt() == null ? "none" : m.startAt(),
                m.endAt() == null ? "none (the server reports no cluster time)" : m.endAt());
    }

}
