package dev.rewind.sandbox.clients;

import static dev.rewind.sandbox.clients.ChangeEvents.clusterTimeRuns;
import static dev.rewind.sandbox.clients.ChangeEvents.of;
import static dev.rewind.sandbox.clients.ChangeEvents.types;
import static dev.rewind.sandbox.clients.PymongoTransactionTest.assertDistinctAscendingTokens;
import static dev.rewind.sandbox.clients.PymongoTransactionTest.range;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * pymongo's {@code insert_many} and {@code delete_many} over thousands of documents, the events read
 * with the Java driver: one event per document, none lost, none twice, and the cluster times the
 * emulated release gives them. MongoDB 6.1+ deletes a {@code deleteMany} in batches of
 * {@code batchedDeletesTargetBatchDocs}, one applyOps entry a batch, so the delete events of a batch
 * share one cluster time and carry no lsid/txnNumber (manual, "Delete Methods": "Starting in MongoDB
 * 6.1 ... MongoDB may batch multiple document deletions together"; batched_multi_deletes_oplog.js:
 * "The deletion replicates as one applyOps per batch"; notes §4); 6.0 deletes one entry per
 * document. MongoDB 8.0 replicates a multi-document insert as applyOps batches of
 * {@code internalInsertMaxBatchSize} (64) documents sharing a cluster time (SERVER-88826; notes
 * §3.5), 6.0 and 7.0 one entry per document.
 */
class PymongoDeleteManyTest {
    private static final int DOCS = 3000;
    private static final int BATCH = 7;

    @TempDir
    Path tmp;

    @BeforeEach
    void needsPymongo() {
        ClientProcess.assumePython("pymongo", "python3-pymongo");
    }

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void deleteManyGivesOneDeleteEventPerDocumentInTheReleasesBatches(MongoRelease release) throws Exception {
        String script = String.join("\n",
                "import sys, pymongo",
                "client = pymongo.MongoClient(sys.argv[1])",
                "family = client.famigo.family",
                "print('ready'); sys.stdin.readline()",
                "r = family.insert_many([{'_id': i, 'name': 'family %d' % i, 'members': i % 5} for i in range(" + DOCS + ")])",
                "print('inserted', len(r.inserted_ids)); sys.stdin.readline()",
                "print('deleted', family.delete_many({}).deleted_count)",
                "print('left', family.count_documents({}))",
                "");
        SandboxOptions options = SandboxOptions.defaults().release(release).batchedDeleteDocs(BATCH);
        try (Sandbox sandbox = Sandbox.start(options); MongoClient client = MongoClients.create(sandbox.uri());
             ClientProcess python = ClientProcess.python(tmp, script, sandbox.uri())) {
            python.await("ready");
            try (ChangeEvents events = new ChangeEvents(client)) {
                python.send("go");
                assertThat(python.await("inserted")).isEqualTo(String.valueOf(DOCS));
                List<BsonDocument> inserts = of(events.upToNow(), "famigo", "family");
                assertThat(types(inserts)).hasSize(DOCS).containsOnly("insert");
                assertThat(ids(inserts)).containsExactlyElementsOf(range(DOCS));
                assertThat(clusterTimeRuns(inserts)).as("runs of insert events sharing a cluster time")
                        .isEqualTo(release == MongoRelease.V8_0 ? runs(DOCS, 64) : runs(DOCS, 1));
                assertDistinctAscendingTokens(inserts);

                python.send("delete");
                assertThat(python.await("deleted")).isEqualTo(String.valueOf(DOCS));
                assertThat(python.await("left")).isEqualTo("0");
                python.finish();

                List<BsonDocument> deletes = of(events.upToNow(), "famigo", "family");
                assertThat(types(deletes)).hasSize(DOCS).containsOnly("delete");
                assertThat(ids(deletes)).as("every document's delete, each once").containsExactlyInAnyOrderElementsOf(range(DOCS));
                assertThat(clusterTimeRuns(deletes)).as("runs of delete events sharing a cluster time")
                        .isEqualTo(release.batchedDeletes() ? runs(DOCS, BATCH) : runs(DOCS, 1));
                assertThat(deletes).allSatisfy(e -> {
                    assertThat(e.containsKey("lsid")).as("a batched write is not a transaction: no lsid").isFalse();
                    assertThat(e.containsKey("txnNumber")).isFalse();
                    assertThat(e.containsKey("fullDocument")).isFalse();
                    assertThat(e.getDocument("documentKey").keySet()).containsExactly("_id");
                });
                assertDistinctAscendingTokens(deletes);
            }
            assertThat(client.getDatabase("famigo").getCollection("family").countDocuments()).isZero();
        }
    }

    static List<Integer> ids(List<BsonDocument> events) {
        return events.stream().map(e -> e.getDocument("documentKey").getInt32("_id").getValue()).toList();
    }

    /** {@code n} events in runs of {@code size} (the last one shorter). */
    static List<Integer> runs(int n, int size) {
        List<Integer> runs = new ArrayList<>(Collections.nCopies(n / size, size));
        if (n % size != 0) {
            runs.add(n % size);
        }
        return runs;
    }
}
