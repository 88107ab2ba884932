package dev.rewind.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.event.ApplyResult;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

/** Field differences and the report built from them. */
class FieldChangeTest {
    @Test
    void namesTheFieldsThatDifferDownIntoSubDocumentsWithAbbreviatedValues() {
        BsonDocument before = BsonDocument.parse("{_id: 1, name: 'Ng', size: 2, nested: {a: 1}, note: '" + "x".repeat(80) + "'}");
        BsonDocument after = BsonDocument.parse("{_id: 1, name: 'Ng', nested: {a: 2}, note: 'short', email: 'a@b'}");
        assertThat(FieldChange.between(before, after)).extracting(FieldChange::toString).containsExactly(
                "size: 2 → (absent)",
                "nested.a: 1 → 2",
                "note: \"" + "x".repeat(38) + "… → \"short\"",
                "email: (absent) → \"a@b\"");
    }

    @Test
    void aChangeDeepInALongSubDocumentIsShownAndFieldOrderAloneIsNone() {
        BsonDocument before = BsonDocument.parse("{_id: 1, address: {street: '" + "long ".repeat(12) + "', city: 'Berlin'}}");
        BsonDocument after = BsonDocument.parse("{address: {city: 'Bonn', street: '" + "long ".repeat(12) + "'}, _id: 1}");
        assertThat(FieldChange.between(before, after)).extracting(FieldChange::toString)
                .containsExactly("address.city: \"Berlin\" → \"Bonn\"");
        BsonDocument reordered = BsonDocument.parse("{address: {city: 'Berlin', street: '" + "long ".repeat(12) + "'}, _id: 1}");
        assertThat(FieldChange.between(before, reordered)).isEmpty();
    }

    @Test
    void sortsDocumentsIntoAddedRemovedChangedAndUnchanged() {
        DiffReport r = new DiffReport(1);
        BsonDocument a = BsonDocument.parse("{_id: 1, v: 1}");
        BsonDocument b = BsonDocument.parse("{_id: 1, v: 2}");
        r.compare(new BsonInt32(1), ApplyResult.absent(), ApplyResult.exact(a));
        r.compare(new BsonInt32(2), ApplyResult.exact(a), ApplyResult.absent());
        r.compare(new BsonInt32(3), ApplyResult.exact(a), ApplyResult.exact(b));
        r.compare(new BsonInt32(4), ApplyResult.exact(a), ApplyResult.exact(a));
        r.compare(new BsonInt32(5), ApplyResult.absent(), ApplyResult.absent());
        r.compare(new BsonInt32(6), ApplyResult.unknown("no _id"), ApplyResult.exact(a));
        r.compare(new BsonInt32(7), ApplyResult.absent(), ApplyResult.exact(a));
        assertThat(r.added().count()).isEqualTo(2);
        assertThat(r.added().samples()).hasSize(1);
        assertThat(r.removed().count()).isEqualTo(1);
        assertThat(r.changed().samples()).singleElement().satisfies(s -> assertThat(s.fields()).hasSize(1));
        assertThat(r.unchanged()).isEqualTo(2);
        assertThat(r.uncertain().count()).isEqualTo(1);
    }
}
