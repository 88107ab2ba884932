package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import dev.rewind.cli.CliRun;
import dev.rewind.event.ClusterTime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import dev.rewind.repo.store.S3Server;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ORM cascading a delete into child collections: one undo over the pattern puts every level back,
 * with the repository in a folder and on S3 (S3Proxy on loopback).
 */
class UndoCascadeTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "repository in {0}")
    @ValueSource(strings = {"a folder", "S3"})
    void undoesDeletesCascadedIntoChildCollectionsTogether(String where) throws Exception {
        try (Captured c = where.equals("S3") ? new Captured(S3Server.get().newLocation()) : new Captured(tmp)) {
            List<Document> families = new ArrayList<>();
            List<Document> children = new ArrayList<>();
            List<Document> devices = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                families.add(new Document("_id", i).append("email", "f" + i + "@example.org"));
                children.add(new Document("_id", 1000 + i).append("familyId", i).append("name", "kid " + i));
                devices.add(new Document("_id", 2000 + i).append("owner", new Document("familyId", i)));
            }
            c.db.getCollection("family").insertMany(families);
            c.db.getCollection("child").insertMany(children);
            c.db.getCollection("device").insertMany(devices);
            c.startCapture();
            Map<String, Map<Object, String>> before = c.everything();
            ClusterTime t1 = c.now();
            for (int i = 0; i < 40; i++) {   // what an ORM's cascade does: children first, then the parent
                c.db.getCollection("device").deleteOne(Filters.eq("owner.familyId", i));
                c.db.getCollection("child").deleteOne(Filters.eq("familyId", i));
                c.db.getCollection("family").deleteOne(Filters.eq("_id", i));
            }
            ClusterTime t2 = c.now();
            c.db.getCollection("child").insertOne(new Document("_id", 5000).append("familyId", 55).append("name", "new kid"));
            c.stopCapture();

            CliRun.Result undo = c.undo("--ns", "famigo.*", "--from", t1.toString(), "--to", t2.toString(), "--apply", "--json");
            assertThat(undo.exitCode()).as(undo.toString()).isZero();
            Document namespaces = Document.parse(undo.out()).get("namespaces", Document.class);
            assertThat(namespaces.keySet()).containsExactlyInAnyOrder("famigo.family", "famigo.child", "famigo.device");
            assertThat(namespaces.values()).allSatisfy(v -> assertThat(((Document) v).get("restored")).isEqualTo(40));

            Map<String, Map<Object, String>> after = c.everything();
            assertThat(after.get("family")).isEqualTo(before.get("family"));
            assertThat(after.get("device")).isEqualTo(before.get("device"));
            assertThat(after.get("child")).containsAllEntriesOf(before.get("child")).hasSize(before.get("child").size() + 1);
        }
    }
}
