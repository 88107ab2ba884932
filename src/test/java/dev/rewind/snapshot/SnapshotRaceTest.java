package dev.rewind.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.rewind.ExitCode;
import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.cli.CliRun;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.WriterLock;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection dropped or renamed while a snapshot reads it: mongod kills the scan's cursor
 * (QueryPlanKilled, jstests/core/getmore_invalidated_cursors.js), and what was not read yet is at
 * that name no more. The snapshot is taken again from a new start, so it holds the collection
 * whole under its new name; one replaced under every attempt fails the snapshot, which then
 * publishes nothing. Also: documents written during the scan, and collections renamed or dropped
 * between the listing and their scan.
 */
class SnapshotRaceTest {
    private static final int DOCS = 3_000;   // three batches of SnapshotTaker.BATCH_SIZE

    @TempDir
    Path tmp;

    @Test
    void aRenameDuringTheScanIsTakenAgainAndTheSnapshotHoldsEveryDocumentUnderTheNewName() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase famigo = load(client);
            AtomicInteger renames = new AtomicInteger();
            Result r = take(sandbox, client, ns -> {
                if (ns.equals("famigo.accounts") && renames.getAndIncrement() == 0) {
                    famigo.getCollection("accounts").renameCollection(new MongoNamespace("famigo", "people"));
                }
            });
            assertThat(r.error).isNull();
            assertThat(r.taker.restarts()).hasSize(1);
            assertThat(r.taker.restarts().get(0)).contains("collection renamed");
            Map<String, Long> docs = r.manifest.namespaces().stream()
                    .collect(Collectors.toMap(NamespaceSnapshot::ns, NamespaceSnapshot::documents));
            assertThat(docs).containsOnly(Map.entry("famigo.people", (long) DOCS), Map.entry("famigo.other", 10L));

