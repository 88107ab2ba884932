package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.PythonScript;
import dev.rewind.detect.Backoff;
import dev.rewind.detect.DetectingCapture;
import dev.rewind.detect.Rules;
import dev.rewind.repo.Repositories;
import dev.rewind.repo.Repository;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed story told a second way, with the bulk forms of the accident that a real server writes
 * as batches sharing one cluster time: mongoengine's {@code Family.objects.delete()} (one
 * {@code deleteMany}: batched deletes, one applyOps entry per batch since MongoDB 6.1) and a
 * {@code delete_many} inside a transaction (every event with the commit's cluster time, MongoDB
 * manual "Change Events"; src/mongo/db/pipeline/document_source_change_stream_unwind_transaction.cpp).
 * Each must be detected as an incident, undone completely with the original {@code _id}s, and the
 * sign-ups made after the accident must stay. Real clients: Debian's python3-mongoengine and
 * python3-pymongo (.ci/run installs them); skipped, saying so, without them.
 */
class BulkAccidentTest {
    static final int FAMILIES = 3000;

    @TempDir
    Path tmp;

    private static final String MODEL = String.join("\n",
            "import mongoengine as me, pymongo, sys",
            "me.connect(host=sys.argv[1] + 'famigo')",
            "class Family(me.Document):",
            "    meta = {'collection': 'family', 'indexes': [{'fields': ['email'], 'unique': True}]}",
            "    name = me.StringField()",
            "    email = me.StringField()",
            "",
            "");

    @Test
    void mongoenginesBulkDeleteIsDetectedAndUndoneAndLaterSignUpsStay() throws Exception {
        story("Family.objects.delete()\n");
    }

    @Test
    void aDeleteManyInsideATransactionIsDetectedAndUndoneWhole() throws Exception {
        story(String.join("\n",
                "client = pymongo.MongoClient(sys.argv[1])",
                "with client.start_session() as s:",
                "    with s.start_transaction():",
                "        client.famigo.family.delete_many({}, session=s)",
                ""));
    }

    private void story(String accident) throws Exception {
        assumeTrue(PythonScript.imports(tmp, "mongoengine, pymongo"),
                "python3-mongoengine and python3-pymongo are not installed (apt-get install python3-mongoengine)");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            assertThat(python(MODEL + "Family.objects.insert([Family(name='family %d' % i, email='f%d@example.org' % i)"
                    + " for i in range(" + FAMILIES + ")])\n", sandbox.uri())).isZero();
            MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
            List<Document> original = family.find().sort(new Document("_id", 1)).batchSize(1000).into(new ArrayList<>());
            assertThat(original).hasSize(FAMILIES);
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            try (DetectingCapture capture = new DetectingCapture(r, client, sandbox.uri(), Rules.defaults(), null, Backoff.DEFAULT)) {
                while (r.snapshots().isEmpty()) {
                    Thread.sleep(50);
                }
                Thread.sleep(1100);
                assertThat(python(MODEL + accident, sandbox.uri())).as("the accident").isZero();
                assertThat(family.countDocuments()).isZero();
                assertThat(python(MODEL + "for i in range(5):\n    Family(name='new %d' % i, email='new%d@example.org' % i).save()\n",
                        sandbox.uri())).as("sign-ups after the accident").isZero();
                for (int i = 0; i < 100 && new dev.rewind.detect.IncidentStore(r.store()).all().isEmpty(); i++) {
                    Thread.sleep(100);
                }
                Thread.sleep(800);
            }
            CliRun.Result incidents = CliRun.run("incidents", "--repo", repo, "--json");
            assertThat(incidents.out()).as(incidents.toString()).contains("mass-delete").contains("famigo.family");

            CliRun.Result undo = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--incident", "1", "--apply", "--json");
            assertThat(undo.exitCode()).as(undo.toString()).isZero();
            assertThat(Document.parse(undo.out()).get("totals", Document.class).get("restored"))
                    .as("every family back: %s", undo.out()).isEqualTo(FAMILIES);
            List<Document> now = family.find().sort(new Document("_id", 1)).batchSize(1000).into(new ArrayList<>());
            assertThat(now).hasSize(FAMILIES + 5).containsAll(original);
            assertThat(now.stream().filter(d -> d.getString("name").startsWith("new "))).as("the later sign-ups stay").hasSize(5);
        }
    }

    private int python(String script, String uri) throws Exception {
        return PythonScript.run(tmp, script, uri);
    }
}
