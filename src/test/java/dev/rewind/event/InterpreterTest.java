package dev.rewind.event;

import static dev.rewind.event.Json.doc;
import static dev.rewind.event.Json.event;
import static dev.rewind.event.Json.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.changestream.FullDocument;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    static final BsonDocument ALICE = doc("{\"_id\": 1, \"name\": \"Alice\", \"tags\": [\"a\", \"b\"]}");

    private static ChangeEvent insert(String fullDocument) {
        return event("""
                {"operationType": "insert", "clusterTime": {"$timestamp": {"t": 10, "i": 1}},
                 "ns": {"db": "test", "coll": "users"}, "documentKey": {"_id": 1}, "fullDocument": %s}
                """.formatted(fullDocument));
    }

    private static ChangeEvent delete() {
        return event("""
                {"operationType": "delete", "clusterTime": {"$timestamp": {"t": 10, "i": 4}},
                 "ns": {"db": "test", "coll": "users"}, "documentKey": {"_id": 1}}
                """);
    }

    private static ChangeEvent updateWith(String extraFields, FullDocument mode) {
        return ChangeEvents.fromBson(doc("""
                {"operationType": "update", "clusterTime": {"$timestamp": {"t": 10, "i": 2}},
                 "ns": {"db": "test", "coll": "users"}, "documentKey": {"_id": 1},
                 "updateDescription": {"updatedFields": {"name": "Alicia"}, "removedFields": ["tags"]} %s}
                """.formatted(extraFields)), null, mode);
    }

    @Test
    void insertsTheFullDocument() {
        ApplyResult result = Interpreter.apply(null, insert("{\"_id\": 1, \"name\": \"Alice\"}"));

        assertThat(result.isExact()).isTrue();
        assertThat(result.state()).isEqualTo(doc("{\"_id\": 1, \"name\": \"Alice\"}"));
    }

    @Test
    void replacesWithTheNewDocumentKeepingTheId() {
        ChangeEvent replace = event("""
                {"operationType": "replace", "clusterTime": {"$timestamp": {"t": 10, "i": 3}},
                 "ns": {"db": "test", "coll": "users"}, "documentKey": {"_id": 1},
                 "fullDocument": {"name": "Bob"}}
                """);

        ApplyResult result = Interpreter.apply(ALICE, replace);

        assertThat(result.isExact()).isTrue();
        assertThat(result.state()).isEqualTo(doc("{\"_id\": 1, \"name\": \"Bob\"}"));
    }

    @Test
    void deletesAPresentOrAbsentDocument() {
        assertThat(Interpreter.apply(ALICE, delete())).isEqualTo(ApplyResult.absent());
        assertThat(Interpreter.apply(null, delete())).isEqualTo(ApplyResult.absent());
        assertThat(Interpreter.next(ApplyResult.unknown("lost"), delete()).isAbsent()).isTrue();
    }

    @Test
    void appliesTheUpdateDescriptionToThePriorState() {
        ApplyResult result = Interpreter.apply(ALICE, update("1", "{\"updatedFields\": {\"tags.2\": \"c\"}}"));

        assertThat(result.isExact()).isTrue();
        assertThat(result.state()).isEqualTo(doc("{\"_id\": 1, \"name\": \"Alice\", \"tags\": [\"a\", \"b\", \"c\"]}"));
    }

    @Test
    void prefersAnExactPostImageOverTheUpdateDescription() {
        ChangeEvent update = updateWith(", \"fullDocument\": {\"_id\": 1, \"name\": \"Stored\"}", FullDocument.REQUIRED);

        ApplyResult result = Interpreter.apply(ALICE, update);

        assertThat(result).isEqualTo(ApplyResult.exact(doc("{\"_id\": 1, \"name\": \"Stored\"}")));
    }

    @Test
    void prefersTheUpdateDescriptionOverAnUpdateLookupDocument() {
        ChangeEvent update = updateWith(", \"fullDocument\": {\"_id\": 1, \"name\": \"Later\"}", FullDocument.UPDATE_LOOKUP);

        ApplyResult result = Interpreter.apply(ALICE, update);

        assertThat(result).isEqualTo(ApplyResult.exact(doc("{\"_id\": 1, \"name\": \"Alicia\"}")));
    }

    @Test
    void fallsBackToTheUpdateLookupDocumentMarkedInexact() {
        ChangeEvent update = updateWith(", \"fullDocument\": {\"_id\": 1, \"name\": \"Later\"}", FullDocument.UPDATE_LOOKUP);

        ApplyResult result = Interpreter.apply(null, update);

        assertThat(result.status()).isEqualTo(ApplyResult.Status.INEXACT);
        assertThat(result.state()).isEqualTo(doc("{\"_id\": 1, \"name\": \"Later\"}"));
        assertThat(result.reason()).contains("updateLookup");
    }

    @Test
    void fallsBackToTheUpdateLookupDocumentWhenTheDescriptionDoesNotFit() {
        ChangeEvent update = ChangeEvents.fromBson(doc("""
                {"operationType": "update", "clusterTime": {"$timestamp": {"t": 10, "i": 2}},
                 "ns": {"db": "test", "coll": "users"}, "documentKey": {"_id": 1},
                 "updateDescription": {"updatedFields": {"name.first": "A"}},
                 "fullDocument": {"_id": 1, "name": {"first": "A"}}}
                """), null);

        ApplyResult result = Interpreter.apply(ALICE, update);

        assertThat(result.status()).isEqualTo(ApplyResult.Status.INEXACT);
        assertThat(result.reason()).contains("does not fit");
    }

    @Test
    void appliesTheUpdateToThePreImageWhenThereIsOne() {
        ChangeEvent update = updateWith(", \"fullDocumentBeforeChange\": {\"_id\": 1, \"name\": \"Al\", \"tags\": [], \"x\": 1}",
                FullDocument.DEFAULT);

        ApplyResult result = Interpreter.next(ApplyResult.unknown("never seen"), update);

        assertThat(result).isEqualTo(ApplyResult.exact(doc("{\"_id\": 1, \"name\": \"Alicia\", \"x\": 1}")));
    }

    @Test
    void saysUnknownRatherThanInventingADocument() {
        ApplyResult ofAbsent = Interpreter.apply(null, update("1", "{\"updatedFields\": {\"a\": 1}}"));
        ApplyResult ofUnknown = Interpreter.next(ApplyResult.unknown("gap in the log"), update("1", "{\"updatedFields\": {\"a\": 1}}"));

        assertThat(ofAbsent.isUnknown()).isTrue();
        assertThat(ofAbsent.state()).isNull();
        assertThat(ofAbsent.reason()).contains("absent");
        assertThat(ofUnknown.isUnknown()).isTrue();
        assertThat(ofUnknown.reason()).contains("gap in the log");
    }

    @Test
    void keepsAnInexactPriorInexactThroughUpdates() {
        ApplyResult prior = ApplyResult.inexact(doc("{\"_id\": 1, \"n\": 1}"), "looked up later");

        ApplyResult result = Interpreter.next(prior, update("1", "{\"updatedFields\": {\"n\": 2}}"));

        assertThat(result).isEqualTo(ApplyResult.inexact(doc("{\"_id\": 1, \"n\": 2}"), "looked up later"));
    }

    @Test
    void refusesNamespaceEvents() {
        ChangeEvent drop = event(ChangeEventsTest.DROP);

        assertThatThrownBy(() -> Interpreter.apply(ALICE, drop))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NamespaceChange");
    }
}
