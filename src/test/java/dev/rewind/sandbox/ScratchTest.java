package dev.rewind.sandbox;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void scratch() throws Exception {
        try (Sandbox s = Sandbox.inMemory(); MongoClient c = MongoClients.create(s.uri())) {
            var cursor = c.watch().showExpandedEvents(true).cursor();
            var coll = c.getDatabase("t").getCollection("c");
            coll.insertOne(new Document("_id", 1).append("a", 1).append("arr", java.util.List.of(1, 2)));
            coll.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.set("a", 2), Updates.push("arr", 3)));
            coll.replaceOne(Filters.eq("_id", 1), new Document("b", 1));
            try (var session = c.startSession()) {
                session.withTransaction(() -> {
                    coll.insertOne(session, new Document("_id", 2));
                    coll.insertOne(session, new Document("_id", 3));
                    return null;
                });
            }
            coll.deleteMany(new Document());
            coll.drop();
            for (int i = 0; i < 9; i++) {
                var e = cursor.tryNext();
                System.out.println("EVENT " + (e == null ? null : e.toString()));
            }
            System.out.println("PBRT " + cursor.getResumeToken());
        }
    }
}
