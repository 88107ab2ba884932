package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real mongodump output, written by the peer mongodump 100.8.0 from the sandbox in its four forms
 * (a directory and an archive, plain and --gzip), imported into a repository and restored: every
 * document comes back byte for byte, with its indexes, options and views. The dump's order is not
 * _id order (the families were inserted shuffled), yet the imported snapshot is stored once with a
 * snapshot Rewind took of the same data: import sorts by _id as a snapshot's scan reads.
 */
class ImportFromMongodumpTest {
    static final String[] COLLECTIONS = {"family", "child", "mixed", "audit"};

    @TempDir
    Path tmp;

    @Test
    void everyFormOfARealDumpImportsAndRestoresByteForByte() throws Exception {
        Peers.assumeAvailable();
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            DumpData.write(client, "famigo", 3000);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            CliRun.Result snap = CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri(), "--ns", "famigo.*", "--json");
            assertThat(snap.exitCode()).as(snap.toString()).isZero();

            Peers.mongodump(tmp, "--uri", sandbox.uri(), "--db", "famigo", "--out", "dir");
            Peers.mongodump(tmp, "--uri", sandbox.uri(), "--db", "famigo", "--out", "dirgz", "--gzip");
            Peers.mongodump(tmp, "--uri", sandbox.uri(), "--db", "famigo", "--archive=famigo.archive");
            Peers.mongodump(tmp, "--uri", sandbox.uri(), "--db", "famigo", "--archive=famigo.archive.gz", "--gzip");
            List<List<String>> forms = List.of(List.of("--dump", "dir", "--memory-mb", "1"), List.of("--dump", "dirgz", "--gzip"),
                    List.of("--archive", "famigo.archive"), List.of("--archive", "famigo.archive.gz", "--gzip"));
            int n = 0;
            for (List<String> form : forms) {
                String[] args = new String[] {"import", "--repo", repo, form.get(0), tmp.resolve(form.get(1)).toString(), "--json"};
                List<String> extra = form.subList(2, form.size());
                CliRun.Result imported = CliRun.run(concat(args, extra));
                assertThat(imported.exitCode()).as(imported.toString()).isZero();
                Document summary = Document.parse(imported.out());
                assertThat(((Number) summary.get("newObjects")).longValue()).as("stored once with the snapshot of the same data (%s)", form).isZero();
                assertThat(summary.get("startAt")).isNull();
                String id = summary.getString("id");
                String db = "copy" + n++;
                CliRun.Result restored = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--snapshot", id, "--to-db", db);
                assertThat(restored.exitCode()).as(restored.toString()).isZero();
                for (String coll : COLLECTIONS) {
                    assertThat(DumpData.documents(client, db, coll)).as("%s.%s from %s", db, coll, form)
                            .hasSizeGreaterThan(0).isEqualTo(DumpData.documents(client, "famigo", coll));
                    assertThat(DumpData.indexes(client, db, coll)).as("indexes of %s", coll)
                            .containsExactlyInAnyOrderElementsOf(DumpData.indexes(client, "famigo", coll));
                    assertThat(DumpData.describe(client, db, coll)).isEqualTo(DumpData.describe(client, "famigo", coll));
                }
                assertThat(DumpData.describe(client, db, "active")).as("the view").isEqualTo(DumpData.describe(client, "famigo", "active"));
            }
            List<SnapshotManifest> all = Repositories.open(repo).snapshots();
            assertThat(all).hasSize(5);
            assertThat(all.stream().filter(m -> m.source().startsWith("mongodump ")).map(SnapshotManifest::endAt)).containsOnlyNulls();
            CliRun.Result listing = CliRun.run("snapshots", "--repo", repo);
            assertThat(listing.out()).contains("imported from a mongodump archive").contains("opens no restorable window");
            CliRun.Result at = CliRun.run("restore", "--repo", repo, "--uri", sandbox.uri(), "--at", "-1s", "--to-db", "never");
            assertThat(at.exitCode()).as("no window to restore to a time: %s", at).isEqualTo(8);
        }
    }

    /**
     * A dump of the whole deployment, as mongodump takes it from mongod: it lists every database
     * (listDatabases gives admin, config and local too), skips local, and dumps
     * admin.system.version (mongo-tools' {@code CreateAllIntents} and {@code isReservedSystemNamespace});
     * it finds the storage engine with collStats, without a warning. Rewind's import leaves the
     * system databases out, and so does a snapshot of the whole deployment: both hold famigo's
     * collections only, the same ones.
     */
    @Test
    void aWholeDeploymentDumpHoldsAdminWhichImportLeavesOutAsASnapshotDoes() throws Exception {
        Peers.assumeAvailable();
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            DumpData.write(client, "famigo", 300);
            String out = Peers.mongodump(tmp, "--uri", sandbox.uri(), "--out", "all");
            assertThat(out).doesNotContain("failed to determine storage engine").contains("admin.system.version");
            assertThat(tmp.resolve("all/admin/system.version.bson")).exists();
            assertThat(tmp.resolve("all/local")).doesNotExist();
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            CliRun.Result imported = CliRun.run("import", "--repo", repo, "--dump", tmp.resolve("all").toString(), "--json");
            assertThat(imported.exitCode()).as(imported.toString()).isZero();
            assertThat(Document.parse(imported.out()).getList("serverCollectionsSkipped", String.class))
                    .containsExactly("admin.system.version");
            Peers.mongodump(tmp, "--uri", sandbox.uri(), "--archive=all.archive");
            CliRun.Result fromArchive = CliRun.run("import", "--repo", repo, "--archive", tmp.resolve("all.archive").toString());
            assertThat(fromArchive.exitCode()).as(fromArchive.toString()).isZero();
            assertThat(fromArchive.err()).contains("left out the server's own collections").contains("admin.system.version");
            CliRun.Result snap = CliRun.run("snapshot", "--repo", repo, "--uri", sandbox.uri(), "--json");
            assertThat(snap.exitCode()).as(snap.toString()).isZero();
            List<SnapshotManifest> both = Repositories.open(repo).snapshots();   // the directory's, the archive's, the snapshot
            assertThat(both).hasSize(3);
            for (SnapshotManifest m : both) {
                assertThat(m.namespaces().stream().map(n -> n.ns()).toList()).as(m.source())
                        .allMatch(ns -> ns.startsWith("famigo."))
                        .containsAll(java.util.Arrays.stream(COLLECTIONS).map(c -> "famigo." + c).toList());
            }
            for (SnapshotManifest m : both) {
                assertThat(m.namespaces().stream().map(n -> n.ns()).toList())
                        .containsExactlyInAnyOrderElementsOf(both.get(0).namespaces().stream().map(n -> n.ns()).toList());
            }
        }
    }

    private static String[] concat(String[] a, List<String> b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.size());
        for (int i = 0; i < b.size(); i++) {
            out[a.length + i] = b.get(i);
        }
        return out;
    }
}
