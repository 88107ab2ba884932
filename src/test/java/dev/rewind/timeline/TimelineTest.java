package dev.rewind.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.ExitCode;
import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

/** The pure parts of the timeline: buckets, counting, the burst rule and the sparkline. */
class TimelineTest {
    static final Namespace FAMILY = Namespace.of("famigo", "family");

    static ChangeEvent event(Operation op, Namespace ns, long second, int inc) {
        return new ChangeEvent(op, null, ClusterTime.of(second, inc), null, ns, null,
                op.isDocumentLevel() ? new BsonDocument("_id", new BsonInt32(inc)) : null,
                null, null, null, false, null, null, null, null, null);
    }

    @Test
    void choosesAWidthThatGivesAtMostSixtyRows() {
        assertThat(BucketSize.choose(30).seconds()).isEqualTo(1);
        assertThat(BucketSize.choose(3600).seconds()).isEqualTo(60);
        assertThat(BucketSize.choose(6 * 3600).seconds()).isEqualTo(600);
        assertThat(BucketSize.choose(3 * 86400).seconds()).isEqualTo(7200);
        for (long range = 1; range < 40 * 86400L; range = range * 3 / 2 + 1) {
            long rows = (range + BucketSize.choose(range).seconds() - 1) / BucketSize.choose(range).seconds();
            assertThat(rows).as("range %d s", range).isLessThanOrEqualTo(60);
        }
    }

    @Test
    void parsesNamedAndDurationWidthsAndRefusesOthers() {
        assertThat(BucketSize.parse("minute").seconds()).isEqualTo(60);
        assertThat(BucketSize.parse("day").label()).isEqualTo("day");
        assertThat(BucketSize.parse("5m").label()).isEqualTo("5m");
        assertThatThrownBy(() -> BucketSize.parse("fortnight")).isInstanceOfSatisfying(RewindException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void alignsDayBucketsToMidnightInTheZone() {
        long noonUtc = 1_763_380_800L;  // 2025-11-17 12:00 UTC
        assertThat(new BucketSize(86400).start(noonUtc, ZoneOffset.UTC)).isEqualTo(1_763_337_600L);
        assertThat(new BucketSize(86400).start(noonUtc, ZoneId.of("Europe/Berlin"))).isEqualTo(1_763_337_600L - 3600);
    }

    @Test
    void countsEachKindPerNamespaceAndBucketWithinTheRange() {
        Timeline t = new Timeline(ClusterTime.of(100, 0), ClusterTime.of(159, 0xFFFF_FFFFL), new BucketSize(60),
                ZoneOffset.UTC, List.of(NamespacePattern.parse("famigo.*")));
        t.accept(event(Operation.INSERT, FAMILY, 130, 1));
        t.accept(event(Operation.REPLACE, FAMILY, 130, 2));
        t.accept(event(Operation.UPDATE, FAMILY, 130, 3));
        t.accept(event(Operation.DELETE, FAMILY, 150, 1));
        t.accept(event(Operation.DROP, FAMILY, 150, 2));
        t.accept(event(Operation.DROP_DATABASE, Namespace.database("famigo"), 151, 1));
        t.accept(event(Operation.INSERT, FAMILY, 99, 1));
        t.accept(event(Operation.INSERT, FAMILY, 160, 1));
        t.accept(event(Operation.INSERT, Namespace.of("shop", "orders"), 130, 1));
        assertThat(t.events()).isEqualTo(6);
        assertThat(t.namespacesSeen()).containsExactly("famigo.*", "famigo.family", "shop.orders");
        List<NamespaceTimeline> nss = t.namespaces();
        assertThat(nss).extracting(NamespaceTimeline::ns).containsExactly("famigo.*", "famigo.family");
        NamespaceTimeline family = nss.get(1);
        assertThat(family.buckets()).extracting(NamespaceTimeline.Bucket::start).containsExactly(60L, 120L);
        Counts second = family.buckets().get(1).counts();
        assertThat(List.of(second.inserts(), second.updates(), second.deletes(), second.drops())).containsExactly(1L, 2L, 1L, 1L);
    }

    @Test
    void flagsBucketsFarAboveTheMedianAndAtLeastAHundredEvents() {
        List<Counts> buckets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            buckets.add(counts(i == 4 ? 250 : 0, 30));
        }
        buckets.add(counts(0, 99));
        boolean[] burst = BurstRule.flag(buckets);
        assertThat(burst[4]).as("250 deletes against a median of 0").isTrue();
        assertThat(burst[10]).as("99 events: under the floor").isFalse();
        assertThat(burst[0]).isFalse();

        List<Counts> steady = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            steady.add(counts(0, 400 + i));
        }
        assertThat(BurstRule.flag(steady)).as("a busy but steady namespace").containsOnly(false);
    }

    @Test
    void drawsDeletesScaledToTheLargestBucket() {
        assertThat(Sparkline.of(new long[] {0, 1, 50, 100})).isEqualTo("▁▂▅█");
        assertThat(Sparkline.of(new long[] {0, 0})).isEqualTo("▁▁");
    }

    @Test
    void anAccidentOverAdjacentBucketsIsOneBurstTheSparklineFollowsEveryChangeAndRewindsOwnWritesMakeNone() {
        Timeline t = new Timeline(ClusterTime.of(999, 0), ClusterTime.of(1030, 0), new BucketSize(1), ZoneOffset.UTC, List.of());
        int inc = 1;
        for (long second = 1000; second < 1030; second++) {
            t.accept(event(Operation.INSERT, FAMILY, second, inc++));
        }
        for (long second = 1010; second < 1013; second++) {
            for (int i = 0; i < 300; i++) {
                t.accept(event(Operation.DELETE, FAMILY, second, inc++));
            }
        }
        for (int i = 0; i < 900; i++) {
            t.accept(event(Operation.INSERT, FAMILY, 1020, inc++), true);
        }
        for (int i = 0; i < 40; i++) {
            t.accept(event(Operation.UPDATE, FAMILY, 1025, inc++));
        }
        NamespaceTimeline n = t.namespaces().get(0);

        assertThat(n.burstBuckets()).hasSize(3);
        assertThat(n.bursts()).as("three adjacent burst seconds are one accident").isEqualTo(1);
        assertThat(n.totals().rewind()).isEqualTo(900);
        assertThat(n.totals().inserts()).as("Rewind's own writes are counted apart").isEqualTo(30);
        String spark = n.sparkline();
        int at1020 = (int) (1020 - n.buckets().get(0).start());
        assertThat(spark.charAt(at1020)).as("Rewind's restore shows in the sparkline").isEqualTo('█');
        assertThat(spark.charAt(at1020 + 5)).as("so do updates").isNotEqualTo('▁');
    }

    @Test
    void refusesARangeOfTooManyBuckets() {
        assertThatThrownBy(() -> new Timeline(ClusterTime.of(0, 0), ClusterTime.of(86400 * 365, 0), new BucketSize(1),
                ZoneOffset.UTC, List.of())).isInstanceOfSatisfying(RewindException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }

    static Counts counts(int deletes, int inserts) {
        Counts c = new Counts();
        for (int i = 0; i < deletes; i++) {
            c.add(event(Operation.DELETE, FAMILY, 1, i));
        }
        for (int i = 0; i < inserts; i++) {
            c.add(event(Operation.INSERT, FAMILY, 1, i));
        }
        return c;
    }
}
