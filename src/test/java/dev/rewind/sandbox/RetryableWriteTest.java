package dev.rewind.sandbox;

import static dev.rewind.sandbox.Server.insertOf;
import static dev.rewind.sandbox.Server.open;
import static dev.rewind.sandbox.Server.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoChangeStreamCursor;
import java.util.List;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A retried retryable write is not applied twice: the stored result comes back with
 * retriedStmtIds, and no second event. An older txnNumber is refused.
 * Sources (notes §12): mongodb/specifications source/retryable-writes/retryable-writes.md (lsid and
 * txnNumber on the write command); src/mongo/db/ops/write_ops_exec.cpp ("If a sent statement id had
 * already been seen for this transaction, the write with that id won't apply a second time and
 * instead returns its response from its original execution. That write's id will be in the batch
 * response's "retriedStmtIds" array field."); error_codes.yml TransactionTooOld 225.
 */
class RetryableWriteTest {

    @ParameterizedTest
    @EnumSource(MongoRelease.class)
    void aRetryReturnsTheFirstResultAndWritesNothing(MongoRelease release) {
        try (Server s = Server.start(release); ClientSession session = s.client.startSession()) {
            s.coll("t", "c").insertOne(new Document("_id", 0));
            try (MongoChangeStreamCursor<RawBsonDocument> stream = open(s.coll("t", "c").watch())) {
                Document insert = Document.parse("{insert: 'c', documents: [{_id: 1}], txnNumber: NumberLong(5)}");
                Document first = s.db("t").runCommand(session, insert);
                Document retry = s.db("t").runCommand(session, insert);
                assertThat(first.getInteger("n")).isEqualTo(1);
                assertThat(first).doesNotContainKey("retriedStmtIds");
                assertThat(retry.getInteger("n")).isEqualTo(1);
                assertThat(retry).doesNotContainKey("writeErrors");
                assertThat(retry.getList("retriedStmtIds", Integer.class)).isEqualTo(List.of(0));

                Document update = Document.parse("{update: 'c', updates: [{q: {_id: 1}, u: {$inc: {n: 1}}}], txnNumber: NumberLong(6)}");
                s.db("t").runCommand(session, update);
                s.db("t").runCommand(session, update);
                assertThat(s.coll("t", "c").find(new Document("_id", 1)).first().getInteger("n")).as("incremented once").isEqualTo(1);

                MongoCommandException old = org.assertj.core.api.Assertions.catchThrowableOfType(MongoCommandException.class,
                        () -> s.db("t").runCommand(session, Document.parse(
                                "{insert: 'c', documents: [{_id: 2}], txnNumber: NumberLong(4)}")));
                assertThat(old.getErrorCode()).isEqualTo(225);

                s.coll("t", "c").insertOne(new Document("_id", "marker"));
                List<RawBsonDocument> events = until(stream, insertOf("marker"));
                assertThat(Server.types(events)).containsExactly("insert", "update");
            }
        }
    }
}
