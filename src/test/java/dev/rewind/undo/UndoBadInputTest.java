package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.rewind.ExitCode;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import dev.rewind.sandbox.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What undo says to a user who gets something wrong, through the CLI: the documented exit code, a
 * one-line error, a hint that helps (the namespaces or restorable windows there are), and nothing
 * written anywhere.
 */
class UndoBadInputTest {
    @TempDir
    static Path tmp;

    static Captured captured;
    static ClusterTime t1;
    static ClusterTime t2;
    static ClusterTime t3;

    @BeforeAll
    static void recordTenDeletes() throws Exception {
        captured = new Captured(tmp);
        MongoCollection<Document> family = captured.db.getCollection("family");
        List<Document> seed = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            seed.add(new Document("_id", i).append("name", "family " + i));
        }
        family.insertMany(seed);
        captured.db.getCollection("other").insertOne(new Document("_id", 0));
        captured.startCapture();
        t1 = captured.now();
        for (int i = 0; i < 10; i++) {
            family.deleteOne(Filters.eq("_id", i));
        }
        t2 = captured.now();
        captured.db.getCollection("other").insertOne(new Document("_id", 1));
        t3 = captured.now();
        captured.stopCapture();
    }

    @AfterAll
    static void stop() throws Exception {
        captured.close();
    }

    @Test
    void aWindowWithoutEventsSaysThereIsNothingToUndo() {
        CliRun.Result r = captured.undo("--ns", "famigo.family", "--from", t2.toString(), "--to", t3.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("nothing to undo: no delete/update of [famigo.family] between");

        CliRun.Result json = captured.undo("--ns", "famigo.family", "--from", t2.toString(), "--to", t3.toString(), "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(Document.parse(json.out()).getBoolean("nothingToUndo")).isTrue();
    }

    @Test
    void aReportThatCannotBeWrittenStopsTheUndoBeforeAnyWrite() throws Exception {
        long before = captured.db.getCollection("family").countDocuments();
        long journals = journals();
        Path nowhere = tmp.resolve("no such folder").resolve("report.ndjson");

        CliRun.Result r = captured.undo("--ns", "famigo.family", "--from", t1.toString(), "--to", t2.toString(),
                "--report", nowhere.toString(), "--apply");

        assertError(r, ExitCode.IO, "cannot write the report " + nowhere);
        assertThat(captured.db.getCollection("family").countDocuments()).as("nothing restored").isEqualTo(before);
        assertThat(journals()).as("no journal started").isEqualTo(journals);
    }

    private static long journals() throws java.io.IOException {
        Path dir = Path.of(captured.repo, "journals");
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        try (var list = java.nio.file.Files.list(dir)) {
            return list.count();
        }
    }

    @Test
    void anUnknownNamespaceNamesTheNamespacesThereAre() {
        CliRun.Result r = captured.undo("--ns", "famgio.*", "--from", t1.toString(), "--to", t2.toString());
        assertError(r, ExitCode.NOT_FOUND, "no namespace in the repository matches [famgio.*]");
        assertThat(r.err()).contains("famigo.family").contains("famigo.other");
    }

    @Test
    void aWindowStartingBeforeTheFirstSnapshotNamesTheRestorableWindows() {
        CliRun.Result r = captured.undo("--from", "1000000000,1", "--to", t2.toString());
        assertError(r, ExitCode.NOT_FOUND, "no restorable state at 2001-09-09 01:46:40 UTC");
        assertThat(r.err()).contains("restorable windows (UTC):");
    }

    @Test
    void aWindowEndingAfterTheLogNamesTheRestorableWindows() {
        ClusterTime later = ClusterTime.of(t3.seconds() + 3600, 0);
        CliRun.Result r = captured.undo("--from", t1.toString(), "--to", later.toString());
        assertError(r, ExitCode.NOT_FOUND, "the change log does not cover the window up to");
        assertThat(r.err()).contains("restorable windows (UTC):");
    }

    @Test
    void aWindowEndingBeforeItStartsIsAUsageError() {
        CliRun.Result r = captured.undo("--from", t2.toString(), "--to", t1.toString());
        assertError(r, ExitCode.USAGE, "the window ends");
    }

    @Test
    void applyingToAnotherServerIsRefusedUnlessForced() {
        try (Sandbox other = Sandbox.inMemory(); MongoClient client = MongoClients.create(other.uri())) {
            String[] args = {"undo", "--repo", captured.repo, "--uri", other.uri(), "--ns", "famigo.family",
                "--from", t1.toString(), "--to", t2.toString(), "--apply"};
            CliRun.Result refused = CliRun.run(args);
            assertError(refused, ExitCode.REFUSED, "--uri names another server than the one this repository captured");
            assertThat(refused.err()).contains("--force-target");
            assertThat(client.listDatabaseNames().into(new ArrayList<>())).doesNotContain("famigo");

            List<String> forced = new ArrayList<>(List.of(args));
            forced.add("--force-target");
            CliRun.Result r = CliRun.run(forced.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(client.getDatabase("famigo").getCollection("family").countDocuments()).isEqualTo(10);
        }
        assertThat(captured.db.getCollection("family").countDocuments()).as("the captured server is not touched").isEqualTo(40);
    }

    @Test
    void anUnknownKindOfChangeIsAUsageError() {
        assertError(captured.undo("--from", t1.toString(), "--to", t2.toString(), "--ops", "frob"),
                ExitCode.USAGE, "unknown kind of change 'frob'");
    }

    @Test
    void aFilterThatIsNotJsonIsAUsageError() {
        assertError(captured.undo("--from", t1.toString(), "--to", t2.toString(), "--filter", "{bad"),
                ExitCode.USAGE, "--filter is not JSON");
    }

    @Test
    void revertingAnUnknownJournalNamesWhereJournalsAre() {
        assertError(captured.undo("--revert", "20260101T000000Z-abcdef", "--apply"), ExitCode.NOT_FOUND,
                "no journal '20260101T000000Z-abcdef'");
    }

    @Test
    void anUnknownConflictPolicyIsAUsageError() {
        assertError(captured.undo("--from", t1.toString(), "--to", t2.toString(), "--on-conflict", "maybe"),
                ExitCode.USAGE, "unknown --on-conflict 'maybe'");
    }

    static void assertError(CliRun.Result r, ExitCode code, String message) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(code.code());
        assertThat(r.err()).as(r.toString()).contains("error: ").contains(message).contains("hint: ");
        assertThat(r.err()).as("no stack trace without --verbose").doesNotContain("\tat ");
        assertThat(captured.db.getCollection("family").countDocuments()).as("nothing written").isEqualTo(40);
    }
}
