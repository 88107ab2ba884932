package dev.rewind.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.EventFormat;
import dev.rewind.mongo.Addresses;
import dev.rewind.mongo.Deployment;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.bson.types.ObjectId;

/**
 * An accident written straight into a repository, for undo benchmarks too large to stage through the
 * sandbox (10,000,000 {@code deleteOne}s take the sandbox hours): a snapshot of {@code documents}
 * families, cut and stored as a snapshot's objects are, and a change log of {@code deletes} delete
 * events of the first of them in {@code _id} order, in segments of 100,000 as capture seals them
 * (the events as capture stores a delete: operation, cluster time, wall time, namespace, key). The
 * families not deleted are inserted into the live collection, so the live side is as after the
 * accident. What this does not stage is capture itself: its figures are in docs/benchmarks.md.
 */
final class SyntheticAccident {
    static final String DB = "bench";
    static final String COLLECTION = "family";
    private static final int PER_SEGMENT = 100_000;

    /** The window of the accident: after the snapshot, through the last delete. */
    record Window(ClusterTime from, ClusterTime to, SnapshotManifest snapshot) { }

    private SyntheticAccident() { }

    static Window write(Repository repo, MongoClient live, String uri, int documents, int deletes, boolean uniqueEmail) {
        MongoCollection<Document> family = live.getDatabase(DB).getCollection(COLLECTION);
        Families gen = new Families(42);
        List<ObjectRef> objects = new ArrayList<>();
        List<ObjectId> victims = new ArrayList<>(deletes);
        long raw = 0;
        var chunker = repo.chunker((chunk, docs) -> {
            Repository.StoredObject stored = repo.putObject(chunk);
            objects.add(new ObjectRef(stored.hash(), docs, chunk.length, stored.storedBytes()));
        });
        List<Document> survivors = new ArrayList<>(1000);
        DocumentCodec codec = new DocumentCodec();
        for (int i = 0; i < documents; i++) {
            Document d = gen.next();   // ObjectIds from one generator rise: the order a scan by _id reads
            RawBsonDocument bytes = new RawBsonDocument(d, codec);
            raw += bytes.getByteBuffer().remaining();
            chunker.add(bytes.getByteBuffer().asNIO());
            if (i < deletes) {
                victims.add(d.getObjectId("_id"));
            } else {
                survivors.add(d);
                if (survivors.size() == 1000) {
                    family.insertMany(survivors);
                    survivors = new ArrayList<>(1000);
                }
            }
        }
        chunker.finish();
        if (!survivors.isEmpty()) {
            family.insertMany(survivors);
        }

        ClusterTime start = ClusterTime.of(1_700_000_000L, 1);
        List<Document> indexes = new ArrayList<>(List.of(new Document("v", 2).append("key", new Document("_id", 1))
                .append("name", "_id_")));
        if (uniqueEmail) {   // the caller made the live one before the survivors went in
            indexes.add(new Document("v", 2).append("key", new Document("email", 1)).append("name", "email_1")
                    .append("unique", true));
        }
        NamespaceSnapshot ns = new NamespaceSnapshot(DB, COLLECTION, "collection", new Document(), indexes, documents, raw,
                objects, java.util.UUID.randomUUID().toString());
        Instant now = Instant.now();
        SnapshotManifest snapshot = new SnapshotManifest("synthetic", now, now, uri, "7.0.14", start, start, List.of(ns),
                objects.size(), objects.stream().mapToLong(ObjectRef::storedBytes).sum(),
                Deployment.of(live, Addresses.hostsOf(uri)));
        repo.saveSnapshot(snapshot);

        ClusterTime from = start;
        ClusterTime last = start;
        List<ChangeEvent> events = new ArrayList<>(PER_SEGMENT);
        for (int i = 0; i < victims.size(); i++) {
            last = ClusterTime.of(start.seconds() + 1 + i / 1000, 1 + i % 1000);
            events.add(EventFormat.read(new BsonDocument("v", new BsonInt32(1)).append("op", new BsonString("delete"))
                    .append("t", last.toBson()).append("w", new BsonDateTime(last.seconds() * 1000))
                    .append("ns", new BsonString(DB + "." + COLLECTION))
                    .append("key", new BsonDocument("_id", new BsonObjectId(victims.get(i))))));
            if (events.size() == PER_SEGMENT || i == victims.size() - 1) {
                SegmentName name = new SegmentName(from, last);
                repo.saveSegment(new Segment(name, "deployment", new BsonDocument(), events));
                from = last;
                events = new ArrayList<>(PER_SEGMENT);
            }
        }
        return new Window(start, last, snapshot);
    }
}
