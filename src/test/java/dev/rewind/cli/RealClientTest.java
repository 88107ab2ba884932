package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.PythonScript;
import dev.rewind.capture.CaptureRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.mongo.ClusterClock;
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
 * The story as it happened, with the tools people use: a Python shell with mongoengine creates the
 * families and then deletes them one at a time instead of saving them; Rewind captures it, and
 * undo puts every family back, which the same Python client then counts. Needs Debian's
 * python3-mongoengine (.ci/run installs it).
 */
class RealClientTest {

    /** The application's mongoengine model: families with a unique e-mail, in famigo.family. */
    private static final String MODEL = String.join("\n",
            "import mongoengine as me, sys",
            "me.connect(host=sys.argv[1] + 'famigo')",
            "class Family(me.Document):",
            "    meta = {'collection': 'family', 'indexes': [{'fields': ['email'], 'unique': True}]}",
            "    name = me.StringField()",
            "    email = me.StringField()",
            "    members = me.IntField()",
            "");

    @TempDir
    Path tmp;

    @Test
    void familiesDeletedFromAMongoengineShellComeBackWithUndo() throws Exception {
        assumeTrue(PythonScript.imports(tmp, "mongoengine"),
                "python3-mongoengine is not installed (apt-get install python3-mongoengine)");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            assertThat(python(MODEL + "for i in range(400):\n    Family(name='family %d' % i, email='f%d@example.org' % i, members=i % 5).save()\n"
                    + "print(Family.objects.count())\n", sandbox.uri())).isZero();
            assertThat(client.getDatabase("famigo").getCollection("family").countDocuments()).isEqualTo(400);

            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "famigo.*");
            ClusterClock clock = new ClusterClock(client);
            ClusterTime before = clock.now();
            List<Document> original = client.getDatabase("famigo").getCollection("family").find()
                    .sort(new Document("_id", 1)).batchSize(1000).into(new ArrayList<>());

            // "for family in Family.objects: family.delete()  # meant to be save()"
            assertThat(python(MODEL + "for f in Family.objects:\n    if Family.objects.count() <= 38:\n        break\n"
                    + "    f.delete()\nprint(Family.objects.count())\n", sandbox.uri())).isZero();
            assertThat(client.getDatabase("famigo").getCollection("family").countDocuments()).isEqualTo(38);
            ClusterTime after = clock.now();
            Thread.sleep(800);
            capture.close();

            CliRun.Result undo = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--ns", "famigo.family",
                    "--from", before.toString(), "--to", after.toString(), "--apply", "--json");
            assertThat(undo.exitCode()).as(undo.toString()).isZero();
            assertThat(Document.parse(undo.out()).get("totals", Document.class).get("restored")).isEqualTo(362);

            assertThat(python(MODEL + "n = Family.objects.count()\nprint(n)\nsys.exit(0 if n == 400 else 1)\n", sandbox.uri()))
                    .as("the Python client counts all 400 families again").isZero();
            assertThat(client.getDatabase("famigo").getCollection("family").find().sort(new Document("_id", 1))
                    .batchSize(1000).into(new ArrayList<>())).isEqualTo(original);
        }
    }

    /**
     * "Family.drop_collection()" typed into the shell; the application's next saves create the
     * collection again, and mongoengine its unique index with it. Undo of the drop puts the 300
     * families back beside the two saved since, and the same client counts them.
     */
    @Test
    void aCollectionDroppedFromAMongoengineShellComesBackBesideTheSavesSince() throws Exception {
        assumeTrue(PythonScript.imports(tmp, "mongoengine"),
                "python3-mongoengine is not installed (apt-get install python3-mongoengine)");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            assertThat(python(MODEL + "for i in range(300):\n    Family(name='family %d' % i, email='f%d@example.org' % i).save()\n",
                    sandbox.uri())).isZero();
            List<Document> original = client.getDatabase("famigo").getCollection("family").find()
                    .sort(new Document("_id", 1)).batchSize(1000).into(new ArrayList<>());
            String repo = tmp.resolve("repo").toString();
            assertThat(CliRun.run("init", "--repo", repo).exitCode()).isZero();
            Repository r = Repositories.open(repo);
            CaptureRun capture = CaptureRun.start(r, client, sandbox.uri(), "famigo.*");
            ClusterClock clock = new ClusterClock(client);
            ClusterTime before = clock.now();
            assertThat(python(MODEL + "Family.drop_collection()\n", sandbox.uri())).isZero();
            ClusterTime after = clock.now();
            assertThat(python(MODEL + "Family(name='new one', email='new@example.org').save()\n"
                    + "Family(name='f7 again', email='f7@example.org').save()\n", sandbox.uri())).isZero();
            Thread.sleep(800);
            capture.close();

            CliRun.Result undo = CliRun.run("undo", "--repo", repo, "--uri", sandbox.uri(), "--ns", "famigo.family",
                    "--from", before.toString(), "--to", after.toString(), "--ops", "drop", "--apply", "--json");

            assertThat(undo.exitCode()).as(undo.toString()).isZero();
            Document done = Document.parse(undo.out());
            assertThat(done.get("totals", Document.class)).as(undo.out()).containsEntry("restored", 299)
                    .containsEntry("conflict: unique key", 1);
            assertThat(done.getList("collections", String.class)).singleElement().asString()
                    .contains("written to since", "it has every index it had then");
            assertThat(python(MODEL + "n = Family.objects.count()\nprint(n)\nsys.exit(0 if n == 301 else 1)\n", sandbox.uri()))
                    .as("the Python client counts 299 families back and the 2 saved since").isZero();
            List<Document> now = client.getDatabase("famigo").getCollection("family").find()
                    .sort(new Document("_id", 1)).batchSize(1000).into(new ArrayList<>());
            assertThat(now).containsAll(original.stream().filter(d -> !"f7@example.org".equals(d.getString("email"))).toList());
        }
    }

    private int python(String script, String uri) throws Exception {
        return PythonScript.run(tmp, script, uri);
    }
}