            CliRun.Result restore = CliRun.run("restore", "--repo", r.repo, "--uri", sandbox.uri(), "--snapshot", "latest",
                    "--ns-from", "famigo.*", "--ns-to", "back.*");
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            assertThat(client.getDatabase("back").getCollection("people").countDocuments()).isEqualTo(DOCS);
        }
    }

    /**
     * A collection renamed after the snapshot listed it but before its scan began, and another made
     * under its name: the find reads the new one, which must not be stored as the one listed (the
     * log's rename would then be replayed over the wrong documents; seen as "unknown" documents in
     * PointInTimeRestoreTest on a loaded machine). The UUID at the name is checked once the scan has
     * begun, and the snapshot is taken again.
     */
    @Test
    void aCollectionRenamedBeforeItsScanBeganIsTakenAgainNotStoredUnderTheOldName() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase famigo = load(client);
            AtomicInteger renames = new AtomicInteger();
            Result r = take(sandbox, client, ns -> {
                if (ns.equals("famigo.accounts") && renames.getAndIncrement() == 0) {
                    famigo.getCollection("other").renameCollection(new MongoNamespace("famigo", "moved"));
                    famigo.getCollection("other").insertOne(new Document("_id", "new"));
                }
            });
            assertThat(r.error).isNull();
            assertThat(r.taker.restarts()).singleElement().asString().contains("famigo.other was renamed or dropped after the snapshot listed it");
            Map<String, Long> docs = r.manifest.namespaces().stream()
                    .collect(Collectors.toMap(NamespaceSnapshot::ns, NamespaceSnapshot::documents));
            assertThat(docs).containsOnly(Map.entry("famigo.accounts", (long) DOCS), Map.entry("famigo.moved", 10L),
                    Map.entry("famigo.other", 1L));
        }
    }

    /**
     * Writes while the scan runs: as on mongod, whose index scan reads on from the key it stands at
     * (src/mongo/db/exec/index_scan.cpp; MongoDB manual, "Cursor Isolation"), the snapshot holds a
     * document inserted ahead of the scan, not one inserted behind it, and not one deleted before
     * the scan reached it. The log from startAt makes such a copy exact (PointInTimeRestoreTest
     * takes its snapshots while its workload writes).
     */
    @Test
    void aSnapshotHoldsWhatItsScanReachesOfWhatWasWrittenDuringIt() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            var accounts = load(client).getCollection("accounts");
            AtomicInteger writes = new AtomicInteger();
            Result r = take(sandbox, client, ns -> {
                if (ns.equals("famigo.accounts") && writes.getAndIncrement() == 0) {
                    for (int i = 0; i < 10; i++) {
                        accounts.insertOne(new Document("_id", 5000 + i).append("name", "late"));   // ahead
                    }
                    accounts.insertOne(new Document("_id", -1).append("name", "late"));            // behind
                    accounts.deleteOne(com.mongodb.client.model.Filters.eq("_id", 2600));          // not read yet
                }
            });
            assertThat(r.error).isNull();
            Map<String, Long> docs = r.manifest.namespaces().stream()
                    .collect(Collectors.toMap(NamespaceSnapshot::ns, NamespaceSnapshot::documents));
            assertThat(docs).containsOnly(Map.entry("famigo.accounts", (long) DOCS + 10 - 1), Map.entry("famigo.other", 10L));

            CliRun.Result restore = CliRun.run("restore", "--repo", r.repo, "--uri", sandbox.uri(), "--snapshot", r.manifest.id(),
                    "--ns-from", "famigo.*", "--ns-to", "back.*");
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            List<Integer> ids = client.getDatabase("back").getCollection("accounts").find().sort(new Document("_id", 1))
                    .map(d -> d.getInteger("_id")).into(new ArrayList<>());
            assertThat(ids).hasSize(DOCS + 9).contains(5000, 5009).doesNotContain(-1, 2600);
        }
    }

    /** One dropped after the listing, with nothing read, is stored empty without starting again: the log's drop follows. */
    @Test
    void aCollectionDroppedBeforeItsScanBeganIsStoredEmptyWithoutStartingAgain() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase famigo = load(client);
            AtomicInteger drops = new AtomicInteger();
            Result r = take(sandbox, client, ns -> {
                if (ns.equals("famigo.accounts") && drops.getAndIncrement() == 0) {
                    famigo.getCollection("other").drop();
                }
            });
            assertThat(r.error).isNull();
            assertThat(r.taker.restarts()).isEmpty();
            Map<String, Long> docs = r.manifest.namespaces().stream()
                    .collect(Collectors.toMap(NamespaceSnapshot::ns, NamespaceSnapshot::documents));
            assertThat(docs).containsOnly(Map.entry("famigo.accounts", (long) DOCS), Map.entry("famigo.other", 0L));
        }
    }

    @Test
    void aCollectionReplacedDuringEveryAttemptFailsTheSnapshotAndPublishesNothing() throws Exception {
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoDatabase famigo = load(client);
            AtomicInteger replaced = new AtomicInteger();
            Result r = take(sandbox, client, ns -> {
                if (ns.equals("famigo.accounts") && replaced.get() < SnapshotTaker.ATTEMPTS) {
                    // as $out does: the new contents are renamed over the collection being read
                    replaced.incrementAndGet();
                    famigo.getCollection("staging").insertMany(docs(DOCS));
                    famigo.getCollection("staging").renameCollection(new MongoNamespace("famigo", "accounts"),
                            new com.mongodb.client.model.RenameCollectionOptions().dropTarget(true));
                }
            });
            assertThat(r.error).isNotNull();
            assertThat(r.error.exitCode()).isEqualTo(ExitCode.SERVER_REFUSED);
            assertThat(r.error.getMessage()).contains("dropped or renamed").contains(SnapshotTaker.ATTEMPTS + " attempts")
                    .contains("nothing was published");
            assertThat(r.error.hint()).contains("--ns");
            assertThat(replaced.get()).isEqualTo(SnapshotTaker.ATTEMPTS);
            assertThat(Repositories.open(r.repo).snapshots()).isEmpty();
        }
    }

    private record Result(String repo, SnapshotTaker taker, SnapshotManifest manifest, RewindException error) { }

    /** Takes a snapshot of famigo.* whose progress calls {@code onFirstDocument} at the first document of each collection read. */
    private Result take(Sandbox sandbox, MongoClient client, Consumer<String> onFirstDocument) throws InterruptedException {
        String repo = tmp.resolve("repo").toString();
        CliRun.Result init = CliRun.run("init", "--repo", repo);
        assertThat(init.exitCode()).as(init.toString()).isZero();
        Repository r = Repositories.open(repo);
        Progress progress = (ns, documents, bytes, expected) -> {
            if (documents == 1) {
                onFirstDocument.accept(ns);
            }
        };
        SnapshotTaker taker = new SnapshotTaker(r, client, sandbox.uri(), progress);
        try (WriterLock lock = r.lock("test")) {
            SnapshotManifest m = taker.take(List.of(NamespacePattern.parse("famigo.*")));
            return new Result(repo, taker, m, null);
        } catch (RewindException e) {
            return new Result(repo, taker, null, e);
        }
    }

    private static MongoDatabase load(MongoClient client) {
        MongoDatabase famigo = client.getDatabase("famigo");
        famigo.getCollection("accounts").insertMany(docs(DOCS));
        famigo.getCollection("other").insertMany(docs(10));
        return famigo;
    }

    private static List<Document> docs(int n) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(new Document("_id", i).append("name", "n" + i));
        }
        return docs;
    }
}
