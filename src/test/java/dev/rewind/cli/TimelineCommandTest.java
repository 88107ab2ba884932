package dev.rewind.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.ExitCode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code rewind timeline} on a real capture with a burst of deletes in famigo.family and steady inserts everywhere. */
class TimelineCommandTest {
    static RecordedHistory history;

    @BeforeAll
    static void record() throws Exception {
        history = RecordedHistory.get();
    }

    @Test
    void marksTheBurstOfDeletesInItsSecondAndNamespace() {
        CliRun.Result r = CliRun.run("timeline", "--repo", history.repo);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String family = section(r.out(), "famigo.family");
        String orders = section(r.out(), "famigo.orders");
        assertThat(family).as(r.toString()).contains("<< burst").contains("deletes ").containsPattern("█");
        assertThat(orders).as(r.toString()).doesNotContain("burst\n").doesNotContain("<< burst");
        List<String> burstLines = family.lines().filter(l -> l.contains("<< burst")).toList();
        for (String line : burstLines) {
            long second = Instant.from(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC)
                    .parse(line.strip().substring(0, 19))).getEpochSecond();
            assertThat(second).as(line).isBetween(history.burstFrom.seconds(), history.burstTo.seconds());
        }
        assertThat(r.out()).as("text without a terminal has no colour codes").doesNotContain("\u001b[");
    }

    @Test
    void flagsTheBurstInJson() {
        CliRun.Result r = CliRun.run("timeline", "--repo", history.repo, "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Document json = Document.parse(r.out());
        assertThat(json.getString("bucket")).isEqualTo("second");
        Document family = namespace(json, "famigo.family");
        Document orders = namespace(json, "famigo.orders");
        assertThat(num(family, "deletes")).isEqualTo(300 + 5 + 1 + 1);
        assertThat(family.getInteger("bursts")).isPositive();
        List<Document> bursts = family.getList("buckets", Document.class).stream().filter(b -> b.getBoolean("burst")).toList();
        assertThat(bursts).isNotEmpty().allSatisfy(b -> assertThat(num(b, "startSeconds"))
                .isBetween(history.burstFrom.seconds(), history.burstTo.seconds()));
        // the 300 deletes may straddle two seconds under load: the larger part (at least half) is a burst
        assertThat(bursts.stream().mapToLong(b -> num(b, "deletes")).sum()).isGreaterThanOrEqualTo(150);
        assertThat(orders.getInteger("bursts")).isZero();
        assertThat(num(orders, "inserts")).isEqualTo(15 + 5 + 10);
        assertThat(orders.getList("buckets", Document.class)).noneMatch(b -> b.getBoolean("burst"));
    }

    @Test
    void showsOnlyTheNamespacesAskedFor() {
        CliRun.Result r = CliRun.run("timeline", "--repo", history.repo, "--ns", "famigo.orders", "--by", "minute", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Document json = Document.parse(r.out());
        assertThat(json.getList("namespaces", Document.class)).extracting(n -> n.getString("ns")).containsExactly("famigo.orders");
        assertThat(num(json, "bucketSeconds")).isEqualTo(60);
    }

    @Test
    void saysSoWhenTheRangeHoldsNoChanges() {
        CliRun.Result r = CliRun.run("timeline", "--repo", history.repo, "--from", "2001-01-01 00:00:00", "--to", "2001-01-01 01:00");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("no changes").contains("2001-01-01 00:00:00 UTC");
    }

    @Test
    void refusesANamespaceTheLogDoesNotHaveAndNamesThoseItHas() {
        CliRun.Result r = CliRun.run("timeline", "--repo", history.repo, "--ns", "shop.*");
        BadInputTest.assertError(r, ExitCode.NOT_FOUND, "no namespace in the change log or the snapshots matches shop.*");
        assertThat(r.err()).contains("famigo.family").contains("famigo.orders");
    }

    @Test
    void refusesATimeThatDoesNotParse() {
        BadInputTest.assertError(CliRun.run("timeline", "--repo", history.repo, "--from", "yesterday-ish"),
                ExitCode.USAGE, "not a time: 'yesterday-ish'");
    }

    @Test
    void refusesAnEndBeforeTheStart() {
        BadInputTest.assertError(CliRun.run("timeline", "--repo", history.repo, "--from", "2026-01-02 00:00",
                "--to", "2026-01-01 00:00"), ExitCode.USAGE, "is not after --from");
    }

    /** The lines of one namespace's block: from its header to the next blank line. */
    static String section(String out, String ns) {
        int start = out.indexOf("\n" + ns + "  ");
        assertThat(start).as("no section for %s in:%n%s", ns, out).isNotNegative();
        int end = out.indexOf("\n\n", start + 1);
        return out.substring(start + 1, end < 0 ? out.length() : end);
    }

    static long num(Document d, String key) {
        return ((Number) d.get(key)).longValue();
    }

    static Document namespace(Document json, String ns) {
        return json.getList("namespaces", Document.class).stream().filter(n -> n.getString("ns").equals(ns)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + ns + " in " + json.toJson()));
    }
}
