package dev.rewind.event;

import static dev.rewind.event.Json.description;
import static dev.rewind.event.Json.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

class UpdateApplierTest {

    private static BsonDocument apply(String prior, String description) {
        return UpdateApplier.apply(doc(prior), description(description));
    }

    @Test
    void appliesTheManualsUpdateExample() {
        BsonDocument prior = doc("""
                {"_id": 1, "name": "Alice", "email": "alice@example.com", "phoneNumber": "555",
                 "vacation_time": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                                   21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38]}
                """);

        BsonDocument after = UpdateApplier.apply(prior, description("""
                {"updatedFields": {"email": "alice@10gen.com"}, "removedFields": ["phoneNumber"],
                 "truncatedArrays": [{"field": "vacation_time", "newSize": 36}]}
                """));

        assertThat(after.getString("email").getValue()).isEqualTo("alice@10gen.com");
        assertThat(after.containsKey("phoneNumber")).isFalse();
        assertThat(after.getArray("vacation_time")).hasSize(36);
        assertThat(List.copyOf(after.keySet())).containsExactly("_id", "name", "email", "vacation_time");
    }

    @Test
    void leavesThePriorDocumentUntouched() {
        BsonDocument prior = doc("{\"_id\": 1, \"a\": {\"b\": [1, 2]}}");
        BsonDocument copy = prior.clone();

        UpdateApplier.apply(prior, description("{\"updatedFields\": {\"a.b.0\": 9}, \"removedFields\": [\"a\"]}"));

        assertThat(prior).isEqualTo(copy);
    }

    @Test
    void setsNestedFieldsInPlaceAndAppendsNewOnes() {
        assertThat(apply("{\"_id\": 1, \"a\": {\"x\": 1, \"y\": 2}, \"z\": 3}",
                "{\"updatedFields\": {\"a.x\": 10, \"a.w\": 4, \"n\": 5}}"))
                .isEqualTo(doc("{\"_id\": 1, \"a\": {\"x\": 10, \"y\": 2, \"w\": 4}, \"z\": 3, \"n\": 5}"));
    }

    @Test
    void indexesIntoAnArrayWithANumericStep() {
        assertThat(apply("{\"_id\": 1, \"a\": [{\"b\": 1}, {\"b\": 2}]}", "{\"updatedFields\": {\"a.1.b\": 20}}"))
                .isEqualTo(doc("{\"_id\": 1, \"a\": [{\"b\": 1}, {\"b\": 20}]}"));
    }

    @Test
    void readsANumericStepAsAFieldNameWhenTheParentIsADocument() {
        assertThat(apply("{\"_id\": 1, \"a\": {\"1\": \"one\", \"2\": \"two\"}}", "{\"updatedFields\": {\"a.1\": \"uno\"}}"))
                .isEqualTo(doc("{\"_id\": 1, \"a\": {\"1\": \"uno\", \"2\": \"two\"}}"));
        assertThat(apply("{\"_id\": 1, \"a\": {}}", "{\"updatedFields\": {\"a.5\": true}}"))
                .as("a numeric name creates a field in a document, it does not pad")
                .isEqualTo(doc("{\"_id\": 1, \"a\": {\"5\": true}}"));
    }

    @Test
    void padsWithNullsWhenSettingPastTheEndOfAnArray() {
        assertThat(apply("{\"_id\": 1, \"a\": [1, 2]}", "{\"updatedFields\": {\"a.5\": 6}}"))
                .isEqualTo(doc("{\"_id\": 1, \"a\": [1, 2, null, null, null, 6]}"));
        assertThat(apply("{\"_id\": 1, \"a\": []}", "{\"updatedFields\": {\"a.2.b\": 1}}"))
                .isEqualTo(doc("{\"_id\": 1, \"a\": [null, null, {\"b\": 1}]}"));
    }

    @Test
    void truncatesBeforeSettingSoASetPastTheNewSizeExtendsTheArrayAgain() {
        assertThat(apply("{\"_id\": 1, \"a\": [\"foo\", {\"a\": \"bar\"}, 1, 2, 3]}", """
                {"updatedFields": {"a.1.b": 3}, "truncatedArrays": [{"field": "a", "newSize": 2}]}
                """)).isEqualTo(doc("{\"_id\": 1, \"a\": [\"foo\", {\"a\": \"bar\", \"b\": 3}]}"));
        assertThat(apply("{\"_id\": 1, \"a\": [1, 2, 3, 4, 5]}", """
                {"updatedFields": {"a.3": 40}, "truncatedArrays": [{"field": "a", "newSize": 2}]}
                """)).isEqualTo(doc("{\"_id\": 1, \"a\": [1, 2, null, 40]}"));
    }

    @Test
    void truncatesNestedArraysAddressedThroughArrays() {
        assertThat(apply("{\"_id\": 1, \"m\": [[1, 2, 3], [4, 5, 6]]}",
                "{\"truncatedArrays\": [{\"field\": \"m.1\", \"newSize\": 1}]}"))
                .isEqualTo(doc("{\"_id\": 1, \"m\": [[1, 2, 3], [4]]}"));
    }

