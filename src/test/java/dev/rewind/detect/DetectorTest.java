package dev.rewind.detect;

import static dev.rewind.detect.Events.delete;
import static dev.rewind.detect.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

class DetectorTest {
    static final long T0 = 1_790_000_000L;
    static final String FAMILY = "famigo.family";

    /** A clock the test moves by hand. */
    static final class FakeClock extends Clock {
        Instant now = Instant.ofEpochSecond(T0);

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
        void advance(Duration d) { now = now.plus(d); }
    }

    final FakeClock clock = new FakeClock();
    final AtomicLong ids = new AtomicLong();

    Detector detector(Rules rules, Map<String, Long> sizes) {
        CollectionSizes s = new CollectionSizes();
        s.rebase(sizes, new ClusterTime(T0 - 10, 0));
        return new Detector(rules, s, ids::incrementAndGet, clock, "/backups", "mongodb://db1/");
    }

    Detector detector(Map<String, Long> sizes) {
        return detector(Rules.defaults(), sizes);
    }

    /** Deletes ids [from, to) at {@code perSecond} a second of event time starting at second {@code start}. */
    static List<ChangeEvent> deletes(String ns, int from, int to, int perSecond, long start) {
        List<ChangeEvent> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int k = i - from;
            out.add(delete(ns, i, start + k / perSecond, k % perSecond + 1));
        }
        return out;
    }

    static ClusterTime at(long seconds) {
        return new ClusterTime(seconds, 0);
    }

    @Test
    void opensAnIncidentOnceDeletesReachTheCountAndTheFractionWithinTheWindow() {
        Detector d = detector(Map.of(FAMILY, 5000L));
        List<ChangeEvent> burst = deletes(FAMILY, 0, 600, 100, T0);

        List<IncidentChange> changes = d.accept(burst, at(T0 + 6));

        assertThat(changes).extracting(IncidentChange::kind)
                .containsExactly(IncidentChange.Kind.OPENED, IncidentChange.Kind.UPDATED);
        Incident atOpen = changes.get(0).incident();
        assertThat(atOpen.counts()).as("as it stood at the delete that tripped the rule").containsExactly(Map.entry("delete", 500L));
        assertThat(atOpen.lastAt()).isEqualTo(burst.get(499).clusterTime());
        Incident i = changes.get(1).incident();
        assertThat(i.id()).isEqualTo(atOpen.id());
        assertThat(i.rule()).isEqualTo("mass-delete");
        assertThat(i.severity()).isEqualTo("critical");
        assertThat(i.status()).isEqualTo("open");
        assertThat(i.namespaces()).containsExactly(FAMILY);
        assertThat(i.counts()).containsExactly(Map.entry("delete", 600L));
        assertThat(i.firstAt()).as("the first delete of the burst, so undo takes it back too").isEqualTo(burst.get(0).clusterTime());
        assertThat(i.lastAt()).isEqualTo(burst.get(599).clusterTime());
        assertThat(i.samples()).hasSize(10).first().isEqualTo(new BsonInt64(0));
        assertThat(i.undoOps()).containsExactly("delete");
        assertThat(i.undoCommand()).isEqualTo("rewind undo --repo /backups --uri mongodb://db1/ --incident 1");
        // the opened alert says how to find the client still deleting (MongoshTest.mongoshFindsARunningWriteAndKillsIt
        // runs this filter); the closed one does not
        assertThat(new Alert(IncidentChange.Kind.OPENED, atOpen).text())
                .endsWith(". Who is writing, while it runs (mongosh): db.currentOp({ns: '" + FAMILY + "', op: 'remove'})");
        assertThat(new Alert(IncidentChange.Kind.CLOSED, i).text()).doesNotContain("db.currentOp");
    }

    @Test
    void opensAtTheDeleteThatReachesTheThreshold() {
        Detector d = detector(Map.of(FAMILY, 5000L));
        assertThat(d.accept(deletes(FAMILY, 0, 499, 100, T0), at(T0 + 5))).isEmpty();

        List<IncidentChange> changes = d.accept(List.of(delete(FAMILY, 499, T0 + 5, 1)), at(T0 + 5));

        assertThat(changes).extracting(IncidentChange::kind).containsExactly(IncidentChange.Kind.OPENED);
        assertThat(changes.get(0).incident().total()).isEqualTo(500);
    }

    @Test
    void staysQuietWhenTheDeletesAreLessThanATenthOfALargeCollection() {
        Detector d = detector(Map.of(FAMILY, 1_000_000L));

        assertThat(d.accept(deletes(FAMILY, 0, 50_000, 1000, T0), at(T0 + 50))).isEmpty();
        assertThat(d.accept(deletes(FAMILY, 50_000, 170_000, 4000, T0 + 50), at(T0 + 80)))
                .as("more than a tenth within a minute").isNotEmpty();
    }

    @Test
    void staysQuietWhenTheDeletesAreSpreadOverMoreThanTheWindow() {
        Detector d = detector(Map.of(FAMILY, 2000L));

        assertThat(d.accept(deletes(FAMILY, 0, 1500, 5, T0), at(T0 + 300))).isEmpty();
    }

    @Test
    void keepsOneIncidentForTheWholeBurstAndUpdatesItOncePerSegment() {
        Detector d = detector(Map.of(FAMILY, 5000L));
        List<IncidentChange> all = new ArrayList<>();
        for (int seg = 0; seg < 40; seg++) {
            all.addAll(d.accept(deletes(FAMILY, seg * 100, seg * 100 + 100, 100, T0 + seg), at(T0 + seg)));
        }

        assertThat(all).filteredOn(c -> c.kind() == IncidentChange.Kind.OPENED).hasSize(1);
        assertThat(all).filteredOn(c -> c.kind() == IncidentChange.Kind.CLOSED).isEmpty();
        assertThat(all).extracting(c -> c.incident().id()).containsOnly(1L);
        assertThat(all.get(all.size() - 1).incident().counts()).containsEntry("delete", 4000L);
        assertThat(all).as("one change per segment once open").hasSize(40 - 4);
    }

    @Test
    void closesAfterTheQuietPeriodOfEventTimeWithTotals() {
        Detector d = detector(new Rules(Rules.defaultRules(), 60), Map.of(FAMILY, 5000L));
        d.accept(deletes(FAMILY, 0, 1000, 100, T0), at(T0 + 10));

        assertThat(d.accept(List.of(), at(T0 + 68))).as("quiet for 59 s").isEmpty();
        List<IncidentChange> closed = d.accept(List.of(), at(T0 + 69));

        assertThat(closed).extracting(IncidentChange::kind).containsExactly(IncidentChange.Kind.CLOSED);
        assertThat(closed.get(0).incident().status()).isEqualTo("closed");
        assertThat(closed.get(0).incident().counts()).containsExactly(Map.entry("delete", 1000L));
        assertThat(d.openIncidents()).isEmpty();
    }

    @Test
    void closesAfterTheQuietPeriodOfWallTimeWhenTheClusterTimeStandsStill() {
        Detector d = detector(new Rules(Rules.defaultRules(), 5), Map.of(FAMILY, 5000L));
        d.accept(deletes(FAMILY, 0, 1000, 1000, T0), at(T0));
        clock.advance(Duration.ofSeconds(4));
        assertThat(d.accept(List.of(), at(T0))).isEmpty();

        clock.advance(Duration.ofSeconds(1));

        assertThat(d.accept(List.of(), at(T0))).extracting(IncidentChange::kind).containsExactly(IncidentChange.Kind.CLOSED);
    }

    @Test
    void opensANewIncidentForANewBurstAfterTheQuiet() {
        Detector d = detector(new Rules(Rules.defaultRules(), 5), Map.of(FAMILY, 10_000L));
        d.accept(deletes(FAMILY, 0, 1000, 1000, T0), at(T0));
        assertThat(d.accept(List.of(), at(T0 + 5))).extracting(IncidentChange::kind).containsExactly(IncidentChange.Kind.CLOSED);

        assertThat(d.accept(deletes(FAMILY, 1000, 1100, 1000, T0 + 6), at(T0 + 6)))
                .as("the closed burst's deletes no longer count").isEmpty();
        List<IncidentChange> again = d.accept(deletes(FAMILY, 1100, 2000, 1000, T0 + 7), at(T0 + 7));

        assertThat(again).extracting(IncidentChange::kind).containsExactly(IncidentChange.Kind.OPENED, IncidentChange.Kind.UPDATED);
        assertThat(again.get(0).incident().id()).isEqualTo(2);
        assertThat(again.get(0).incident().firstAt().seconds()).isEqualTo(T0 + 6);
    }

    @Test
    void flagsADropAndADropDatabaseAtOnce() {
        Detector d = detector(Map.of(FAMILY, 5000L, "famigo.child", 10L));
        List<IncidentChange> drop = d.accept(List.of(event(Operation.DROP, "famigo.child", -1, T0, 1)), at(T0));

        assertThat(drop).extracting(IncidentChange::kind).containsExactly(IncidentChange.Kind.OPENED);
        assertThat(drop.get(0).incident().rule()).isEqualTo("drop");
        assertThat(drop.get(0).incident().undoOps()).containsExactly("drop");

        List<IncidentChange> more = d.accept(List.of(event(Operation.DROP, FAMILY, -1, T0 + 1, 1),
                event(Operation.DROP_DATABASE, "famigo", -1, T0 + 1, 2)), at(T0 + 1));
        assertThat(more).extracting(IncidentChange::kind).containsExactly(IncidentChange.Kind.UPDATED);
        assertThat(more.get(0).incident().namespaces()).containsExactly("famigo.child", FAMILY, "famigo");
        assertThat(more.get(0).incident().counts()).containsEntry("drop", 2L).containsEntry("dropDatabase", 1L);
    }

    /**
     * A rename with {@code dropTarget} drops the collection at its target; the only event is the rename,
     * whose {@code operationDescription.dropTarget} names the dropped collection's UUID (manual, "Change
     * Events", rename; SERVER-53478: no drop event). A rename to a free name drops nothing.
     */
    @Test
    void flagsARenameThatReplacedItsTargetAsADropOfTheTargetAndNotAPlainRename() {
        Detector d = detector(Map.of(FAMILY, 5000L, "famigo.staging", 10L, "famigo.old", 3L));
        ChangeEvent plain = rename("famigo.old", "famigo.archive", null, T0);
        assertThat(d.accept(List.of(plain), at(T0))).as("a plain rename").isEmpty();

        ChangeEvent over = rename("famigo.staging", FAMILY, new BsonBinary(UUID.randomUUID()), T0 + 1);
        List<IncidentChange> changes = d.accept(List.of(over), at(T0 + 1));

        assertThat(changes).extracting(IncidentChange::kind).containsExactly(IncidentChange.Kind.OPENED);
        Incident i = changes.get(0).incident();
        assertThat(i.rule()).isEqualTo("drop");
        assertThat(i.severity()).isEqualTo(Rule.CRITICAL);
        assertThat(i.namespaces()).containsExactly(FAMILY);
        assertThat(i.counts()).containsExactly(Map.entry("drop", 1L));
        assertThat(i.undoOps()).containsExactly("drop");
        assertThat(i.causes()).containsExactly(FAMILY + " replaced by a rename of famigo.staging over it");
        assertThat(Incident.fromDocument(org.bson.Document.parse(i.toDocument().toJson())).causes()).as("stored")
                .isEqualTo(i.causes());
        assertThat(new Alert(IncidentChange.Kind.OPENED, i).text())
                .contains("1 drop in famigo.family (famigo.family replaced by a rename of famigo.staging over it) since")
                .as("a drop is over when it is seen: no one to find running").doesNotContain("db.currentOp");
        assertThat(d.sizes().size(Namespace.parse(FAMILY))).as("the renamed collection's size").isEqualTo(10);
    }

    /**
     * An aggregation's $out and a rename across databases reach the target through a temporary
     * collection mongod fills first (manual, "$out"; jstests/change_streams/cross_db_rename_no_staging_events.js):
     * the cause says which.
     */
    @Test
    void theCauseOfARenameThroughATemporaryCollectionSaysOutOrAnotherDatabase() {
        Detector d = detector(Map.of(FAMILY, 5000L, "famigo.child", 10L));
        BsonBinary uuid = new BsonBinary(UUID.randomUUID());
        List<IncidentChange> out = d.accept(List.of(rename("famigo.tmp.agg_out.0b7c", FAMILY, uuid, T0),
                rename("famigo.tmpAb12C.renameCollection", "famigo.child", uuid, T0 + 1)), at(T0 + 1));
        assertThat(out).extracting(c -> c.incident().causes()).last().asList().containsExactly(
                FAMILY + " replaced by an aggregation's $out (through famigo.tmp.agg_out.0b7c)",
                "famigo.child replaced by a rename from another database over it (through famigo.tmpAb12C.renameCollection)");
    }

    /** A rename event as capture stores it: {@code to}, and {@code operationDescription} as under showExpandedEvents. */
    static ChangeEvent rename(String from, String to, BsonBinary dropTarget, long seconds) {
        Namespace target = Namespace.parse(to);
        BsonDocument description = new BsonDocument("to", new BsonDocument("db",
                new BsonString(target.db())).append("coll", new BsonString(target.coll())));
        if (dropTarget != null) {
            description.append("dropTarget", dropTarget);
        }
        return new ChangeEvent(Operation.RENAME, "rename", new ClusterTime(seconds, 1), null, Namespace.parse(from),
                target, null, null, null, null, false, null, null, new BsonDocument("operationDescription", description), null, null);
    }

    @Test
    void warnsWhenAThirdOfACollectionIsUpdatedWithinAMinute() {
        Detector d = detector(Map.of(FAMILY, 3000L));
        List<ChangeEvent> updates = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            updates.add(event(i % 2 == 0 ? Operation.UPDATE : Operation.REPLACE, FAMILY, i, T0 + i / 50, i % 50 + 1));
        }

        List<IncidentChange> changes = d.accept(updates, at(T0 + 20));

        assertThat(changes).extracting(IncidentChange::kind)
                .containsExactly(IncidentChange.Kind.OPENED, IncidentChange.Kind.UPDATED);
        assertThat(changes.get(0).incident().total()).as("30% of 3,000").isEqualTo(900);
        Incident i = changes.get(1).incident();
        assertThat(i.rule()).isEqualTo("mass-update");
        assertThat(i.severity()).isEqualTo("warning");
        assertThat(i.total()).isEqualTo(1000);
        assertThat(i.undoOps()).containsExactly("update");
    }

    @Test
    void countsDocumentsNotEventsForUpdates() {
        Detector d = detector(Map.of(FAMILY, 1000L));
        List<ChangeEvent> hot = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            hot.add(event(Operation.UPDATE, FAMILY, i % 40, T0 + i / 100, i % 100 + 1));
        }

        assertThat(d.accept(hot, at(T0 + 50))).as("40 documents updated again and again").isEmpty();
    }

    @Test
    void opensAnIncidentPerCollectionEachWithItsOwnOpenedAlert() {
        Detector d = detector(Map.of(FAMILY, 5000L, "famigo.child", 5000L, "other.family", 5000L));
        List<ChangeEvent> events = new ArrayList<>(deletes(FAMILY, 0, 600, 100, T0));
        events.addAll(deletes("famigo.child", 0, 600, 100, T0 + 6));
        events.addAll(deletes("other.family", 0, 600, 100, T0 + 12));

        List<IncidentChange> changes = d.accept(events, at(T0 + 18));

        List<Incident> opened = changes.stream().filter(c -> c.kind() == IncidentChange.Kind.OPENED)
                .map(IncidentChange::incident).toList();
        assertThat(opened).extracting(Incident::namespaces)
                .containsExactly(List.of(FAMILY), List.of("famigo.child"), List.of("other.family"));
        assertThat(opened).extracting(Incident::id).doesNotHaveDuplicates();
    }

    @Test
    void aMassDeleteOfAnotherCollectionWhileAnIncidentIsOpenRaisesItsOwnAlertAtOnce() {
        Detector d = detector(Map.of("shop.customers", 5000L, "shop.orders", 6000L));
        d.accept(deletes("shop.customers", 0, 1000, 500, T0), at(T0 + 2));

        List<IncidentChange> orders = d.accept(deletes("shop.orders", 0, 6000, 6000, T0 + 20), at(T0 + 20));

        assertThat(orders).filteredOn(c -> c.kind() == IncidentChange.Kind.OPENED).singleElement()
                .satisfies(c -> assertThat(c.incident().namespaces()).containsExactly("shop.orders"));
        assertThat(d.openIncidents()).hasSize(2);
    }

    @Test
    void anotherRuleTrippingOnTheSameCollectionOpensItsOwnIncident() {
        Detector d = detector(Map.of(FAMILY, 2000L));
        List<ChangeEvent> updates = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            updates.add(event(Operation.UPDATE, FAMILY, i, T0, i + 1));
        }
        d.accept(updates, at(T0));

        List<IncidentChange> deleted = d.accept(deletes(FAMILY, 0, 1000, 1000, T0 + 1), at(T0 + 1));

        assertThat(deleted).filteredOn(c -> c.kind() == IncidentChange.Kind.OPENED).singleElement()
                .satisfies(c -> assertThat(c.incident().rule()).isEqualTo("mass-delete"));
    }

    @Test
    void aWriteAFewSecondsAfterAnUpdateManyIsNotPartOfItsBurst() {
        Detector d = detector(new Rules(Rules.defaultRules(), 60), Map.of("shop.customers", 2000L));
        List<ChangeEvent> updateMany = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            updateMany.add(event(Operation.UPDATE, "shop.customers", i, T0 + i / 1500, i % 1500 + 1));
        }
        d.accept(updateMany, at(T0 + 1));
        ClusterTime burstEnd = d.openIncidents().get(0).lastAt();

        List<IncidentChange> upgrade = d.accept(List.of(event(Operation.UPDATE, "shop.customers", 7, T0 + 4, 1)), at(T0 + 4));
        List<IncidentChange> closed = d.accept(List.of(), at(T0 + 70));

        assertThat(upgrade).as("the upgrade changes nothing of the incident").isEmpty();
        assertThat(closed).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(IncidentChange.Kind.CLOSED);
            assertThat(c.incident().lastAt()).isEqualTo(burstEnd).isEqualTo(new ClusterTime(T0 + 1, 500));
            assertThat(c.incident().total()).isEqualTo(2000);
        });
    }

    @Test
    void aBurstGoesOnThroughAShortPauseButNotThroughTheNormalTrafficAfterIt() {
        Detector d = detector(new Rules(Rules.defaultRules(), 60), Map.of(FAMILY, 5000L));
        List<IncidentChange> all = new ArrayList<>(d.accept(deletes(FAMILY, 0, 1000, 500, T0), at(T0 + 1)));
        // a three-second pause, then the loop goes on
        all.addAll(d.accept(deletes(FAMILY, 1000, 1500, 500, T0 + 5), at(T0 + 5)));
        // then, from the second after next, one ordinary delete a second for a minute
        List<ChangeEvent> normal = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            normal.add(delete(FAMILY, 5000 + i, T0 + 7 + i, 1));
        }
        all.addAll(d.accept(normal, at(T0 + 67)));
        all.addAll(d.accept(List.of(), at(T0 + 200)));

        assertThat(all).filteredOn(c -> c.kind() == IncidentChange.Kind.OPENED).hasSize(1);
        assertThat(all).filteredOn(c -> c.kind() == IncidentChange.Kind.CLOSED).singleElement().satisfies(c -> {
            assertThat(c.incident().total()).isEqualTo(1500);
            assertThat(c.incident().lastAt()).isEqualTo(new ClusterTime(T0 + 5, 500));
        });
    }

    @Test
    void theLastPartSecondOfALoopIsPartOfItsBurst() {
        Detector d = detector(new Rules(Rules.defaultRules(), 10), Map.of(FAMILY, 5000L));
        List<IncidentChange> all = new ArrayList<>(d.accept(deletes(FAMILY, 0, 1000, 500, T0), at(T0 + 1)));
        all.addAll(d.accept(deletes(FAMILY, 1000, 1030, 500, T0 + 2), at(T0 + 2)));
        all.addAll(d.accept(List.of(), at(T0 + 30)));

        assertThat(all).filteredOn(c -> c.kind() == IncidentChange.Kind.CLOSED).singleElement().satisfies(c -> {
            assertThat(c.incident().total()).isEqualTo(1030);
            assertThat(c.incident().lastAt()).isEqualTo(new ClusterTime(T0 + 2, 30));
        });
    }

    @Test
    void rewindsOwnWritesCountForNoRuleButForTheCollectionSize() {
        Detector d = detector(Map.of(FAMILY, 1000L));
        List<ChangeEvent> restored = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            restored.add(event(Operation.INSERT, FAMILY, i, T0, i + 1));
        }
        List<ChangeEvent> ownDeletes = deletes(FAMILY, 0, 900, 900, T0 + 1);

        assertThat(d.accept(ownDeletes, at(T0 + 1), e -> true)).as("a revert deleting what an undo restored").isEmpty();
        assertThat(d.sizes().size(Namespace.parse(FAMILY))).isEqualTo(100);
        assertThat(d.accept(restored, at(T0 + 2), e -> true)).isEmpty();
        assertThat(d.sizes().size(Namespace.parse(FAMILY))).isEqualTo(1000);
    }

    @Test
    void countsTheCollectionSizeFromTheSnapshotPlusInsertsMinusDeletes() {
        Detector d = detector(Map.of(FAMILY, 1000L));
        List<ChangeEvent> inserts = new ArrayList<>();
        for (int i = 0; i < 9000; i++) {
            inserts.add(event(Operation.INSERT, FAMILY, 10_000 + i, T0 + i / 1000, i % 1000 + 1));
        }
        d.accept(inserts, at(T0 + 100));

        assertThat(d.sizes().size(Namespace.parse(FAMILY))).isEqualTo(10_000);
        assertThat(d.accept(deletes(FAMILY, 0, 900, 100, T0 + 200), at(T0 + 210)))
                .as("900 of 10,000 is under a tenth").isEmpty();
    }

    @Test
    void raisesNothingUnderSeveralMinutesOfNormalChurn() {
        Detector d = detector(Map.of(FAMILY, 200_000L, "famigo.child", 800L, "famigo.session", 3000L));
        Random random = new Random(7);
        long nextId = 1_000_000;
        List<IncidentChange> changes = new ArrayList<>();
        for (int second = 0; second < 15 * 60; second++) {
            List<ChangeEvent> events = new ArrayList<>();
            int inc = 1;
            for (int k = 0; k < 40; k++) {
                events.add(event(Operation.INSERT, FAMILY, nextId++, T0 + second, inc++));
                events.add(event(Operation.UPDATE, FAMILY, random.nextInt(200_000), T0 + second, inc++));
                if (k % 4 == 0) {
                    events.add(event(Operation.DELETE, FAMILY, random.nextInt(200_000), T0 + second, inc++));
                }
            }
            for (int k = 0; k < 5; k++) {
                events.add(event(Operation.UPDATE, "famigo.child", random.nextInt(800), T0 + second, inc++));
                events.add(event(Operation.INSERT, "famigo.session", nextId++, T0 + second, inc++));
                events.add(event(Operation.DELETE, "famigo.session", nextId - 100, T0 + second, inc++));
            }
            clock.advance(Duration.ofSeconds(1));
            changes.addAll(d.accept(events, at(T0 + second)));
        }

        assertThat(changes).extracting(c -> c.kind() + " " + c.incident().rule() + " " + c.incident().namespaces()).isEmpty();
    }
}
