package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * {@code local.oplog.rs} read with {@code find}, as mongodump --oplog and a user's shell read it.
 * MongoDB manual, "Replica Set Oplog" and "Oplog Entries"; src/mongo/db/repl/oplog_entry.idl (op,
 * ns, ui, o, o2, ts, t, v, wall, lsid, txnNumber); a transaction commits as one {@code applyOps}
 * on {@code admin.$cmd}, or as several whose all but last carry {@code partialTxn: true}
 * (oplog_entry.idl, {@code partialTxn}); a rename
 * logs {@code renameCollection} with {@code to} and {@code stayTemp}; mongodump's own queries
 * (mongo-tools mongodump/oplog_dump.go: the newest entry by {@code $natural: -1}, the oldest by
 * {@code $natural: 1}, then {@code ts} between the two).
 */
class OplogCollectionTest {
    private static List<BsonDocument> oplog(Server s, org.bson.conversions.Bson filter, Document sort, int limit) {
        return s.client.getDatabase("local").getCollection("oplog.rs", BsonDocument.class).find(filter)
                .sort(sort).limit(limit).into(new ArrayList<>());
    }

    @Test
    void everyKindOfWriteReadsAsMongodLogsIt() {
        try (Server s = Server.start(SandboxOptions.defaults().transactionOpsPerEntry(2))) {
            BsonTimestamp start = s.operationTime();
            MongoCollection<Document> c = s.coll("shop", "orders");
            c.insertOne(new Document("_id", 1).append("item", "pen").append("qty", 2));
            c.updateOne(Filters.eq("_id", 1), Updates.combine(Updates.inc("qty", 1), Updates.set("note", "gift")));
            c.replaceOne(Filters.eq("_id", 1), new Document("item", "ink"));
            c.deleteOne(Filters.eq("_id", 1));
            try (ClientSession session = s.client.startSession()) {
                session.withTransaction(() -> {
                    for (int i = 10; i < 13; i++) {
                        c.insertOne(session, new Document("_id", i));
                    }
                    return null;
                });
            }
            s.db("shop").getCollection("orders").renameCollection(new com.mongodb.MongoNamespace("shop", "archive"));
            s.db("shop").getCollection("archive").drop();

            Document natural = new Document("$natural", 1);
            List<BsonDocument> all = oplog(s, Filters.and(Filters.gt("ts", start), Filters.ne("op", "n")), natural, 0);
            List<String> shapes = new ArrayList<>();
            for (BsonDocument e : all) {
                String o = e.getDocument("o").toJson();
                shapes.add(e.getString("op").getValue() + " " + e.getString("ns").getValue() + " " + o
                        + (e.containsKey("o2") ? " o2 " + e.getDocument("o2").toJson() : ""));
                assertThat(e.keySet()).contains("ts", "t", "v", "wall");
                assertThat(e.getInt64("v").getValue()).isEqualTo(2);
            }
            assertThat(shapes).containsSubsequence(
                    "c shop.$cmd {\"create\": \"orders\", \"idIndex\": {\"v\": 2, \"key\": {\"_id\": 1}, \"name\": \"_id_\"}}",
                    "i shop.orders {\"_id\": 1, \"item\": \"pen\", \"qty\": 2}",
                    "u shop.orders {\"$v\": 2, \"diff\": {\"u\": {\"qty\": 3}, \"i\": {\"note\": \"gift\"}}} o2 {\"_id\": 1}",
                    "u shop.orders {\"_id\": 1, \"item\": \"ink\"} o2 {\"_id\": 1}",
                    "d shop.orders {\"_id\": 1}");
            List<BsonDocument> txn = all.stream().filter(e -> e.getDocument("o").containsKey("applyOps")).toList();
            assertThat(txn).hasSize(2);
            assertThat(txn.get(0).getDocument("o").getBoolean("partialTxn").getValue()).isTrue();
            assertThat(txn.get(1).getDocument("o").containsKey("partialTxn")).isFalse();
            assertThat(txn.get(0).getString("ns").getValue()).isEqualTo("admin.$cmd");
            assertThat(txn.get(0).containsKey("lsid")).isTrue();
            assertThat(txn.get(0).get("txnNumber")).isEqualTo(txn.get(1).get("txnNumber"));
            assertThat(txn.get(0).getDocument("o").getArray("applyOps")).hasSize(2);
            assertThat(txn.get(1).getDocument("o").getArray("applyOps")).hasSize(1);
            BsonDocument rename = all.stream().filter(e -> e.getDocument("o").containsKey("renameCollection")).findFirst().orElseThrow();
            assertThat(rename.getDocument("o").toJson())
                    .isEqualTo("{\"renameCollection\": \"shop.orders\", \"to\": \"shop.archive\", \"stayTemp\": false}");
            assertThat(all.get(all.size() - 1).getDocument("o").toJson()).isEqualTo("{\"drop\": \"archive\"}");

            // mongodump's reads: the newest and the oldest entry, then everything between
            BsonDocument newest = oplog(s, new Document(), new Document("$natural", -1), 1).get(0);
            BsonDocument oldest = oplog(s, new Document(), natural, 1).get(0);
            assertThat(newest).isEqualTo(all.get(all.size() - 1));
            assertThat(oldest.getTimestamp("ts")).isLessThanOrEqualTo(start);
            List<BsonDocument> between = s.client.getDatabase("local").getCollection("oplog.rs", BsonDocument.class)
                    .find(Filters.and(Filters.gte("ts", oldest.getTimestamp("ts")), Filters.lte("ts", newest.getTimestamp("ts"))))
                    .batchSize(3).into(new ArrayList<>());
            assertThat(between.get(between.size() - 1)).isEqualTo(newest);
            assertThat(between).containsSubsequence(all);
            assertThat(between.stream().map(e -> e.getTimestamp("ts")).toList()).isSorted();
        }
    }

    @Test
    void whatTheSandboxDoesNotServeOnTheOplogIsRefusedNotIgnored() {
        try (Server s = Server.start(MongoRelease.V7_0)) {
            assertThat(s.fails("local", "{find: 'oplog.rs', projection: {ts: 1}}").getErrorMessage()).contains("projection");
            assertThat(s.fails("local", "{find: 'oplog.rs', sort: {op: 1}}").getErrorMessage()).contains("sort");
        }
    }
}
