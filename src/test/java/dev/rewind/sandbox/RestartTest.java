package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.next;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.types;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import java.nio.file.Path;
import java.util.List;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file-backed sandbox keeps its oplog and catalog across a restart, as mongod keeps
 * local.oplog.rs and its catalog on disk: a stream resumes after the restart without loss, the
 * collection keeps its UUID and options, cluster time keeps ascending.
 */
class RestartTest {
    @TempDir
    Path dir;

    private Sandbox start() {
        return Sandbox.start("127.0.0.1", 0, dir);
    }

    @Test
    void aStreamResumesAcrossARestart() {
        BsonDocument token;
        BsonBinary uuid;
        BsonTimestamp before;
        try (Server s = Server.on(start())) {
            s.run("t", "{create: 'c', changeStreamPreAndPostImages: {enabled: true}}");
            s.coll("t", "c").insertOne(new Document("_id", 1).append("a", 1));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.coll("t", "c").watch())) {
                s.coll("t", "c").insertOne(new Document("_id", 2));
                token = next(stream).getDocument("_id");
            }
            s.coll("t", "c").updateOne(Filters.eq("_id", 1), Updates.set("a", 2));
            try (var session = s.client.startSession()) {
                session.withTransaction(() -> {
                    s.coll("t", "c").insertOne(session, new Document("_id", 3));
                    s.coll("t", "c").insertOne(session, new Document("_id", 4));
                    return null;
                });
            }
            uuid = s.runRaw("t", BsonDocument.parse("{listCollections: 1}")).getDocument("cursor").getArray("firstBatch")
                    .get(0).asDocument().getDocument("info").getBinary("uuid");
            before = s.operationTime();
        }
        try (Server s = Server.on(start())) {
            BsonDocument entry = s.runRaw("t", BsonDocument.parse("{listCollections: 1}")).getDocument("cursor")
                    .getArray("firstBatch").get(0).asDocument();
            assertThat(entry.getDocument("info").getBinary("uuid")).as("the same collection").isEqualTo(uuid);
            assertThat(entry.getDocument("options")).isEqualTo(BsonDocument.parse("{changeStreamPreAndPostImages: {enabled: true}}"));
            assertThat(s.operationTime()).as("the cluster time goes on from where it was").isGreaterThanOrEqualTo(before);
            s.coll("t", "c").insertOne(new Document("_id", "end"));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.coll("t", "c").watch().resumeAfter(token)
                    .fullDocument(FullDocument.REQUIRED).fullDocumentBeforeChange(FullDocumentBeforeChange.WHEN_AVAILABLE))) {
                List<RawBsonDocument> events = until(stream, insertOf("end"));
                assertThat(types(events)).containsExactly("update", "insert", "insert");
                assertThat(events.get(0).getDocument("fullDocumentBeforeChange")).as("pre-images survive the restart")
                        .isEqualTo(BsonDocument.parse("{_id: 1, a: 1}"));
                assertThat(events.get(0).getDocument("fullDocument")).isEqualTo(BsonDocument.parse("{_id: 1, a: 2}"));
                assertThat(events.get(1).getTimestamp("clusterTime")).isEqualTo(events.get(2).getTimestamp("clusterTime"));
                assertThat(events.get(1).containsKey("lsid")).isTrue();
                assertThat(events.get(0).getBinary("collectionUUID", null)).isNull();
            }
            assertThat(s.coll("t", "c").countDocuments()).isEqualTo(5);
        }
    }
}
