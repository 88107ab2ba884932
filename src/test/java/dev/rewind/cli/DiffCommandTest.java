package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.ExitCode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code rewind diff} on a real capture, checked against the states recorded live at two instants and at the end. */
class DiffCommandTest {
    static RecordedHistory history;

    @BeforeAll
    static void record() throws Exception {
        history = RecordedHistory.get();
    }

    /** What changed between two recorded states, by _id. */
    record Expected(Set<Object> added, Set<Object> removed, Set<Object> changed) {
        static Expected between(Map<Object, Document> before, Map<Object, Document> after) {
            Set<Object> added = new HashSet<>(after.keySet());
            added.removeAll(before.keySet());
            Set<Object> removed = new HashSet<>(before.keySet());
            removed.removeAll(after.keySet());
            Set<Object> changed = new HashSet<>();
            before.forEach((id, doc) -> {
                if (after.containsKey(id) && !after.get(id).equals(doc)) {
                    changed.add(id);
                }
            });
            return new Expected(added, removed, changed);
        }
    }

    /** In one pass, and in many (the log read again for each share of the documents, as for a log too large for memory). */
    @ParameterizedTest
    @ValueSource(strings = {"", "--memory-docs=7"})
    void reportsExactlyTheDocumentsAddedRemovedAndChangedBetweenTwoInstants(String passes) {
        CliRun.Result r = CliRun.run(withPasses(passes, "diff", "--repo", history.repo, "--ns", "famigo.family", "--at", history.t1.toString(),
                "--to", history.t2.toString(), "--samples", "1000", "--json"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Document json = Document.parse(r.out());
        assertPasses(json, passes);
        Expected expected = Expected.between(history.familiesAtT1, history.familiesAtT2);
        assertThat(expected.removed()).hasSize(305);
        assertThat(ids(json, "added")).isEqualTo(expected.added());
        assertThat(ids(json, "removed")).isEqualTo(expected.removed());
        assertThat(ids(json, "changed")).isEqualTo(expected.changed());
        assertThat(TimelineCommandTest.num(json.get("uncertain", Document.class), "count")).isZero();
        Document changed20 = samples(json, "changed").stream().filter(s -> s.get("_id").equals(20)).findFirst().orElseThrow();
        assertThat(changed20.getList("fields", Document.class)).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("field", "size").containsEntry("before", "1").containsEntry("after", "99"));
    }

    @Test
    void showsCountsAndAFewSamplesAsText() {
        CliRun.Result r = CliRun.run("diff", "--repo", history.repo, "--ns", "famigo.family", "--at", history.t1.toString(),
                "--to", history.t2.toString(), "--samples", "2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Expected expected = Expected.between(history.familiesAtT1, history.familiesAtT2);
        assertThat(r.out()).contains(expected.added().size() + " added, " + expected.removed().size() + " removed, "
                + expected.changed().size() + " changed");
        assertThat(r.out()).contains("removed (2 of 305):").contains("changed (2 of 10):")
                .contains("name: \"family 10\" → \"replaced 10\"").contains("email: \"f10@example.com\" → (absent)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--memory-docs=7"})
    void comparesWithTheLiveDatabase(String passes) {
        CliRun.Result r = CliRun.run(withPasses(passes, "diff", "--repo", history.repo, "--ns", "famigo.family", "--at", history.t1.toString(),
                "--live", "--uri", history.sandbox.uri(), "--samples", "1000", "--json"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Document json = Document.parse(r.out());
        assertPasses(json, passes);
        Expected expected = Expected.between(history.familiesAtT1, history.familiesAtEnd);
        assertThat(ids(json, "added")).isEqualTo(expected.added());
        assertThat(ids(json, "removed")).isEqualTo(expected.removed());
        assertThat(ids(json, "changed")).isEqualTo(expected.changed()).contains(50, 51);
        assertThat(TimelineCommandTest.num(json, "countAt")).isEqualTo(history.familiesAtT1.size());
        assertThat(TimelineCommandTest.num(json, "countLive")).isEqualTo(history.familiesAtEnd.size());
        assertThat(TimelineCommandTest.num(json, "countDifference"))
                .isEqualTo(history.familiesAtEnd.size() - history.familiesAtT1.size());
    }

    private static void assertPasses(Document json, String passes) {
        if (passes.isEmpty()) {
            assertThat(TimelineCommandTest.num(json, "passes")).as("a small log in one pass").isEqualTo(1);
        } else {
            assertThat(TimelineCommandTest.num(json, "passes")).as("seven documents at a time").isGreaterThan(10);
        }
    }

    private static String[] withPasses(String passes, String... args) {
        if (passes.isEmpty()) {
            return args;
        }
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = passes;
        return out;
    }

    @Test
    void refusesLiveWithoutAUri() {
        BadInputTest.assertError(CliRun.run("diff", "--repo", history.repo, "--ns", "famigo.family", "--at",
                history.t1.toString(), "--live"), ExitCode.USAGE, "no connection string given");
    }

    @Test
    void refusesACollectionTheRepositoryDoesNotKnow() {
        CliRun.Result r = CliRun.run("diff", "--repo", history.repo, "--ns", "famigo.nope", "--at", history.t1.toString(),
                "--to", history.t2.toString());
        BadInputTest.assertError(r, ExitCode.NOT_FOUND, "knows no collection famigo.nope");
        assertThat(r.err()).contains("famigo.family");
    }

    @Test
    void refusesATimeThatDoesNotParse() {
        BadInputTest.assertError(CliRun.run("diff", "--repo", history.repo, "--ns", "famigo.family", "--at", "noonish",
                "--to", history.t2.toString()), ExitCode.USAGE, "not a time: 'noonish'");
    }

    @Test
    void refusesASecondPointBeforeTheFirst() {
        BadInputTest.assertError(CliRun.run("diff", "--repo", history.repo, "--ns", "famigo.family", "--at",
                history.t2.toString(), "--to", history.t1.toString()), ExitCode.USAGE, "is not after --at");
    }

    static List<Document> samples(Document json, String kind) {
        return json.get(kind, Document.class).getList("samples", Document.class);
    }

    static Set<Object> ids(Document json, String kind) {
        Set<Object> out = new HashSet<>();
        samples(json, kind).forEach(s -> out.add(s.get("_id")));
        assertThat(TimelineCommandTest.num(json.get(kind, Document.class), "count")).as(kind).isEqualTo(out.size());
        return out;
    }
}
