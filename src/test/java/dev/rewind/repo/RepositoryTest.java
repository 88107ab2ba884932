package dev.rewind.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.event.ClusterTime;
import dev.rewind.repo.store.ByteStore;
import dev.rewind.repo.store.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryTest {
    @TempDir
    Path dir;
    ByteStore store;

    @BeforeEach
    void createStore() {
        store = new LocalStore(dir.resolve("repo"));
    }

    private static void assertFailsWith(ThrowingCallable call, ExitCode code, String... inMessage) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RewindException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(code);
            assertThat(e.getMessage()).contains(inMessage);
            assertThat(e.hint()).isNotBlank();
        });
    }

    private void writeConfig(String json) throws IOException {
        store.put(Repository.CONFIG, StoredFile.encode(json.getBytes(StandardCharsets.UTF_8), false));
    }

    private static final String CONFIG_V1 = """
            {"format": "rewind-repository", "version": %s, "id": "r1", "created": "2025-11-25T10:00:00Z",
             "hash": "sha256", "compression": "zstd", "encryption": "none",
             "chunking": {"algorithm": "document-crc32c-v1", "target": 65536, "min": 16384, "max": 262144}}
            """;

    // ---- config

    @Test
    void opensTheRepositoryItCreated() {
        Repository created = Repository.init(store);
        Repository opened = Repository.open(new LocalStore(dir.resolve("repo")));
        assertThat(opened.config()).isEqualTo(created.config());
        assertThat(opened.config().version()).isEqualTo(RepoConfig.VERSION);
        assertThat(opened.config().chunkTarget()).isEqualTo(Chunker.DEFAULT_TARGET);
    }

    @Test
    void initRefusesALocationThatHoldsARepository() {
        Repository.init(store);
        assertFailsWith(() -> Repository.init(store), ExitCode.REFUSED, "already exists");
    }

    @Test
    void openRefusesAFolderWithoutConfig() throws IOException {
        store.put("objects/ab/abcd", new byte[] {1});
        assertFailsWith(() -> Repository.open(store), ExitCode.NO_REPOSITORY, "no config file");
    }

    @Test
    void openRefusesAMissingFolder() {
        assertFailsWith(() -> Repositories.open(dir.resolve("nowhere").toString()), ExitCode.NO_REPOSITORY, "no such folder");
    }

    @Test
    void readsAConfigWrittenByHand() throws IOException {
        writeConfig(CONFIG_V1.formatted(1));
        RepoConfig config = Repository.open(store).config();
        assertThat(config).isEqualTo(new RepoConfig(1, "r1", Instant.parse("2025-11-25T10:00:00Z"), 65536, 16384, 262144));
    }

    @Test
    void aNewRepositoryStoresObjectsInColumnFormAndAVersionOneRepositoryAsItAlwaysDid() throws IOException {
        byte[] documents = StoredFileTest.families(20_000);
        Repository fresh = Repository.init(store);
        assertThat(fresh.config().version()).isEqualTo(2);
        String hash = fresh.putObject(documents).hash();
        assertThat(store.get(Repository.objectName(hash))[5]).isEqualTo(StoredFile.CODEC_COLUMNS);
        assertThat(fresh.getObject(hash)).isEqualTo(documents);

        // docs/FORMAT.md, "Versions": a version-1 repository gets no codec 2, so older releases still read it
        store = new LocalStore(dir.resolve("v1"));
        writeConfig(CONFIG_V1.formatted(1));
        Repository old = Repository.open(store);
        String same = old.putObject(documents).hash();
        assertThat(same).isEqualTo(hash);
        assertThat(store.get(Repository.objectName(same))[5]).isEqualTo(StoredFile.CODEC_ZSTD);
        assertThat(old.getObject(same)).isEqualTo(documents);
    }

    @Test
    void openRefusesAnUnknownFormatVersionNamingIt() throws IOException {
        writeConfig(CONFIG_V1.formatted(3));
        assertFailsWith(() -> Repository.open(store), ExitCode.NO_REPOSITORY, "format version 3", "reads versions 1 to 2");
        writeConfig(CONFIG_V1.formatted(0));
        assertFailsWith(() -> Repository.open(store), ExitCode.NO_REPOSITORY, "format version 0", "reads versions 1 to 2");
    }

    @Test
    void openRefusesAConfigWithoutAVersion() throws IOException {
        writeConfig(CONFIG_V1.formatted("\"one\""));
        assertFailsWith(() -> Repository.open(store), ExitCode.NO_REPOSITORY, "not a Rewind repository");
    }

    @Test
    void openRefusesAForeignFileAsConfig() throws IOException {
        store.put(Repository.CONFIG, "[core]\n\trepositoryformatversion = 0\n".getBytes(StandardCharsets.UTF_8));
        assertFailsWith(() -> Repository.open(store), ExitCode.NO_REPOSITORY, "not a Rewind repository");
    }

    @Test
    void openRefusesAnotherFormatsConfigNamingIt() throws IOException {
        writeConfig("{\"format\": \"restic\", \"version\": 1}");
        assertFailsWith(() -> Repository.open(store), ExitCode.NO_REPOSITORY, "not a Rewind repository", "'restic'");
    }

    @Test
    void openRefusesADamagedConfig() throws IOException {
        Repository.init(store);
        byte[] config = store.get(Repository.CONFIG);
        config[config.length - 3] ^= 0x20;
        store.put(Repository.CONFIG, config);
        assertFailsWith(() -> Repository.open(store), ExitCode.NO_REPOSITORY, "not a Rewind repository");
    }

    // ---- objects

    private static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void storesAnObjectUnderTheHashOfItsPlaintext() throws IOException {
        Repository repo = Repository.init(store);
        byte[] plain = content(5000, 1);
        Repository.StoredObject put = repo.putObject(plain);
        assertThat(put.written()).isTrue();
        assertThat(put.hash()).isEqualTo(Hash.sha256(plain));
        String name = "objects/" + put.hash().substring(0, 2) + "/" + put.hash();
        assertThat(store.size(name)).isEqualTo(put.storedBytes());
        assertThat(repo.getObject(put.hash())).isEqualTo(plain);
    }

    @Test
    void storesIdenticalContentOnce() throws IOException {
        Repository repo = Repository.init(store);
        Repository.StoredObject first = repo.putObject(content(5000, 1));
        byte[] storedBefore = store.get(Repository.objectName(first.hash()));
        Repository.StoredObject second = repo.putObject(content(5000, 1));
        assertThat(second.written()).isFalse();
        assertThat(second.hash()).isEqualTo(first.hash());
        assertThat(second.storedBytes()).isEqualTo(first.storedBytes());
        assertThat(store.list("objects/")).containsExactly(Repository.objectName(first.hash()));
        assertThat(store.get(Repository.objectName(first.hash()))).isEqualTo(storedBefore);
    }

    @Test
    void getObjectDetectsAFlippedByteNamingTheFile() throws IOException {
        Repository repo = Repository.init(store);
        String hash = repo.putObject(content(5000, 1)).hash();
        String name = Repository.objectName(hash);
        byte[] stored = store.get(name);
        stored[stored.length / 2] ^= 1;
        store.put(name, stored);
        assertFailsWith(() -> repo.getObject(hash), ExitCode.CORRUPT, name);
    }

    @Test
    void getObjectDetectsAMissingObject() {
        Repository repo = Repository.init(store);
        String hash = Hash.sha256(new byte[] {42});
        assertFailsWith(() -> repo.getObject(hash), ExitCode.CORRUPT, "missing", Repository.objectName(hash));
    }

    @Test
    void getObjectDetectsContentThatDoesNotMatchItsAddress() throws IOException {
        Repository repo = Repository.init(store);
        String hash = Hash.sha256(new byte[] {42});
        store.put(Repository.objectName(hash), StoredFile.encode(new byte[] {43}, true));
        assertFailsWith(() -> repo.getObject(hash), ExitCode.CORRUPT, "does not match its address");
    }

    // ---- snapshots

    private static SnapshotManifest manifest(String id, ClusterTime endAt, Instant finished) {
        Document options = new Document("validator", new Document("age", new Document("$gte", 0)));
        List<Document> indexes = List.of(new Document("v", 2).append("key", new Document("_id", 1)).append("name", "_id_"),
                new Document("v", 2).append("key", new Document("email", 1)).append("name", "email_1").append("unique", true));
        NamespaceSnapshot people = new NamespaceSnapshot("shop", "people", "collection", options, indexes, 12_345L,
                6_000_000_000L, List.of(new ObjectRef(Hash.sha256(new byte[] {1}), 100, 65_000, 20_000),
                        new ObjectRef(Hash.sha256(new byte[] {2}), 7, 800, 500)), "0f8fad5b-d9cb-469f-a165-70867728950e");
        NamespaceSnapshot view = new NamespaceSnapshot("shop", "adults", "view",
                new Document("viewOn", "people").append("pipeline", List.of(new Document("$match", new Document("age", 18)))),
                List.of(), 0, 0, List.of());
        return new SnapshotManifest(id, finished.minusSeconds(60), finished, "mongodb://db.example:27017", "8.0.4",
                endAt == null ? null : new ClusterTime(endAt.seconds() - 60, 1), endAt, List.of(people, view), 2, 20_500);
    }

    private static final Instant T = Instant.parse("2025-11-25T10:00:00Z");

    @Test
    void aSavedManifestReadsBackEqual() {
        Repository repo = Repository.init(store);
        SnapshotManifest saved = manifest("a1b2c3d4", new ClusterTime(1_764_064_800L, 3), T);
        repo.saveSnapshot(saved);
        assertThat(repo.snapshots()).containsExactly(saved);
        assertThat(repo.snapshot("a1b2").namespace("shop.people").objects()).hasSize(2);
    }

    @Test
    void aManifestWrittenBeforeUuidsWereRecordedReadsBackWithoutThem() {
        Repository repo = Repository.init(store);
        SnapshotManifest saved = manifest("a1b2c3d4", new ClusterTime(1_764_064_800L, 3), T);
        Document json = Document.parse(new String(StoredFile.decode("m", saved.toBytes()), java.nio.charset.StandardCharsets.UTF_8));
        Document people = json.getList("namespaces", Document.class).get(0);
        assertThat(people.getString("uuid")).isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
        people.remove("uuid");
        String old = json.toJson();
        SnapshotManifest read = SnapshotManifest.parse("m", StoredFile.encode(old.getBytes(java.nio.charset.StandardCharsets.UTF_8), true));
        assertThat(read.namespace("shop.people").uuid()).isNull();
        assertThat(read.namespace("shop.people").indexes()).isEqualTo(saved.namespace("shop.people").indexes());
        assertThat(repo.snapshots()).isEmpty();
    }

    @Test
    void aManifestWithoutClusterTimesReadsBackEqualAndSortsByItsFinishTime() {
        Repository repo = Repository.init(store);
        SnapshotManifest saved = manifest("ffff0000", null, T);
        repo.saveSnapshot(saved);
        assertThat(repo.snapshots()).containsExactly(saved);
        assertThat(saved.fileName()).isEqualTo("snapshots/" + new ClusterTime(T.getEpochSecond(), 0).sortable() + "-ffff0000");
    }

    @Test
    void manifestsAreStoredUnderTheirSortableEndAt() throws IOException {
        Repository repo = Repository.init(store);
        repo.saveSnapshot(manifest("a1b2c3d4", new ClusterTime(1_764_064_800L, 12), T));
        assertThat(store.list("snapshots/")).containsExactly("snapshots/1764064800.0000000012-a1b2c3d4");
        assertThat(StoredFile.decode("m", store.get("snapshots/1764064800.0000000012-a1b2c3d4"))).isNotEmpty();
    }

    @Test
    void listsSnapshotsInClusterTimeOrderWhateverTheOrderTheyWereSaved() {
        Repository repo = Repository.init(store);
        // seconds of different widths, and an increment above 2^31 (unsigned)
        repo.saveSnapshot(manifest("c-third", new ClusterTime(1000, 1), T));
        repo.saveSnapshot(manifest("a-first", new ClusterTime(999, 5), T));
        repo.saveSnapshot(manifest("d-fourth", new ClusterTime(1000, -1), T));
        repo.saveSnapshot(manifest("b-second", new ClusterTime(999, 6), T));
        assertThat(repo.snapshots()).extracting(SnapshotManifest::id).containsExactly("a-first", "b-second", "c-third", "d-fourth");
        assertThat(repo.snapshot("latest").id()).isEqualTo("d-fourth");
    }

    @Test
    void findsASnapshotByAUniquePrefixOfItsId() {
        Repository repo = Repository.init(store);
        repo.saveSnapshot(manifest("a1b2c3d4", new ClusterTime(100, 1), T));
        repo.saveSnapshot(manifest("a1ffffff", new ClusterTime(200, 1), T));
        assertThat(repo.snapshot("a1b").id()).isEqualTo("a1b2c3d4");
        assertThat(repo.snapshot("a1ffffff").id()).isEqualTo("a1ffffff");
    }

    @Test
    void anAmbiguousPrefixIsAUsageError() {
        Repository repo = Repository.init(store);
        repo.saveSnapshot(manifest("a1b2c3d4", new ClusterTime(100, 1), T));
        repo.saveSnapshot(manifest("a1ffffff", new ClusterTime(200, 1), T));
        assertFailsWith(() -> repo.snapshot("a1"), ExitCode.USAGE, "'a1' matches 2 snapshots");
    }

    @Test
    void anUnknownSnapshotIsNotFoundAndTheHintListsTheKnownOnes() {
        Repository repo = Repository.init(store);
        repo.saveSnapshot(manifest("a1b2c3d4", new ClusterTime(100, 1), T));
        assertThatThrownBy(() -> repo.snapshot("zz")).isInstanceOfSatisfying(RewindException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(e.getMessage()).contains("'zz'");
            assertThat(e.hint()).contains("a1b2c3d4");
        });
    }

    @Test
    void latestInAnEmptyRepositoryIsNotFound() {
        Repository repo = Repository.init(store);
        assertThat(repo.snapshots()).isEmpty();
        assertFailsWith(() -> repo.snapshot("latest"), ExitCode.NOT_FOUND, "no snapshots");
    }

    @Test
    void aManifestIsWrittenOnce() {
        Repository repo = Repository.init(store);
        repo.saveSnapshot(manifest("a1b2c3d4", new ClusterTime(100, 1), T));
        assertThatThrownBy(() -> repo.saveSnapshot(manifest("a1b2c3d4", new ClusterTime(100, 1), T.plusSeconds(5))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already exists");
        assertThat(repo.snapshot("latest").finished()).isEqualTo(T);
    }

    @Test
    void aDamagedManifestIsReportedByNameAndSkipped() throws IOException {
        Repository repo = Repository.init(store);
        SnapshotManifest m = manifest("a1b2c3d4", new ClusterTime(100, 1), T);
        SnapshotManifest intact = manifest("e5f6a7b8", new ClusterTime(90, 1), T.minusSeconds(10));
        repo.saveSnapshot(m);
        repo.saveSnapshot(intact);
        byte[] stored = store.get(m.fileName());
        stored[20] ^= 4;
        store.put(m.fileName(), stored);
        List<String> reported = new ArrayList<>();
        repo.reportDamageTo(d -> reported.add(d.describe()));
        assertThat(repo.snapshots()).extracting(SnapshotManifest::id).containsExactly("e5f6a7b8");
        assertThat(reported).singleElement().asString().contains(m.fileName()).contains("checksum mismatch");
        assertThat(repo.snapshot("latest").id()).isEqualTo("e5f6a7b8");
        assertFailsWith(() -> repo.snapshot("a1b2"), ExitCode.CORRUPT, m.fileName());
    }
}
