package dev.rewind.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.FullDocument;
import dev.rewind.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

/**
 * Events as the embedded sandbox really sends them (MongoDB's documented shapes, see the sandbox
 * package), normalized and interpreted: no quirk is needed and every document's state is exact,
 * with pre- and post-images off (the default), from updateDescription applied to the prior state.
 */
class SandboxEventsTest {
    static final Namespace FAMILIES = Namespace.of("shop", "families");

    @Test
    void interpretsWhatTheSandboxSendsExactly() {
        List<ChangeEvent> events = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.inMemory(); MongoClient client = MongoClients.create(sandbox.uri())) {
            MongoCollection<BsonDocument> families = client.getDatabase("shop").getCollection("families", BsonDocument.class);
            families.insertOne(BsonDocument.parse("{_id: 0}"));
            try (MongoCursor<BsonDocument> stream = families.watch().fullDocument(FullDocument.WHEN_AVAILABLE)
                    .batchSize(10).withDocumentClass(BsonDocument.class).iterator()) {
                families.insertOne(BsonDocument.parse("{_id: 1, name: 'Ng', members: ['a', 'b']}"));
                families.replaceOne(BsonDocument.parse("{_id: 1}"), BsonDocument.parse("{name: 'Ng', members: ['a']}"));
                families.updateOne(BsonDocument.parse("{_id: 1}"), BsonDocument.parse("{$set: {size: 1}}"));
                families.updateOne(BsonDocument.parse("{_id: 1}"), BsonDocument.parse("{$push: {members: 'c'}}"));
                families.updateOne(BsonDocument.parse("{_id: 9}"), BsonDocument.parse("{$set: {gone: true}}"));
                families.insertOne(BsonDocument.parse("{_id: 2, name: 'Okafor'}"));
                families.updateOne(BsonDocument.parse("{_id: 2}"), BsonDocument.parse("{$set: {size: 3}}"));
                families.deleteOne(BsonDocument.parse("{_id: 2}"));
                for (int i = 0; i < 7; i++) {
                    events.add(ChangeEvents.fromBson(stream.next(), FAMILIES, FullDocument.WHEN_AVAILABLE));
                }
            }
        }

        assertThat(events).extracting(ChangeEvent::operation).containsExactly(Operation.INSERT, Operation.REPLACE,
                Operation.UPDATE, Operation.UPDATE, Operation.INSERT, Operation.UPDATE, Operation.DELETE);
        assertThat(events).allSatisfy(event -> assertThat(event.quirks()).as("the sandbox sends MongoDB's shapes").isEmpty());
        assertThat(events).extracting(ChangeEvent::clusterTime).isSorted();
        assertThat(events.get(2).updateDescription()).isNotNull();
        assertThat(events.get(5).id()).isEqualTo(new BsonInt32(2));

        NetEffect effect = new NetEffect(FAMILIES);
        effect.acceptAll(events);

        ApplyResult one = effect.resolve(DocumentId.of(new BsonInt32(1)), null);
        assertThat(one.status()).isEqualTo(ApplyResult.Status.EXACT);
        assertThat(one.state()).isEqualTo(BsonDocument.parse("{_id: 1, name: 'Ng', members: ['a', 'c'], size: 1}"));
        assertThat(effect.resolve(DocumentId.of(new BsonInt32(2)), null).isAbsent()).isTrue();
        assertThat(effect.unattributed()).isEmpty();
        for (ChangeEvent event : events) {
            assertThat(EventFormat.read(EventFormat.write(event))).isEqualTo(event.withoutRaw());
        }
    }
}
