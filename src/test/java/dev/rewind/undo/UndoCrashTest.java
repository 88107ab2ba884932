package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.bench.Families;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An undo killed half-way (SIGKILL, in its own JVM) and run again ends exactly where an
 * uninterrupted undo would, and the two journals together take everything back.
 */
class UndoCrashTest {
    static final int FAMILIES = 5_100;
    static final int DELETED = 5_000;

    @TempDir
    Path tmp;

    @Test
    void aRerunAfterACrashMidApplyEndsLikeAnUninterruptedRunAndBothJournalsRevertIt() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            MongoCollection<Document> family = captured.db.getCollection("family");
            Families gen = new Families(3);
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < FAMILIES; i++) {
                Document d = gen.next();
                d.put("_id", i);
                batch.add(d);
                if (batch.size() == 1000 || i == FAMILIES - 1) {
                    family.insertMany(batch);
                    batch.clear();
                }
            }
            captured.startCapture();
            ClusterTime t1 = captured.now();
            Map<Object, BsonDocument> atT1 = captured.collection("family");

            family.deleteMany(Filters.lt("_id", DELETED));
            ClusterTime t2 = captured.now();
            family.insertOne(new Document("_id", "signed-up-later").append("plan", "free"));
            family.updateOne(Filters.eq("_id", DELETED + 5), Updates.set("plan", "premium-later"));
            captured.stopCapture();
            Map<String, Map<Object, String>> beforeUndo = captured.everything();

            Map<String, Map<Object, String>> expected = new TreeMap<>(beforeUndo);
            Map<Object, String> families = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            families.putAll(beforeUndo.get("family"));
            atT1.forEach((id, d) -> families.putIfAbsent(id, d.toJson()));
            expected.put("family", families);
            assertThat(families).hasSize(FAMILIES + 1);

            String[] undo = {"undo", "--repo", captured.repo, "--uri", captured.sandbox.uri(), "--ns", "famigo.family",
                "--from", t1.toString(), "--to", t2.toString(), "--ops", "delete", "--apply", "--json"};
            Process killed = new ProcessBuilder(childJvm(undo))
                    .redirectOutput(tmp.resolve("killed.out").toFile()).redirectError(tmp.resolve("killed.err").toFile())
                    .start();
            Path journals = Path.of(captured.repo, "journals");
            Optional<Path> firstBatch = Optional.empty();
            while (firstBatch.isEmpty() && killed.isAlive()) {
                firstBatch = batchFile(journals);
                Thread.sleep(5);
            }
            killed.destroyForcibly().waitFor();
            assertThat(firstBatch).as("the undo was killed after its first journal batch: " + Files.readString(tmp.resolve("killed.err")))
                    .isPresent();
            Path killedJournal = firstBatch.get().getParent();
            assertThat(killedJournal.resolve("done")).as("it did not finish").doesNotExist();
            long restoredBeforeTheCrash = family.countDocuments() - (FAMILIES - DELETED + 1);
            assertThat(restoredBeforeTheCrash).as("killed half-way").isLessThan(DELETED);

            CliRun.Result rerun = CliRun.run(undo);
            assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
            Document report = Document.parse(rerun.out());
            assertThat(report.get("totals", Document.class).getInteger("restored", 0))
                    .as("the rerun writes only what the crash left").isEqualTo(DELETED - (int) restoredBeforeTheCrash);
            assertThat(captured.everything()).isEqualTo(expected);

            for (String journal : List.of(report.getString("journal"), killedJournal.getFileName().toString())) {
                CliRun.Result revert = captured.undo("--revert", journal, "--apply");
                assertThat(revert.exitCode()).as(revert.toString()).isZero();
            }
            assertThat(captured.everything()).isEqualTo(beforeUndo);
        }
    }

    /** The first journal batch file (journals/ID/000001) once one exists. */
    private static Optional<Path> batchFile(Path journals) throws IOException {
        if (!Files.isDirectory(journals)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(journals, 2)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d{6}")).findFirst();
        }
    }

    private static List<String> childJvm(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.rewind.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