    @Test
    void removesNestedFieldsAndIgnoresAbsentOnes() {
        assertThat(apply("{\"_id\": 1, \"a\": {\"b\": {\"c\": 1, \"d\": 2}}, \"l\": [{\"x\": 1, \"y\": 2}]}",
                "{\"removedFields\": [\"a.b.c\", \"l.0.y\", \"nope\", \"a.nope.deeper\", \"l.7.x\"]}"))
                .isEqualTo(doc("{\"_id\": 1, \"a\": {\"b\": {\"d\": 2}}, \"l\": [{\"x\": 1}]}"));
    }

    @Test
    void unsetsAnArrayElementToNullAsUnsetDoes() {
        assertThat(apply("{\"_id\": 1, \"a\": [1, 2, 3]}", "{\"removedFields\": [\"a.1\"]}"))
                .isEqualTo(doc("{\"_id\": 1, \"a\": [1, null, 3]}"));
    }

    @Test
    void followsDisambiguatedPathsForDottedAndNumericFieldNames() {
        BsonDocument prior = doc("""
                {"_id": 1, "a.b": 1, "a": {"b": 2, "0": {"c": 3}}, "arr": [{"0": "x"}, {"0": "y"}]}
                """);

        BsonDocument after = UpdateApplier.apply(prior, description("""
                {"updatedFields": {"a.b": 10, "a.0.c": 30, "arr.1.0": "Y"},
                 "removedFields": [],
                 "disambiguatedPaths": {"a.b": ["a.b"], "a.0.c": ["a", "0", "c"], "arr.1.0": ["arr", 1, "0"]}}
                """));

        assertThat(after).isEqualTo(doc("""
                {"_id": 1, "a.b": 10, "a": {"b": 2, "0": {"c": 30}}, "arr": [{"0": "x"}, {"0": "Y"}]}
                """));
    }

    @Test
    void removesADottedFieldNameNamedByADisambiguatedPath() {
        assertThat(apply("{\"_id\": 1, \"price.usd\": 45, \"price\": {\"usd\": 1}}",
                "{\"removedFields\": [\"price.usd\"], \"disambiguatedPaths\": {\"price.usd\": [\"price.usd\"]}}"))
                .isEqualTo(doc("{\"_id\": 1, \"price\": {\"usd\": 1}}"));
    }

    @Test
    void findsADottedFieldNameWithoutDisambiguationWhenNoParentFieldExists() {
        assertThat(apply("{\"_id\": 1, \"price.usd\": 45}", "{\"updatedFields\": {\"price.usd\": 50}}"))
                .isEqualTo(doc("{\"_id\": 1, \"price.usd\": 50}"));
        assertThat(apply("{\"_id\": 1, \"m\": {\"a.b\": {\"c\": 1}}}", "{\"updatedFields\": {\"m.a.b.c\": 2}}"))
                .isEqualTo(doc("{\"_id\": 1, \"m\": {\"a.b\": {\"c\": 2}}}"));
        assertThat(apply("{\"_id\": 1}", "{\"updatedFields\": {\"price.usd\": 50}}"))
                .as("with no such field, a dotted path creates nested documents, as $set does")
                .isEqualTo(doc("{\"_id\": 1, \"price\": {\"usd\": 50}}"));
    }

    @Test
    void appliesToRawDocumentsAndRawValues() {
        RawBsonDocument prior = RawBsonDocument.parse("{\"_id\": 1, \"a\": {\"b\": [1, 2, 3]}}");
        RawBsonDocument updated = RawBsonDocument.parse("{\"a.c\": {\"d\": [1]}}");

        BsonDocument after = UpdateApplier.apply(prior,
                UpdateDescription.of(updated, List.of()));
        UpdateApplier.set(after, Path.parse("a.c.d.0"), new org.bson.BsonInt32(5));

        assertThat(after).isEqualTo(doc("{\"_id\": 1, \"a\": {\"b\": [1, 2, 3], \"c\": {\"d\": [5]}}}"));
    }

    @Test
    void reportsUpdatesThatDoNotFitThePriorDocument() {
        assertThatThrownBy(() -> apply("{\"_id\": 1, \"a\": 5}", "{\"updatedFields\": {\"a.b\": 1}}"))
                .isInstanceOf(PathConflictException.class).hasMessageContaining("a.b");
        assertThatThrownBy(() -> apply("{\"_id\": 1, \"a\": [1]}", "{\"updatedFields\": {\"a.b\": 1}}"))
                .isInstanceOf(PathConflictException.class).hasMessageContaining("field name 'b' into an array");
        assertThatThrownBy(() -> apply("{\"_id\": 1, \"a\": {\"0\": 1}}", """
                {"updatedFields": {"a.0": 2}, "disambiguatedPaths": {"a.0": ["a", 0]}}
                """)).isInstanceOf(PathConflictException.class).hasMessageContaining("into a document");
        assertThatThrownBy(() -> apply("{\"_id\": 1, \"a\": {}}", "{\"truncatedArrays\": [{\"field\": \"a\", \"newSize\": 0}]}"))
                .isInstanceOf(PathConflictException.class).hasMessageContaining("not an array");
        assertThatThrownBy(() -> apply("{\"_id\": 1, \"a\": [1]}", "{\"truncatedArrays\": [{\"field\": \"a\", \"newSize\": 3}]}"))
                .isInstanceOf(PathConflictException.class).hasMessageContaining("fewer");
        assertThatThrownBy(() -> apply("{\"_id\": 1, \"a\": []}", "{\"updatedFields\": {\"a.2000000\": 1}}"))
                .isInstanceOf(PathConflictException.class).hasMessageContaining("pad");
    }
}
