package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.rewind.check.Famigo;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    static Sandbox sandbox;
    static MongoClient client;
    static Famigo famigo;
    static String uri;

    @TempDir Path dir;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.inMemory();
        uri = sandbox.uri();
        client = MongoClients.create(uri);
        famigo = Famigo.load(client);
        MongoCollection<Document> family = client.getDatabase("famigo").getCollection("family");
        family.insertOne(new Document("email", "ann@example.com").append("name", "Ann"));
        family.insertOne(new Document("email", " Ann@Example.com").append("name", "Ann again"));
        ObjectId parent = new ObjectId();
        client.getDatabase("tidy").getCollection("family").insertOne(new Document("_id", parent).append("email", "a@b"));
        client.getDatabase("tidy").getCollection("child").insertOne(new Document("familyId", parent));
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @Test
    void refsInfersTheRulesAndReportsEveryDanglingReferenceAsJson() {
        CliRun.Result r = CliRun.run("check", "refs", "--uri", uri, "--db", "famigo", "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(11);
        Document json = Document.parse(r.out());
        assertThat(json.getString("rulesFrom")).isEqualTo("inferred");
        assertThat(json.getBoolean("clean")).isFalse();
        assertThat(json.get("dangling", Number.class).longValue()).isEqualTo(23);
        List<Document> rules = json.getList("rules", Document.class);
        assertThat(rules).extracting(d -> d.getString("source") + "." + d.getString("path") + " "
                        + d.get("dangling", Number.class).longValue())
                .containsExactly("famigo.child.familyId 9", "famigo.device.history.familyId 6",
                        "famigo.device.owner.familyId 3", "famigo.group.memberIds 3", "famigo.note.about 0",
                        "famigo.note.child 2");
        Document firstNoteSample = rules.get(5).getList("samples", Document.class).get(0);
        assertThat(firstNoteSample.getString("place")).isEqualTo("child");
        assertThat(firstNoteSample.getString("target")).isEqualTo("famigo.child");
        assertThat(firstNoteSample.get("missing")).isEqualTo(famigo.children.get(0));
    }

    @Test
    void refsPrintsEachDanglingPlaceAsText() {
        CliRun.Result r = CliRun.run("check", "refs", "--uri", uri, "--db", "famigo");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(11);
        assertThat(r.out()).contains("famigo.group.memberIds -> famigo.family", "memberIds.1",
                "history.0.familyId", "famigo.note.child -> (DBRef)",
                "ObjectId(\"" + famigo.families.get(7).toHexString() + "\")",
                "23 dangling references among 80 checked.");
    }

    @Test
    void writesTheInferredRulesAndChecksWithThemAfterwards() throws Exception {
        Path refs = dir.resolve("refs.json");

        CliRun.Result written = CliRun.run("check", "refs", "--uri", uri, "--db", "famigo", "--write-refs", refs.toString());
        CliRun.Result checked = CliRun.run("check", "refs", "--uri", uri, "--db", "famigo", "--refs", refs.toString(), "--json");

        assertThat(written.exitCode()).as(written.toString()).isZero();
        assertThat(written.out()).contains("Wrote 6 inferred reference rules");
        assertThat(Files.readString(refs)).contains("\"source\": \"famigo.child\", \"path\": \"familyId\", \"target\": \"famigo.family\"",
                "\"source\": \"famigo.note\", \"path\": \"about\", \"dbref\": true");
        assertThat(checked.exitCode()).as(checked.toString()).isEqualTo(11);
        assertThat(Document.parse(checked.out()).get("dangling", Number.class).longValue()).isEqualTo(23);
    }

    @Test
    void refsExitsZeroOnADatabaseWithoutDanglingReferences() {
        CliRun.Result r = CliRun.run("check", "refs", "--uri", uri, "--db", "tidy");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("tidy.child.familyId -> tidy.family", "No dangling references among 1 checked.");
    }

    @Test
    void uniqueReportsDifferentlyWrittenEmailsAsOneGroupAsJson() {
        CliRun.Result r = CliRun.run("check", "unique", "--uri", uri, "--ns", "famigo.family", "--field", "email",
                "--ignore-case", "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(11);
        Document json = Document.parse(r.out());
        assertThat(json.get("groups", Number.class).longValue()).isEqualTo(1);
        assertThat(json.get("uniqueIndex")).isNull();
        assertThat(json.getString("createIndex")).startsWith("db.getSiblingDB(\"famigo\").family.createIndex({email: 1}");
        Document group = json.getList("duplicates", Document.class).get(0);
        assertThat(group.get("key", Document.class).getString("email")).isEqualTo("ann@example.com");
        assertThat(group.getList("ids", Object.class)).hasSize(2);
    }

    @Test
    void uniqueExitsZeroAndPrintsTheIndexCommandWhenValuesAreUnique() {
        CliRun.Result r = CliRun.run("check", "unique", "--uri", uri, "--ns", "famigo.family", "--field", "email");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("No duplicates",
                "db.getSiblingDB(\"famigo\").family.createIndex({email: 1}, {unique: true})");
    }

    @Test
    void uniqueRejectsAFieldNoDocumentHas() {
        CliRun.Result r = CliRun.run("check", "unique", "--uri", uri, "--ns", "famigo.family", "--field", "emial");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(8);
        assertThat(r.err()).contains("error: no document in famigo.family has a field 'emial'",
                "hint: fields seen in famigo.family: email, name");
    }

    @Test
    void uniqueRejectsANamespaceThatDoesNotExist() {
        CliRun.Result r = CliRun.run("check", "unique", "--uri", uri, "--ns", "famigo.familly", "--field", "email");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(8);
        assertThat(r.err()).contains("error: no collection 'familly' in database 'famigo'",
                "hint: collections in famigo: child, device, family, group, note");
    }

    @Test
    void refsRejectsADatabaseThatDoesNotExist() {
        CliRun.Result r = CliRun.run("check", "refs", "--uri", uri, "--db", "famgo");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(8);
        assertThat(r.err()).contains("error: no database 'famgo' on the server", "hint: databases there: famigo");
    }

    @Test
    void refsRejectsARefsFileThatDoesNotParse() throws Exception {
        Path refs = Files.writeString(dir.resolve("refs.json"), "{\"references\": [ {\"source\": \"famigo.child\", ");

        CliRun.Result r = CliRun.run("check", "refs", "--uri", uri, "--db", "famigo", "--refs", refs.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("error: " + refs + " is not valid JSON", "hint: see docs/check.md");
    }

    @Test
    void refsRejectsARuleWithAMisspeltKey() throws Exception {
        Path refs = Files.writeString(dir.resolve("refs.json"),
                "{\"references\": [{\"source\": \"child\", \"path\": \"familyId\", \"taget\": \"family\"}]}");

        CliRun.Result r = CliRun.run("check", "refs", "--uri", uri, "--db", "famigo", "--refs", refs.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("references[0]: unknown key \"taget\"", "hint: see docs/check.md");
    }

    @Test
    void refsRejectsADeclaredFieldOrCollectionThatDoesNotExist() throws Exception {
        Path badField = Files.writeString(dir.resolve("field.json"),
                "{\"references\": [{\"source\": \"child\", \"path\": \"famId\", \"target\": \"family\"}]}");
        Path badTarget = Files.writeString(dir.resolve("target.json"),
                "{\"references\": [{\"source\": \"child\", \"path\": \"familyId\", \"target\": \"families\"}]}");

        CliRun.Result field = CliRun.run("check", "refs", "--uri", uri, "--db", "famigo", "--refs", badField.toString());
        CliRun.Result target = CliRun.run("check", "refs", "--uri", uri, "--db", "famigo", "--refs", badTarget.toString());
        CliRun.Result file = CliRun.run("check", "refs", "--uri", uri, "--db", "famigo", "--refs", dir.resolve("none.json").toString());

        assertThat(field.exitCode()).as(field.toString()).isEqualTo(8);
        assertThat(field.err()).contains("no document in famigo.child has a field 'famId'", "hint: fields seen");
        assertThat(target.exitCode()).as(target.toString()).isEqualTo(8);
        assertThat(target.err()).contains("no collection 'families' in database 'famigo'", "hint: collections in famigo");
        assertThat(file.exitCode()).as(file.toString()).isEqualTo(8);
        assertThat(file.err()).contains("no such refs file", "hint:");
    }

    @Test
    void everyCheckCommandExplainsItselfWithHelp() {
        for (String[] args : List.of(new String[] {"check", "--help"}, new String[] {"check", "refs", "--help"},
                new String[] {"check", "unique", "--help"})) {
            CliRun.Result r = CliRun.run(args);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("Usage: rewind check");
        }
        assertThat(CliRun.run("check", "refs", "--help").out()).contains("--refs=FILE", "--write-refs=FILE", "--sample=N");
        assertThat(CliRun.run("check", "unique", "--help").out()).contains("--field=PATH", "--ignore-case");
    }
}
