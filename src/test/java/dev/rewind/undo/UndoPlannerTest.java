package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.event.ClusterTime;
import dev.rewind.event.Operation;
import java.util.EnumSet;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

/** Every outcome of the Outcome table, decided from the facts alone (pure, no server). */
class UndoPlannerTest {
    static final BsonValue ID = new BsonInt32(7);
    static final BsonDocument AT_T1 = BsonDocument.parse("{_id: 7, email: 'a@x.org', plan: 'free', n: 1}");
    static final BsonDocument UPDATED = BsonDocument.parse("{_id: 7, email: 'a@x.org', plan: 'premium', n: 1}");
    static final BsonValue HOLDER = new BsonInt32(99);

    static UndoRequest request(boolean force, boolean keepRestored) {
        return new UndoRequest(List.of(), ClusterTime.of(100, 1), ClusterTime.of(200, 1),
                EnumSet.of(Operation.DELETE, Operation.UPDATE, Operation.INSERT), null, force, keepRestored);
    }

    static UndoPlanner.Facts facts(boolean known, BsonDocument target, BsonDocument live, boolean later, BsonValue holder) {
        return new UndoPlanner.Facts("famigo.family", ID, known, target, live, later,
                holder == null ? null : "email_1 {\"email\": \"a@x.org\"}", holder);
    }

    static DocumentUndo decide(UndoPlanner.Facts f) {
        return UndoPlanner.decide(f, request(false, false));
    }

    @Test
    void aDocumentDeletedInTheWindowAndAbsentNowIsRestoredAsItWasAtT1() {
        DocumentUndo d = decide(facts(true, AT_T1, null, false, null));
        assertThat(d.outcome()).isEqualTo(Outcome.RESTORED);
        assertThat(d.target()).isEqualTo(AT_T1);
        assertThat(d.live()).isNull();
        assertThat(d.holder()).isNull();
    }

    @Test
    void aDocumentUpdatedInTheWindowIsRevertedToItsStateAtT1() {
        DocumentUndo d = decide(facts(true, AT_T1, UPDATED, false, null));
        assertThat(d.outcome()).isEqualTo(Outcome.REVERTED);
        assertThat(d.target()).isEqualTo(AT_T1);
        assertThat(d.live()).isEqualTo(UPDATED);
    }

    @Test
    void aDocumentInsertedInTheWindowIsRemoved() {
        DocumentUndo d = decide(facts(true, null, UPDATED, false, null));
        assertThat(d.outcome()).isEqualTo(Outcome.REMOVED);
        assertThat(d.target()).isNull();
    }

    @Test
    void aDocumentChangedAfterTheWindowIsAConflictUnlessForced() {
        UndoPlanner.Facts f = facts(true, AT_T1, UPDATED, true, null);
        DocumentUndo d = decide(f);
        assertThat(d.outcome()).isEqualTo(Outcome.CONFLICT_CHANGED_LATER);
        assertThat(d.detail()).isEqualTo("changed after the window");
        assertThat(UndoPlanner.decide(f, request(true, false)).outcome()).isEqualTo(Outcome.REVERTED);
        assertThat(decide(facts(true, null, UPDATED, true, null)).outcome())
                .as("an insert changed later").isEqualTo(Outcome.CONFLICT_CHANGED_LATER);
        assertThat(UndoPlanner.decide(facts(true, null, UPDATED, true, null), request(true, false)).outcome())
                .isEqualTo(Outcome.REMOVED);
    }

    @Test
    void aDocumentWhoseUniqueKeyIsHeldByAnotherIsAConflictUnlessKeepRestored() {
        UndoPlanner.Facts f = facts(true, AT_T1, null, false, HOLDER);
        DocumentUndo d = decide(f);
        assertThat(d.outcome()).isEqualTo(Outcome.CONFLICT_UNIQUE_KEY);
        assertThat(d.detail()).isEqualTo("email_1 {\"email\": \"a@x.org\"}");
        assertThat(d.holder()).isEqualTo(HOLDER);

        DocumentUndo kept = UndoPlanner.decide(f, request(false, true));
        assertThat(kept.outcome()).isEqualTo(Outcome.RESTORED);
        assertThat(kept.holder()).as("the holder is removed, journaled").isEqualTo(HOLDER);
        assertThat(kept.detail()).startsWith("replaces the holder of email_1");
    }

    @Test
    void aDocumentWhoseStateAtT1CannotBeRebuiltIsAConflictEvenWhenForced() {
        UndoPlanner.Facts f = facts(false, null, UPDATED, true, null);
        assertThat(decide(f).outcome()).isEqualTo(Outcome.CONFLICT_UNKNOWN_STATE);
        assertThat(UndoPlanner.decide(f, request(true, true)).outcome()).isEqualTo(Outcome.CONFLICT_UNKNOWN_STATE);
    }

    @Test
    void aDocumentAlreadyAsItWasAtT1IsUnchangedEvenIfChangedLater() {
        assertThat(decide(facts(true, AT_T1, AT_T1.clone(), true, null)).outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(decide(facts(true, null, null, true, null)).outcome())
                .as("inserted then deleted again").isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void fieldOrderAloneIsNotAChange() {
        BsonDocument reordered = BsonDocument.parse("{_id: 7, plan: 'free', email: 'a@x.org', n: 1}");
        assertThat(decide(facts(true, AT_T1, reordered, false, null)).outcome()).isEqualTo(Outcome.UNCHANGED);
        BsonDocument nested = BsonDocument.parse("{_id: 1, a: {x: 1, y: 2}}");
        BsonDocument nestedReordered = BsonDocument.parse("{a: {y: 2, x: 1}, _id: 1}");
        assertThat(decide(facts(true, nested, nestedReordered, true, null)).outcome()).isEqualTo(Outcome.UNCHANGED);
        BsonDocument changed = BsonDocument.parse("{a: {y: 2, x: 2}, _id: 1}");
        assertThat(decide(facts(true, nested, changed, false, null)).outcome()).isEqualTo(Outcome.REVERTED);
    }

    @Test
    void onlyRestoredRevertedAndRemovedWriteAndOnlyConflictsAreConflicts() {
        assertThat(EnumSet.allOf(Outcome.class).stream().filter(Outcome::writes))
                .containsExactlyInAnyOrder(Outcome.RESTORED, Outcome.REVERTED, Outcome.REMOVED);
        assertThat(EnumSet.allOf(Outcome.class).stream().filter(Outcome::isConflict)).containsExactlyInAnyOrder(
                Outcome.CONFLICT_CHANGED_LATER, Outcome.CONFLICT_UNIQUE_KEY, Outcome.CONFLICT_UNKNOWN_STATE);
        assertThat(Outcome.CONFLICT_CHANGED_LATER.label()).isEqualTo("conflict: changed later");
    }
}
