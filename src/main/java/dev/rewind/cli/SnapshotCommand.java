package dev.rewind.cli;

import dev.rewind.ExitCode;
import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.capture.SnapshotRequests;
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
                "Scans each collection in _id order; stores only objects the repository does not have yet.",
                "While capture runs on the repository, hands the request to it and waits for its snapshot."})
final class SnapshotCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--uri", description = "Connection string of the source, e.g. mongodb://HOST:27017/. Default: $REWIND_URI, or \"uri\" in the config file.")
    String uri;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Option(names = "--ns", paramLabel = "PATTERN",
            description = "Namespaces to copy, e.g. 'famigo.*' (repeatable; default: every user collection).")
    List<String> ns = new ArrayList<>();

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        repo = common.settings().repo(repo);
        ns = common.settings().ns(ns);
        List<NamespacePattern> patterns = NamespacePattern.parseAll(ns);
        Repository r = repoOptions.open(repo);
        WriterLock.Holder holder = WriterLock.current(r.store());
        if (holder != null && RunningCapture.answers(r, holder)) {
            return handOver(r, holder);
        }
        uri = common.settings().uri(uri);
        try (WriterLock lock = r.lock("rewind snapshot");
             Connection c = Connection.open(uri)) {
            if (lock.warning() != null) {
                spec.commandLine().getErr().println("warning: " + lock.warning());
            }
            long t0 = System.nanoTime();
            SnapshotManifest m = new SnapshotTaker(r, c.client(), c.redactedUri(),
                    TerminalProgress.on(spec.commandLine().getErr(), quiet || common.json)).beforePublish(lock::checkStillHeld)
                    .take(patterns);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            print(m, took);
        }
        return 0;
    }

    /**
     * Capture holds the writer lock and is alive: asks it for the snapshot (a request file, see
     * {@link SnapshotRequests}) and waits for its answer. If capture stops before answering, the lock
     * is free again and this command takes the snapshot itself.
     */
    private Integer handOver(Repository r, WriterLock.Holder holder) throws InterruptedException, java.io.IOException {
        var err = spec.commandLine().getErr();
        SnapshotRequests requests = new SnapshotRequests(r.store());
        err.println("capture is running (pid " + holder.pid() + " on " + holder.host() + ") and holds the repository:"
                + " handing the snapshot to it and waiting for it");
        err.flush();
        long t0 = System.nanoTime();
        String id = requests.submit(ns, "rewind snapshot (pid " + ProcessHandle.current().pid() + ")");
        SnapshotRequests.Answer answer;
        try {
            while ((answer = requests.answer(id)) == null) {
                WriterLock.Holder now = WriterLock.current(r.store());
                if (now == null || !now.token().equals(holder.token()) || !RunningCapture.answers(r, now)) {
                    err.println("capture stopped before taking the snapshot; taking it here");
                    requests.withdraw(id);
                    return call();
                }
                Thread.sleep(200);
            }
        } finally {
            requests.withdraw(id);
        }
        if (answer.error() != null) {
            throw new RewindException(ExitCode.SERVER_REFUSED, "the running capture could not take the snapshot: " + answer.error(),
                    "capture goes on; see its log, then run the same command again");
        }
        if (!ns.isEmpty()) {
            err.println("note: the running capture snapshots every namespace it captures, not only --ns " + String.join(" ", ns));
        }
        print(r.snapshot(answer.snapshot()), Duration.ofNanos(System.nanoTime() - t0));
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
        out.printf("  stored %s new in %s (the rest was already in the repository)%n",
                Units.bytes(m.newStoredBytes()), Units.plural(m.newObjects(), "new object"));
        out.printf("  change positions: startAt %s, endAt %s%n", m.startAt() == null ? "none" : m.startAt(),
                m.endAt() == null ? "none (the server reports no cluster time)" : m.endAt());
    }

}
