package dev.rewind.event;

import static dev.rewind.event.Json.doc;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.changestream.FullDocument;
import java.util.List;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

class NetEffectTest {
    static final Namespace FAMILIES = Namespace.of("shop", "families");
    private int tick;

    private ChangeEvent event(String operation, String ns, String rest) {
        return ChangeEvents.fromBson(doc("""
                {"operationType": "%s", "clusterTime": {"$timestamp": {"t": 100, "i": %d}},
                 "wallTime": {"$date": "2024-01-01T00:00:00Z"}, "ns": %s %s}
                """.formatted(operation, ++tick, ns, rest)), null, FullDocument.UPDATE_LOOKUP);
    }

    private ChangeEvent insert(String id, String fullDocument) {
        return event("insert", "{\"db\": \"shop\", \"coll\": \"families\"}",
                ", \"documentKey\": {\"_id\": " + id + "}, \"fullDocument\": " + fullDocument);
    }

    private ChangeEvent update(String id, String updatedFields) {
        return event("update", "{\"db\": \"shop\", \"coll\": \"families\"}",
                ", \"documentKey\": {\"_id\": " + id + "}, \"updateDescription\": {\"updatedFields\": "
                        + updatedFields + ", \"removedFields\": []}");
    }

    private ChangeEvent delete(String id) {
        return event("delete", "{\"db\": \"shop\", \"coll\": \"families\"}", ", \"documentKey\": {\"_id\": " + id + "}");
    }

    private static DocumentId id(BsonValue value) {
        return DocumentId.of(value);
    }

    @Test
    void keepsTheLatestStateOfEachTouchedDocument() {
        NetEffect effect = new NetEffect(FAMILIES);

        effect.acceptAll(List.of(
                insert("1", "{\"_id\": 1, \"name\": \"Ng\"}"),
                update("1", "{\"size\": 4}"),
                insert("2", "{\"_id\": 2, \"name\": \"Okafor\"}"),
                delete("2")));

        assertThat(effect.size()).isEqualTo(2);
        assertThat(effect.resolve(id(new BsonInt32(1)), null))
                .isEqualTo(ApplyResult.exact(doc("{\"_id\": 1, \"name\": \"Ng\", \"size\": 4}")));
        assertThat(effect.resolve(id(new BsonInt32(2)), doc("{\"_id\": 2, \"name\": \"old\"}")).isAbsent()).isTrue();
        assertThat(effect.last()).isEqualTo(new ClusterTime(100, 4));
    }

    @Test
    void appliesUpdatesOfUntouchedDocumentsToTheSnapshotVersionAtMerge() {
        NetEffect effect = new NetEffect(FAMILIES);
        effect.accept(update("7", "{\"size\": 5}"));
        effect.accept(update("7", "{\"city\": \"Lagos\"}"));

        DocumentState state = effect.state(id(new BsonInt32(7)));

        assertThat(state.dependsOnBase()).isTrue();
        assertThat(state.pending()).hasSize(2);
        assertThat(effect.resolve(id(new BsonInt32(7)), doc("{\"_id\": 7, \"size\": 3}")))
                .isEqualTo(ApplyResult.exact(doc("{\"_id\": 7, \"size\": 5, \"city\": \"Lagos\"}")));
        assertThat(effect.resolve(id(new BsonInt32(7)), null).isUnknown()).isTrue();
    }

    @Test
    void leavesUntouchedDocumentsAsInTheSnapshot() {
        NetEffect effect = new NetEffect(FAMILIES);
        effect.accept(insert("1", "{\"_id\": 1}"));

        assertThat(effect.documents()).doesNotContainKey(id(new BsonInt32(9)));
        assertThat(effect.resolve(id(new BsonInt32(9)), doc("{\"_id\": 9, \"a\": 1}")))
                .isEqualTo(ApplyResult.exact(doc("{\"_id\": 9, \"a\": 1}")));
    }

    @Test
    void treatsNumericIdsOfEqualValueAsOneDocument() {
        NetEffect effect = new NetEffect(FAMILIES);
        effect.accept(insert("1", "{\"_id\": 1, \"name\": \"Ng\"}"));
        effect.accept(delete("{\"$numberLong\": \"1\"}"));

        assertThat(effect.size()).isEqualTo(1);
        assertThat(effect.resolve(id(new BsonInt64(1)), null).isAbsent()).isTrue();
        assertThat(effect.resolve(id(new BsonInt32(1)), null).isAbsent()).isTrue();
    }

    @Test
    void discardsTheSnapshotAfterADropAndCountsOnlyLaterDocuments() {
        NetEffect effect = new NetEffect(FAMILIES);
        effect.accept(insert("1", "{\"_id\": 1}"));
        effect.accept(event("drop", "{\"db\": \"shop\", \"coll\": \"families\"}", ""));
        effect.accept(insert("2", "{\"_id\": 2}"));

        assertThat(effect.baseDiscarded()).isTrue();
        assertThat(effect.documents()).containsOnlyKeys(id(new BsonInt32(2)));
        assertThat(effect.resolve(id(new BsonInt32(1)), doc("{\"_id\": 1}")).isAbsent()).isTrue();
    }

    @Test
    void discardsTheSnapshotWhenItsDatabaseIsDroppedOrAnotherCollectionIsRenamedOntoIt() {
        NetEffect dropped = new NetEffect(FAMILIES);
        dropped.accept(event("dropDatabase", "{\"db\": \"shop\"}", ""));
        NetEffect renamedOnto = new NetEffect(FAMILIES);
        renamedOnto.accept(event("rename", "{\"db\": \"staging\", \"coll\": \"families\"}",
                ", \"to\": {\"db\": \"shop\", \"coll\": \"families\"}"));

        assertThat(dropped.baseDiscarded()).isTrue();
        assertThat(renamedOnto.baseDiscarded()).isTrue();
        assertThat(renamedOnto.namespaceChanges()).singleElement()
                .satisfies(change -> assertThat(change.source(FAMILIES)).contains(Namespace.of("staging", "families")));
    }

    @Test
    void ignoresOtherCollectionsAndNotesEventsWithoutAnId() {
        NetEffect effect = new NetEffect(FAMILIES);
        effect.accept(event("insert", "{\"db\": \"shop\", \"coll\": \"orders\"}",
                ", \"documentKey\": {\"_id\": 1}, \"fullDocument\": {\"_id\": 1}"));
        effect.accept(event("drop", "{\"db\": \"shop\", \"coll\": \"orders\"}", ""));
        effect.accept(ChangeEvents.fromBson(doc("""
                {"operationType": "update", "clusterTime": {"$timestamp": {"t": 100, "i": 99}},
                 "documentKey": {"$set": {"a": 1}}}
                """), FAMILIES));

        assertThat(effect.size()).isZero();
        assertThat(effect.baseDiscarded()).isFalse();
        assertThat(effect.unattributed()).singleElement().asString().contains("no _id");
    }

    @Test
    void settlesAPendingDocumentOnAnExactWrite() {
        DocumentState state = DocumentState.untouched()
                .after(update("3", "{\"a\": 1}"))
                .after(event("replace", "{\"db\": \"shop\", \"coll\": \"families\"}",
                        ", \"documentKey\": {\"_id\": 3}, \"fullDocument\": {\"_id\": 3, \"b\": 2}"))
                .after(update("3", "{\"c\": 3}"));

        assertThat(state.dependsOnBase()).isFalse();
        assertThat(state.resolve(doc("{\"_id\": 3, \"z\": 0}")))
                .isEqualTo(ApplyResult.exact(doc("{\"_id\": 3, \"b\": 2, \"c\": 3}")));
    }
}
