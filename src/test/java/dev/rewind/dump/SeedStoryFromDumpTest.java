package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.rewind.PythonScript;
import dev.rewind.cli.CliRun;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed story without capture, with the tools the team had: a mongodump taken the day before;
 * the next day sign-ups, then the mongoengine loop that deletes the families one at a time with
 * sign-ups going on during it and after it, and three of the deleted families signing up again with
 * the same email (a unique index) under new _ids. Salvage from the old dump puts back every family
 * but those three, which it reports with the documents that hold their emails; every family written
 * since is kept as it is; --check-refs names the children left pointing at the three; and
 * {@code undo --revert} takes it all back exactly. Real clients: Debian's python3-mongoengine; the
 * peer mongodump 100.8.0. Skipped, saying so, without them.
 */
class SeedStoryFromDumpTest {
    static final int FAMILIES = 400;

    private static final String MODEL = String.join("\n",
            "import mongoengine as me, sys",
            "me.connect(host=sys.argv[1] + 'famigo')",
            "class Family(me.Document):",
            "    meta = {'collection': 'family', 'indexes': [{'fields': ['email'], 'unique': True}]}",
            "    name = me.StringField()",
            "    email = me.StringField()",
            "    members = me.IntField()",
            "class Child(me.Document):",
            "    meta = {'collection': 'child'}",
            "    name = me.StringField()",
            "    family = me.ReferenceField(Family)",
            "");

    @TempDir
    Path tmp;

    @Test
    void salvageFromYesterdaysDumpBringsBackEveryFamilyButTheReCreatedOnesAndRevertsExactly() throws Exception {
        Peers.assumeAvailable();
        assumeTrue(PythonScript.imports(tmp, "mongoengine"),
                "python3-mongoengine is not installed (apt-get install python3-mongoengine)");
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            assertThat(python(MODEL + "for i in range(" + FAMILIES + "):\n"
                    + "    f = Family(name='family %d' % i, email='f%d@example.org' % i, members=i % 5).save()\n"
                    + "    Child(name='child of %d' % i, family=f).save()\n", sandbox.uri())).isZero();
            Peers.mongodump(tmp, "--uri", sandbox.uri(), "--db", "famigo", "--out", "dump");   // the day before
            List<Document> inDump = families(client);

            assertThat(python(MODEL + "for i in range(10):\n    Family(name='signup %d' % i, email='s%d@example.org' % i).save()\n"
                    + "n = 0\n"
                    + "for f in Family.objects:\n"
                    + "    if Family.objects.count() <= 38:\n        break\n"
                    + "    f.delete()\n"
                    + "    n += 1\n"
                    + "    if n % 50 == 0:\n        Family(name='during %d' % n, email='d%d@example.org' % n).save()\n"
                    + "for i in (3, 4, 5):\n    Family(name='family %d again' % i, email='f%d@example.org' % i).save()\n"
                    + "for i in range(5):\n    Family(name='after %d' % i, email='a%d@example.org' % i).save()\n",
                    sandbox.uri())).as("the accident, with sign-ups before, during and after it").isZero();
            List<Document> beforeSalvage = families(client);
            Set<Object> liveIds = ids(beforeSalvage);
            List<Document> lost = inDump.stream().filter(d -> !liveIds.contains(d.get("_id"))).toList();
            assertThat(lost).hasSizeGreaterThan(300);
            Set<Object> reCreated = new HashSet<>();
            for (Document d : inDump) {
                if (List.of("f3@example.org", "f4@example.org", "f5@example.org").contains(d.getString("email"))) {
                    reCreated.add(d.get("_id"));
                }
            }

            String dump = tmp.resolve("dump").toString();
            CliRun.Result dry = CliRun.run("salvage", "--dump", dump, "--uri", sandbox.uri(), "--ns", "famigo.family", "--json");
            assertThat(dry.exitCode()).as(dry.toString()).isZero();
            Document plan = Document.parse(dry.out()).get("totals", Document.class);
            assertThat(plan.getInteger("restored")).isEqualTo(lost.size() - 3);
            assertThat(plan.getInteger("conflict: unique key")).isEqualTo(3);
            assertThat(families(client)).as("a dry run writes nothing").isEqualTo(beforeSalvage);
            assertThat(Files.exists(tmp.resolve("dump.rewind"))).as("nor creates a repository").isFalse();

            CliRun.Result applied = CliRun.run("salvage", "--dump", dump, "--uri", sandbox.uri(), "--ns", "famigo.family",
                    "--apply", "--check-refs", "--json");
            assertThat(applied.exitCode()).as(applied.toString()).isZero();
            Document result = Document.parse(applied.out());
            assertThat(result.get("totals", Document.class).getInteger("restored")).isEqualTo(lost.size() - 3);
            List<Document> conflicts = result.getList("samples", Document.class).stream()
                    .filter(s -> s.getString("outcome").equals("conflict: unique key")).toList();
            assertThat(conflicts).hasSize(3);
            assertThat(conflicts.stream().map(c -> c.get("_id"))).containsExactlyInAnyOrderElementsOf(reCreated);
            assertThat(conflicts.stream().map(c -> c.get("holder"))).as("the holders: the families signed up again")
                    .allSatisfy(h -> assertThat(liveIds).contains(h));
            long dangling = result.getList("references", Document.class).stream().mapToLong(r -> ((Number) r.get("dangling")).longValue()).sum();
            assertThat(dangling).as("the children of the three families signed up again: %s", applied.out()).isEqualTo(3);

            List<Document> after = families(client);
            assertThat(after).as("every family written since is kept as it was").containsAll(beforeSalvage);
            assertThat(after).as("every lost family is back, but the three").containsAll(
                    lost.stream().filter(d -> !reCreated.contains(d.get("_id"))).toList());
            assertThat(after).hasSize(beforeSalvage.size() + lost.size() - 3);
            assertThat(python(MODEL + "n = Family.objects.count()\nprint(n)\nsys.exit(0 if n == " + after.size() + " else 1)\n",
                    sandbox.uri())).as("the Python client counts them").isZero();

            String journal = result.getString("journal");
            CliRun.Result revert = CliRun.run("undo", "--repo", tmp.resolve("dump.rewind").toString(), "--uri", sandbox.uri(),
                    "--revert", journal, "--apply");
            assertThat(revert.exitCode()).as(revert.toString()).isZero();
            assertThat(families(client)).as("the revert is exact").isEqualTo(beforeSalvage);
        }
    }

    private static List<Document> families(MongoClient client) {
        return client.getDatabase("famigo").getCollection("family").find().sort(new Document("_id", 1)).batchSize(1000)
                .into(new ArrayList<>());
    }

    private static Set<Object> ids(List<Document> docs) {
        Set<Object> out = new HashSet<>();
        docs.forEach(d -> out.add((ObjectId) d.get("_id")));
        return out;
    }

    private int python(String script, String uri) throws Exception {
        return PythonScript.run(tmp, script, uri);
    }
}
