package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.rewind.ExitCode;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 2: a journal is checked whole before a revert writes anything; a missing batch is
 * CORRUPT (exit 6) naming the file, and the live database is left as it is. A journal id that is not
 * one is a usage error (exit 2), never a path.
 */
class RevertWholeJournalTest {
    @TempDir
    Path tmp;

    @Test
    void aRevertOfAJournalMissingABatchWritesNothingAndNamesTheFile() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            MongoCollection<Document> family = captured.db.getCollection("family");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                docs.add(new Document("_id", i).append("name", "family " + i));
            }
            family.insertMany(docs);
            captured.startCapture();
            ClusterTime t1 = captured.now();
            family.deleteMany(Filters.lt("_id", 700));
            ClusterTime t2 = captured.now();
            captured.stopCapture();

            CliRun.Result undo = captured.undo("--ns", "famigo.family", "--from", t1.toString(), "--to", t2.toString(),
                    "--apply", "--json");
            assertThat(undo.exitCode()).as(undo.toString()).isZero();
            assertThat(family.countDocuments()).isEqualTo(800);
            Path journals = Path.of(captured.repo, "journals");
            String id;
            try (var list = Files.list(journals)) {
                id = list.findFirst().orElseThrow().getFileName().toString();
            }
            Path journal = journals.resolve(id);
            assertThat(journal.resolve("000002")).as("700 writes make two batches of at most 500").exists();
            Path moved = tmp.resolve("000001");

            Files.move(journal.resolve("000001"), moved);
            CliRun.Result gap = captured.undo("--revert", id, "--apply");
            assertThat(gap.exitCode()).as(gap.toString()).isEqualTo(ExitCode.CORRUPT.code());
            assertThat(gap.err()).contains("missing repository file journals/" + id + "/000001").contains("hint: ");
            assertThat(family.countDocuments()).as("nothing reverted").isEqualTo(800);
            Files.move(moved, journal.resolve("000001"));

            Files.move(journal.resolve("000002"), moved);
            CliRun.Result last = captured.undo("--revert", id, "--apply");
            assertThat(last.exitCode()).as("the done file says how many batches there are\n" + last)
                    .isEqualTo(ExitCode.CORRUPT.code());
            assertThat(last.err()).contains("journals/" + id + "/000002");
            assertThat(family.countDocuments()).isEqualTo(800);
            Files.move(moved, journal.resolve("000002"));

            CliRun.Result whole = captured.undo("--revert", id, "--apply");
            assertThat(whole.exitCode()).as(whole.toString()).isZero();
            assertThat(whole.out()).contains("revert of journal " + id).containsPattern("famigo\\.family +700 removed");
            assertThat(family.countDocuments()).isEqualTo(100);
        }
    }

    @Test
    void aJournalIdThatIsNotOneIsAUsageError() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            for (String bad : new String[] {"", "../../etc", "20260101T000000Z:abcdef", "journals/x"}) {
                CliRun.Result r = captured.undo("--revert", bad);
                assertThat(r.exitCode()).as(bad + "\n" + r).isEqualTo(ExitCode.USAGE.code());
                assertThat(r.err()).contains("not a journal id").contains("hint: ").doesNotContain("\tat ");
            }
        }
    }
}
