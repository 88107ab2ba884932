package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import java.nio.file.Path;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An undo follows the documents to where their collection is now: deletes made before a
 * {@code renameCollection} are put back into the renamed collection, not under the old name (a
 * collection keeps its UUID across a rename, and change events carry it under
 * {@code showExpandedEvents}: MongoDB manual, "Change Events", collectionUUID; notes §1.1).
 */
class UndoAcrossRenameTest {
    @TempDir
    Path tmp;

    @Test
    void anUndoOfDeletesMadeBeforeARenamePutsThemBackIntoTheRenamedCollection() throws Exception {
        try (Captured captured = new Captured(tmp)) {
            MongoCollection<Document> family = captured.db.getCollection("family");
            for (int i = 1; i <= 8; i++) {
                family.insertOne(new Document("_id", i).append("name", "family " + i));
            }
            captured.startCapture();
            family.updateOne(Filters.eq("_id", 1), Updates.set("name", "before the window"));
            ClusterTime t1 = captured.now();
            family.deleteOne(Filters.eq("_id", 1));
            family.deleteOne(Filters.eq("_id", 2));
            family.deleteOne(Filters.eq("_id", 3));
            ClusterTime t2 = captured.now();
            family.renameCollection(new MongoNamespace("famigo", "households"));
            MongoCollection<Document> households = captured.db.getCollection("households");
            // written again after the rename: a conflict, left alone
            households.insertOne(new Document("_id", 3).append("name", "re-created later"));
            households.updateOne(Filters.eq("_id", 4), Updates.set("name", "changed after the rename"));
            captured.stopCapture();

            CliRun.Result r = captured.undo("--ns", "famigo.*", "--from", t1.toString(), "--to", t2.toString(),
                    "--ops", "delete", "--apply", "--json");

            assertThat(r.exitCode()).as("%s", r).isZero();
            Document totals = Document.parse(r.out()).get("totals", Document.class);
            assertThat(totals).containsEntry("restored", 2).containsEntry("conflict: changed later", 1);
            assertThat(captured.db.listCollectionNames()).containsExactly("households");
            Map<Object, BsonDocument> now = captured.collection("households");
            assertThat(now.get(new BsonInt32(1))).isEqualTo(BsonDocument.parse("{_id: 1, name: 'before the window'}"));
            assertThat(now.get(new BsonInt32(2))).isEqualTo(BsonDocument.parse("{_id: 2, name: 'family 2'}"));
            assertThat(now.get(new BsonInt32(3))).isEqualTo(BsonDocument.parse("{_id: 3, name: 're-created later'}"));
            assertThat(now.get(new BsonInt32(4))).isEqualTo(BsonDocument.parse("{_id: 4, name: 'changed after the rename'}"));
            assertThat(now).hasSize(8);
        }
    }
}
