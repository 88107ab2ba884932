package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.ReadConcern;
import com.mongodb.TransactionOptions;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * What the sandbox does not do fails loudly, naming the option — never accepted and ignored
 * (issue 9, item 12). Where mongod itself refuses, the sandbox answers with mongod's error:
 * 40415 IDLUnknownField for an unknown $changeStream option (the stage is IDL-parsed,
 * document_source_change_stream.idl), 59 CommandNotFound, BadValue for a hint that names no
 * index. Where mongod would do something the sandbox cannot emulate (snapshot reads outside
 * transactions, manual https://www.mongodb.com/docs/v7.0/reference/read-concern-snapshot/; collation,
 * https://www.mongodb.com/docs/v7.0/reference/collation/), it refuses with
 * CommandNotSupported (115) and a message naming the option.
 */
class UnsupportedTest {

    private static void assertRefused(Server s, String command, String naming) {
        MongoCommandException e = s.fails("t", command);
        assertThat(e.getErrorMessage()).as(command).containsIgnoringCase(naming);
    }

    @Test
    void snapshotReadsOutsideTransactionsAreRefused() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertOne(new Document("_id", 1));
            assertRefused(s, "{find: 'c', filter: {}, readConcern: {level: 'snapshot'}}", "snapshot");
            assertRefused(s, "{aggregate: 'c', pipeline: [], cursor: {}, readConcern: {level: 'snapshot'}}", "snapshot");
            assertRefused(s, "{find: 'c', filter: {}, readConcern: {level: 'majority', atClusterTime: Timestamp(1, 1)}}",
                    "atClusterTime");
            // inside a transaction, snapshot is the ordinary read concern
            try (var session = s.client.startSession()) {
                Document found = session.withTransaction(() -> s.coll("t", "c").find(session, new Document("_id", 1)).first(),
                        TransactionOptions.builder().readConcern(ReadConcern.SNAPSHOT).build());
                assertThat(found).isNotNull();
            }
        }
    }

    @Test
    void collationIsRefusedEverywhere() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertOne(new Document("_id", 1).append("a", "A"));
            String collation = "collation: {locale: 'en', strength: 2}";
            for (String command : List.of(
                    "{find: 'c', filter: {a: 'a'}, " + collation + "}",
                    "{aggregate: 'c', pipeline: [{$match: {a: 'a'}}], cursor: {}, " + collation + "}",
                    "{count: 'c', query: {a: 'a'}, " + collation + "}",
                    "{distinct: 'c', key: 'a', " + collation + "}",
                    "{update: 'c', updates: [{q: {a: 'a'}, u: {$set: {b: 1}}, " + collation + "}]}",
                    "{delete: 'c', deletes: [{q: {a: 'a'}, limit: 0, " + collation + "}]}",
                    "{findAndModify: 'c', query: {a: 'a'}, update: {$set: {b: 1}}, " + collation + "}",
                    "{create: 'd', " + collation + "}",
                    "{createIndexes: 'c', indexes: [{key: {a: 1}, name: 'a_1', " + collation + "}]}",
                    "{aggregate: 'c', pipeline: [{$changeStream: {}}], cursor: {}, " + collation + "}")) {
                assertRefused(s, command, "collation");
            }
            assertThat(s.run("t", "{find: 'c', filter: {a: 'A'}, collation: {locale: 'simple'}}")
                    .get("cursor", Document.class).getList("firstBatch", Document.class))
                    .as("the simple collation is the default and works").hasSize(1);
        }
    }

    @Test
    void unknownChangeStreamOptionsAreRefused() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            MongoCommandException e = s.fails("t", "{aggregate: 'c', pipeline: [{$changeStream: {bogus: 1}}], cursor: {}}");
            assertThat(e.getErrorCode()).isEqualTo(40415);
            assertThat(e.getErrorMessage()).contains("$changeStream.bogus");
            assertRefused(s, "{aggregate: 'c', pipeline: [{$changeStream: {fullDocument: 'sometimes'}}], cursor: {}}",
                    "sometimes");
            assertRefused(s, "{aggregate: 'c', pipeline: [{$changeStream: {}}, {$lookup: {from: 'x', as: 'y',"
                    + " localField: 'a', foreignField: 'b'}}], cursor: {}}", "$lookup");
        }
    }

    @Test
    void tailableCursorsAreRefused() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertOne(new Document("_id", 1));
            assertRefused(s, "{find: 'c', filter: {}, tailable: true}", "tailable");
        }
    }

    /** manual renameCollection: across databases it "copies the collection to the new database and drops the source". */
    @Test
    void renamesAcrossDatabasesAreRefused() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("a", "c").insertOne(new Document("_id", 1));
            assertThat(s.fails("admin", "{renameCollection: 'a.c', to: 'b.c'}").getErrorMessage()).contains("across databases");
            assertThat(s.coll("a", "c").countDocuments()).isEqualTo(1);
            s.run("admin", "{renameCollection: 'a.c', to: 'a.d'}");
            assertThat(s.coll("a", "d").countDocuments()).as("within a database it works").isEqualTo(1);
        }
    }

    @Test
    void unknownCommandsAndHintsFail() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            s.coll("t", "c").insertOne(new Document("_id", 1));
            assertThat(s.fails("t", "{noSuchCommand: 1}").getErrorCode()).isEqualTo(59);
            for (String command : List.of("bulkWrite", "mapReduce")) {
                assertThat(s.fails("admin", "{" + command + ": 1}").getErrorCode()).as(command).isEqualTo(59);
            }
            assertThat(s.fails("admin", "{applyOps: 1}").getErrorCode()).as("applyOps wants an array").isEqualTo(14);
            MongoCommandException hint = s.fails("t", "{find: 'c', filter: {}, hint: {nope: 1}}");
            assertThat(hint.getErrorCode()).isEqualTo(2);
            assertThat(hint.getErrorMessage()).contains("hint provided does not correspond to an existing index");
            assertThat(s.run("t", "{find: 'c', filter: {}, hint: {_id: 1}}").get("cursor", Document.class)
                    .getList("firstBatch", Document.class)).as("a hint on an existing index works").hasSize(1);
        }
    }
}
