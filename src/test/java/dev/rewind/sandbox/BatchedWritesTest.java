package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.clusterTime;
import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.token;
import static dev.rewind.sandbox.Server.types;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writes the server groups into applyOps entries outside transactions, whose events share one
 * clusterTime and carry no lsid.
 * Sources (notes §4, §3.5): manual https://www.mongodb.com/docs/manual/reference/delete-methods/
 * ("Starting in MongoDB 6.1 ... MongoDB may batch multiple document deletions together");
 * src/mongo/db/exec/batched_delete_stage.idl (batchedDeletesTargetBatchDocs,
 * batchedDeletesTargetStagedDocBytes 2 MiB; jstests batched_deletes size test: expectedBatches =
 * ceil(cumulativePaddingBytes / stagedDocsBytes)); the batchDelete
 * condition in get_executor.cpp (not when the collection has changeStreamPreAndPostImages, not in
 * a transaction); jstests/noPassthrough/batched_multi_deletes_oplog.js ("one applyOps per batch");
 * op_observer_impl.cpp ("Batched writes ... are not associated with a txnNumber, so do not emit an
 * lsid either"); 8.0 vectored inserts: internalInsertMaxBatchSize 64, SERVER-88826 ("The value of
 * clusterTime is identical for the two events"), a batch of one is a plain 'i' entry.
 */
class BatchedWritesTest {
    private static final int DOCS = 8;
    private static final int PER_BATCH = 3;

    private static Server start(MongoRelease release) {
        return Server.start(SandboxOptions.defaults().release(release).batchedDeleteDocs(PER_BATCH));
    }

    /** How many events share each clusterTime, in stream order. */
    private static List<Integer> groupSizes(List<RawBsonDocument> events) {
        Map<BsonTimestamp, Integer> sizes = new LinkedHashMap<>();
        for (RawBsonDocument e : events) {
            sizes.merge(clusterTime(e), 1, Integer::sum);
        }
        return new ArrayList<>(sizes.values());
    }

    private static void insertOneByOne(MongoCollection<Document> coll) {
        for (int i = 0; i < DOCS; i++) {
            coll.insertOne(new Document("_id", i));
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void deleteManyIsBatchedFrom61(MongoRelease release) {
        try (Server s = start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            insertOneByOne(coll);
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.db("t").watch())) {
                coll.deleteMany(new Document());
                s.coll("t", "m").insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(types(events)).hasSize(DOCS).containsOnly("delete");
                assertThat(groupSizes(events)).isEqualTo(release == MongoRelease.V6_0
                        ? List.of(1, 1, 1, 1, 1, 1, 1, 1) : List.of(3, 3, 2));
                assertThat(events.stream().map(Server::token).toList()).doesNotHaveDuplicates().isSorted();
                for (RawBsonDocument e : events) {
                    assertThat(e).as(e.toJson()).doesNotContainKeys("lsid", "txnNumber", "fullDocument");
                }
            }
        }
    }

    /** batchedDeletesTargetStagedDocBytes (default 2 MiB): a batch also commits once its documents reach 2 MiB. */
    @ParameterizedTest
    @EnumSource(value = MongoRelease.class, names = {"V7_0", "V8_0"})
    void aBatchAlsoEndsAtTwoMegabytesOfDocuments(MongoRelease release) {
        try (Server s = Server.start(SandboxOptions.defaults().release(release).batchedDeleteDocs(10))) {
            MongoCollection<Document> coll = s.coll("t", "c");
            for (int i = 0; i < 6; i++) {
                coll.insertOne(new Document("_id", i).append("pad", "x".repeat(900 * 1024)));
            }
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                coll.deleteMany(new Document());
                coll.insertOne(new Document("_id", "marker"));
                assertThat(groupSizes(until(stream, insertOf("marker")))).as("0.9 + 0.9 + 0.9 MB reach 2 MiB")
                        .isEqualTo(List.of(3, 3));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MongoRelease.class, names = {"V7_0", "V8_0"})
    void aCollectionWithPreAndPostImagesIsNotBatched(MongoRelease release) {
        try (Server s = start(release)) {
            s.db("t").createCollection("c", new CreateCollectionOptions()
                    .changeStreamPreAndPostImagesOptions(new ChangeStreamPreAndPostImagesOptions(true)));
            MongoCollection<Document> coll = s.coll("t", "c");
            insertOneByOne(coll);
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                coll.deleteMany(new Document());
                coll.insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(groupSizes(events)).isEqualTo(List.of(1, 1, 1, 1, 1, 1, 1, 1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MongoRelease.class, names = {"V7_0", "V8_0"})
    void aDeleteManyInATransactionIsNotBatchedButPartOfIt(MongoRelease release) {
        try (Server s = start(release); var session = s.client.startSession()) {
            MongoCollection<Document> coll = s.coll("t", "c");
            insertOneByOne(coll);
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                session.withTransaction(() -> coll.deleteMany(session, new Document()));
                coll.insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(groupSizes(events)).isEqualTo(List.of(DOCS));
                assertThat(events).allSatisfy(e -> assertThat(e).containsKeys("lsid", "txnNumber"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void deleteOneIsNeverBatched(MongoRelease release) {
        try (Server s = start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            insertOneByOne(coll);
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                coll.deleteOne(new Document("_id", 0));
                coll.deleteOne(new Document("_id", 1));
                coll.insertOne(new Document("_id", "marker"));
                assertThat(groupSizes(until(stream, insertOf("marker")))).isEqualTo(List.of(1, 1));
            }
        }
    }

    /** 8.0: an insert command's documents go to the oplog as applyOps batches of 64; before, one entry each. */
    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void insertManyIsBatchedIn80(MongoRelease release) {
        try (Server s = start(release)) {
            MongoCollection<Document> coll = s.coll("t", "c");
            coll.insertOne(new Document("_id", -1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(coll.watch())) {
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < 130; i++) {
                    docs.add(new Document("_id", i));
                }
                coll.insertMany(docs);
                coll.insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(events).hasSize(130);
                List<Integer> sizes = groupSizes(events);
                if (release == MongoRelease.V8_0) {
                    assertThat(sizes).isEqualTo(List.of(64, 64, 2));
                } else {
                    assertThat(sizes).hasSize(130).containsOnly(1);
                }
                assertThat(events.stream().map(Server::token).toList()).doesNotHaveDuplicates().isSorted();
                for (RawBsonDocument e : events) {
                    assertThat(e).as("a retryable insert batch shows no session (multiOpType 1)")
                            .doesNotContainKeys("lsid", "txnNumber");
                }
                assertThat(token(events.get(0))).startsWith("82");
            }
        }
    }
}
