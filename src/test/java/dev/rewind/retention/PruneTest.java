package dev.rewind.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.RewindException;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.PruneGuard;
import dev.rewind.repo.Repository;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import dev.rewind.repo.store.ByteStore;
import dev.rewind.repo.store.LocalStore;
import dev.rewind.repo.store.S3Location;
import dev.rewind.repo.store.S3Server;
import dev.rewind.repo.store.S3Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.Document;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Prune on a folder and on S3: the sweep, the guard against a snapshot in progress, and compaction. */
class PruneTest {
    @TempDir
    Path tmp;

    ByteStore store(String kind) {
        return kind.equals("s3") ? S3Store.open(S3Location.parse(S3Server.get().newLocation())) : new LocalStore(tmp.resolve("repo"));
    }

    static SnapshotManifest manifest(String id, long s, List<Repository.StoredObject> objects) {
        List<ObjectRef> refs = objects.stream().map(o -> new ObjectRef(o.hash(), 1, 10, o.storedBytes())).toList();
        NamespaceSnapshot ns = new NamespaceSnapshot("db", "c", "collection", new Document(), List.of(), 1, 10, refs, null);
        return new SnapshotManifest(id, Instant.ofEpochSecond(s), Instant.ofEpochSecond(s), "x", "7.0",
                new ClusterTime(s, 0), new ClusterTime(s, 1), List.of(ns), 0, 0);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void sweepsOnlyUnreferencedObjectsAndLeavesThemAloneWhileASnapshotIsInProgress(String kind) throws IOException {
        ByteStore store = store(kind);
        Repository repo = Repository.init(store);
        Repository.StoredObject shared = repo.putObject(bytes("shared"));
        Repository.StoredObject old = repo.putObject(bytes("only the old snapshot"));
        Repository.StoredObject fresh = repo.putObject(bytes("only the new snapshot"));
        Repository.StoredObject orphan = repo.putObject(bytes("no snapshot at all"));
        repo.saveSnapshot(manifest("new", 2000, List.of(shared, fresh)));

        try (PruneGuard snapshot = PruneGuard.forSnapshot(store, Duration.ofSeconds(1), m -> { })) {
            Prune.Result held = new Prune(repo).run(true);
            assertThat(held.plan().objectsSkipped()).contains("a snapshot is being taken");
            assertThat(store.list("objects/")).hasSize(4);
        }
        Prune.Result dry = new Prune(repo).run(false);
        assertThat(dry.plan().objects()).containsOnlyKeys(Repository.objectName(old.hash()), Repository.objectName(orphan.hash()));
        assertThat(store.list("objects/")).hasSize(4);
        Prune.Result done = new Prune(repo).run(true);
        assertThat(done.objectsDeleted()).isEqualTo(2);
        assertThat(store.list("objects/")).containsExactlyInAnyOrder(Repository.objectName(shared.hash()),
                Repository.objectName(fresh.hash()));
        assertThat(repo.getObject(fresh.hash())).isEqualTo(bytes("only the new snapshot"));
        assertThat(store.exists(PruneGuard.PRUNE)).as("the prune marker is released").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aSnapshotWaitsForARunningPruneAndAPruneRefusesASecondOne(String kind) {
        ByteStore store = store(kind);
        Repository.init(store);
        try (PruneGuard prune = PruneGuard.forPrune(store)) {
            assertThatThrownBy(() -> PruneGuard.forPrune(store)).isInstanceOfSatisfying(RewindException.class,
                    e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED));
            List<String> said = new ArrayList<>();
            assertThatThrownBy(() -> PruneGuard.forSnapshot(store, Duration.ofMillis(700), said::add))
                    .isInstanceOfSatisfying(RewindException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED));
            assertThat(said).singleElement().asString().contains("waiting for the prune");
        }
        PruneGuard.forSnapshot(store, Duration.ofMillis(700), m -> { }).close();
    }

    static ChangeEvent delete(long id, long seconds) {
        return new ChangeEvent(Operation.DELETE, null, new ClusterTime(seconds, 1), null, Namespace.parse("db.c"), null,
                new BsonDocument("_id", new BsonInt64(id)), null, null, null, false, null, null, null, null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void mergesRunsOfSmallSegmentsIntoOneAndReadersSeeTheSameLog(String kind) throws IOException {
        ByteStore store = store(kind);
        Repository repo = Repository.init(store);
        List<ChangeEvent> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<ChangeEvent> events = i % 3 == 0 ? List.of() : List.of(delete(i, 1000 + i));
            all.addAll(events);
            repo.saveSegment(new Segment(new SegmentName(new ClusterTime(999 + i, 2), new ClusterTime(1000 + i, 2)),
                    "deployment", new BsonDocument(), events));
        }
        Prune.Result r = new Prune(repo).run(true);
        assertThat(r.mergesWritten()).isEqualTo(1);
        List<SegmentName> names = repo.segmentNames();
        assertThat(names).containsExactly(new SegmentName(new ClusterTime(999, 2), new ClusterTime(1039, 2)));
        assertThat(store.list(SegmentName.FOLDER)).as("the small ones are deleted").hasSize(1);
        assertThat(repo.readSegment(names.get(0)).events()).isEqualTo(all);
        assertThat(new Prune(repo).run(true).mergesWritten()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local"})
    void theRetentionJobOfCaptureForgetsThenPrunes(String kind) throws IOException {
        ByteStore store = store(kind);
        Repository repo = Repository.init(store);
        for (int i = 0; i < 3; i++) {
            repo.saveSnapshot(manifest("s" + i, 1000 + i * 86_400L, List.of(repo.putObject(bytes("day " + i)))));
        }
        String said = new RetentionJob(repo, new RetentionPolicy(null, 1, 0, 0, 0), Duration.ofHours(1), m -> { }).runOnce();
        assertThat(said).contains("forgot 2 snapshot(s)").contains("pruned 2 object(s)");
        assertThat(repo.snapshots()).extracting(SnapshotManifest::id).containsExactly("s2");
        assertThat(store.list("objects/")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local"})
    void aMergedSegmentLeftBesideItsPartsHidesThem(String kind) {
        Repository repo = Repository.init(store(kind));
        for (int i = 0; i < 3; i++) {
            repo.saveSegment(new Segment(new SegmentName(new ClusterTime(10 + i, 0), new ClusterTime(11 + i, 0)), "deployment",
                    new BsonDocument(), List.of()));
        }
        repo.saveSegment(new Segment(new SegmentName(new ClusterTime(10, 0), new ClusterTime(13, 0)), "deployment",
                new BsonDocument(), List.of()));
        assertThat(repo.segmentNames()).containsExactly(new SegmentName(new ClusterTime(10, 0), new ClusterTime(13, 0)));
        assertThat(repo.allSegmentNames()).hasSize(4);
    }
}
