package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An aggregation's {@code $merge} into a live collection writes each result as an ordinary update
 * (whenMatched: merge, the default, "merges the matching documents") or insert (whenNotMatched:
 * insert) of the target (manual, "$merge"), so undo takes it back with {@code --ops update,insert},
 * leaving a document written again since as a conflict.
 */
class UndoMergeStageTest {
    @TempDir
    Path tmp;

    @Test
    void anAccidentalMergeIntoALiveCollectionIsUndoneAsItsUpdatesAndInserts() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            MongoCollection<Document> accounts = captured.db.getCollection("accounts");
            MongoCollection<Document> staging = captured.db.getCollection("staging");
            List<Document> seed = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                seed.add(new Document("_id", i).append("plan", "free").append("n", i));
            }
            accounts.insertMany(seed);
            List<Document> test = new ArrayList<>();
            for (int i = 40; i < 60; i++) {
                test.add(new Document("_id", i).append("plan", "premium").append("test", true));
            }
            staging.insertMany(test);
            captured.startCapture();
            Map<String, Map<Object, String>> before = captured.everything();
            ClusterTime t1 = captured.now();
            staging.aggregate(List.of(new Document("$merge", new Document("into", "accounts")))).toCollection();
            ClusterTime t2 = captured.now();
            accounts.updateOne(Filters.eq("_id", 45), Updates.set("n", "written since"));
            captured.stopCapture();
            assertThat(accounts.countDocuments()).isEqualTo(60);

            CliRun.Result r = captured.undo("--ns", "famigo.accounts", "--from", t1.toString(), "--to", t2.toString(),
                    "--ops", "update,insert", "--apply", "--json");

            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(Document.parse(r.out()).get("totals", Document.class)).as(r.out()).containsEntry("reverted", 9)
                    .containsEntry("removed", 10).containsEntry("conflict: changed later", 1);
            Map<Object, BsonDocument> now = captured.collection("accounts");
            assertThat(now).hasSize(50);
            assertThat(now.get(new BsonInt32(41))).isEqualTo(BsonDocument.parse("{_id: 41, plan: 'free', n: 41}"));
            assertThat(now.get(new BsonInt32(45)).getString("n").getValue()).as("written since: kept").isEqualTo("written since");
            Map<String, Map<Object, String>> after = captured.everything();
            after.get("accounts").remove(new BsonInt32(45));
            before.get("accounts").remove(new BsonInt32(45));
            assertThat(after).isEqualTo(before);
        }
    }
}
