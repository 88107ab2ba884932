package dev.rewind.cli;

import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = "List the snapshots in a repository: id, time, namespaces, documents, bytes stored.")
final class SnapshotsCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin RepoOptions repoOptions;
    @Spec CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository. Default: $REWIND_REPO, or \"repo\" in the config file.")
    String repo;

    @Override
    public Integer call() {
        repo = common.settings().repo(repo);
        Repository r = DamageWarnings.open(repoOptions, repo, spec);
        List<SnapshotManifest> all = r.snapshots();
        var out = spec.commandLine().getOut();
        if (common.json) {
            List<Document> docs = new ArrayList<>();
            all.forEach(m -> docs.add(summary(m)));
            out.println(new Document("snapshots", docs).toJson());
            return 0;
        }
        if (all.isEmpty()) {
            out.println("no snapshots yet in " + r.location());
            return 0;
        }
        out.printf("%-10s %-20s %-10s %12s %10s %10s  %s%n", "ID", "TAKEN (UTC)", "NS", "DOCUMENTS", "BSON", "STORED", "NAMESPACES");
        for (SnapshotManifest m : all) {
            List<String> names = m.namespaces().stream().map(NamespaceSnapshot::ns).toList();
            String list = String.join(", ", names.subList(0, Math.min(3, names.size())))
                    + (names.size() > 3 ? ", +" + (names.size() - 3) : "");
            out.printf("%-10s %-20s %-10d %12s %10s %10s  %s%n", m.id(),
                    m.started().toString().substring(0, 19).replace('T', ' '), m.namespaces().size(),
                    Units.count(m.documents()), Units.bytes(m.rawBytes()), Units.bytes(m.storedBytes()), list);
            if (m.endAt() == null) {
                out.printf("%-10s   %s: no change-log position, opens no restorable window (restore it with --snapshot)%n", "",
                        m.source().startsWith("mongodump ") ? "imported from a " + m.source() : "the server gave no cluster time");
            }
        }
        return 0;
    }

    /** The JSON summary of a snapshot used by 'snapshots --json' and 'snapshot --json'. */
    static Document summary(SnapshotManifest m) {
        List<Document> nss = new ArrayList<>();
        for (NamespaceSnapshot n : m.namespaces()) {
            nss.add(new Document("ns", n.ns()).append("type", n.type()).append("documents", n.documents())
                    .append("rawBytes", n.rawBytes()).append("storedBytes", n.storedBytes())
                    .append("objects", n.objects().size()).append("indexes", n.indexes().size()));
        }
        return new Document("id", m.id()).append("started", m.started().toString())
                .append("finished", m.finished().toString()).append("source", m.source())
                .append("startAt", m.startAt() == null ? null : m.startAt().toString())
                .append("endAt", m.endAt() == null ? null : m.endAt().toString())
                .append("hasLogPosition", m.endAt() != null)
                .append("documents", m.documents()).append("rawBytes", m.rawBytes())
                .append("storedBytes", m.storedBytes()).append("newObjects", m.newObjects())
                .append("newStoredBytes", m.newStoredBytes()).append("namespaces", nss);
    }
}
