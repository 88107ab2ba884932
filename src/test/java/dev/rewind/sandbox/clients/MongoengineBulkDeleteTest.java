package dev.rewind.sandbox.clients;

import static dev.rewind.sandbox.clients.ChangeEvents.clusterTimeRuns;
import static dev.rewind.sandbox.clients.ChangeEvents.of;
import static dev.rewind.sandbox.clients.ChangeEvents.types;
import static dev.rewind.sandbox.clients.PymongoTransactionTest.assertDistinctAscendingTokens;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.sandbox.MongoRelease;
import dev.rewind.sandbox.Sandbox;
import dev.rewind.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed story's bulk form with the tool people use: a mongoengine model saved document by
 * document, then {@code Family.objects.delete()} — mongoengine's bulk delete, one {@code deleteMany}
 * — and the server must report every family's delete, in batches sharing a cluster time on 7.0
 * (manual, "Delete Methods", 6.1+ batching; notes §4).
 */
class MongoengineBulkDeleteTest {
    private static final int FAMILIES = 2000;

    @TempDir
    Path tmp;

    @Test
    void familyObjectsDeleteReportsEveryFamilysDelete() throws Exception {
        ClientProcess.assumePython("mongoengine", "python3-mongoengine");
        String script = String.join("\n",
                "import sys, mongoengine as me",
                "me.connect(host=sys.argv[1] + 'famigo')",
                "class Family(me.Document):",
                "    meta = {'collection': 'family', 'indexes': [{'fields': ['email'], 'unique': True}]}",
                "    name = me.StringField(required=True)",
                "    email = me.StringField(required=True)",
                "    members = me.IntField()",
                "for i in range(" + FAMILIES + "):",
                "    Family(name='family %d' % i, email='f%d@example.org' % i, members=i % 5).save()",
                "print('saved', Family.objects.count())",
                "sys.stdin.readline()",
                "print('deleted', Family.objects.delete())",
                "print('left', Family.objects.count())",
                "");
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults().release(MongoRelease.V7_0));
             MongoClient client = MongoClients.create(sandbox.uri());
             ClientProcess python = ClientProcess.python(tmp, script, sandbox.uri())) {
            assertThat(python.await("saved")).isEqualTo(String.valueOf(FAMILIES));
            List<ObjectId> saved = client.getDatabase("famigo").getCollection("family").find()
                    .map(d -> d.getObjectId("_id")).into(new ArrayList<>());
            assertThat(saved).hasSize(FAMILIES);
            assertThat(client.getDatabase("famigo").getCollection("family").listIndexes().map(d -> d.getString("name"))
                    .into(new ArrayList<>())).contains("email_1");

            try (ChangeEvents events = new ChangeEvents(client)) {
                python.send("delete");
                assertThat(python.await("deleted")).isEqualTo(String.valueOf(FAMILIES));
                assertThat(python.await("left")).isEqualTo("0");
                python.finish();

                List<BsonDocument> deletes = of(events.upToNow(), "famigo", "family");
                assertThat(types(deletes)).hasSize(FAMILIES).containsOnly("delete");
                assertThat(deletes.stream().map(e -> e.getDocument("documentKey").getObjectId("_id").getValue()).toList())
                        .containsExactlyInAnyOrderElementsOf(saved);
                int batch = sandbox.options().batchedDeleteDocs();
                assertThat(batch).as("batchedDeletesTargetBatchDocs' default on 7.0").isEqualTo(10);
                assertThat(clusterTimeRuns(deletes)).isEqualTo(PymongoDeleteManyTest.runs(FAMILIES, batch));
                assertDistinctAscendingTokens(deletes);
            }
            assertThat(client.getDatabase("famigo").getCollection("family").countDocuments(new Document())).isZero();
        }
    }
}
