package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rewind.RewindException;
import java.util.List;
import java.util.UUID;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The catalog side of a dump's oplog, entry by entry, in the forms mongod logs them
 * (oplog_entry.idl; a two-phase index build is {@code startIndexBuild} then {@code commitIndexBuild}
 * or {@code abortIndexBuild}, an index built on an empty collection one {@code createIndexes}
 * entry, and each dropped index a {@code dropIndexes} entry with its name).
 */
class OplogCatalogTest {
    private static final Document ID = new Document("v", 2).append("key", new Document("_id", 1)).append("name", "_id_");

    private static CollectionMetadata dumped() {
        return new CollectionMetadata("famigo", "family", "collection", new Document("validationLevel", "strict"),
                List.of(ID, new Document("v", 2).append("key", new Document("plan", 1)).append("name", "plan_1")),
                "11111111-2222-3333-4444-555555555555");
    }

    private static List<String> names(CollectionMetadata m) {
        return m.indexes().stream().map(i -> i.getString("name")).toList();
    }

    @Test
    void indexBuildsAndDropsChangeTheIndexesAndNothingElse() {
        OplogCatalog c = new OplogCatalog();
        assertThat(c.after(dumped(), false)).isEqualTo(dumped());
        assertThat(c.index("createIndexes", "famigo.family", BsonDocument.parse(
                "{createIndexes: 'family', v: 2, key: {name: 1}, name: 'name_1', unique: true}"))).isTrue();
        assertThat(c.index("startIndexBuild", "famigo.family", BsonDocument.parse(
                "{startIndexBuild: 'family', indexes: [{v: 2, key: {zip: 1}, name: 'zip_1'}]}"))).isTrue();
        assertThat(c.index("abortIndexBuild", "famigo.family", BsonDocument.parse(
                "{abortIndexBuild: 'family', indexes: [{v: 2, key: {zip: 1}, name: 'zip_1'}]}"))).isTrue();
        assertThat(c.index("commitIndexBuild", "famigo.family", BsonDocument.parse(
                "{commitIndexBuild: 'family', indexes: [{v: 2, key: {tags: 1}, name: 'tags_1'}, {v: 2, key: {plan: -1}, name: 'plan_1'}]}")))
                .isTrue();
        assertThat(c.index("dropIndexes", "famigo.family", BsonDocument.parse("{dropIndexes: 'family', index: 'name_1'}"))).isTrue();
        assertThat(c.index("collMod", "famigo.family", BsonDocument.parse("{collMod: 'family', validationLevel: 'off',"
                + " validationAction: 'warn', index: {name: 'plan_1', expireAfterSeconds: 60, hidden: true}}"))).isTrue();
        assertThat(c.index("collMod", "famigo.family", BsonDocument.parse("{collMod: 'family', index: {name: 'plan_1', hidden: false}}")))
                .isTrue();
        assertThat(c.index("collMod", "famigo.family", BsonDocument.parse("{collMod: 'family', index: {keyPattern: {a: 1}, hidden: true}}")))
                .as("mongod logs the index by name; one by key pattern is not replayed").isFalse();

        CollectionMetadata after = c.after(dumped(), true);
        assertThat(names(after)).containsExactly("_id_", "tags_1", "plan_1");
        assertThat(after.indexes().get(2)).as("built again under the same name, then modified: hidden and unhidden")
                .isEqualTo(new Document("v", 2).append("key", new Document("plan", -1)).append("name", "plan_1")
                        .append("expireAfterSeconds", 60));
        assertThat(after.options()).isEqualTo(new Document("validationLevel", "off").append("validationAction", "warn"));
        assertThat(dumped().options()).as("the dump's metadata itself is untouched").isEqualTo(new Document("validationLevel", "strict"));
        assertThat(after.uuid()).isEqualTo(dumped().uuid());
        assertThat(c.changes()).containsExactly("built name_1 on famigo.family", "built tags_1 on famigo.family",
                "built plan_1 on famigo.family", "dropped name_1 on famigo.family", "collMod of famigo.family",
                "collMod of famigo.family");
        assertThat(c.droppedNamespaces()).isEmpty();
    }

    @Test
    void aDropForgetsTheCollectionUntilACreateMakesItAgain() {
        OplogCatalog c = new OplogCatalog();
        c.index("createIndexes", "famigo.family", BsonDocument.parse("{createIndexes: 'family', v: 2, key: {a: 1}, name: 'a_1'}"));
        c.dropped("famigo.family");
        assertThat(c.wasDropped("famigo.family")).isTrue();
        assertThat(c.after(dumped(), false)).as("dropped for good").isNull();
        assertThat(c.existsAtEnd("famigo.family", false)).isFalse();
        assertThat(c.changes()).as("what was built before the drop went with it").isEmpty();

        UUID uuid = UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10");
        c.created("famigo.family", BsonDocument.parse("{create: 'family', changeStreamPreAndPostImages: {enabled: true},"
                + " idIndex: {v: 2, key: {_id: 1}, name: '_id_'}}"), new BsonBinary(uuid));
        c.index("createIndexes", "famigo.family", BsonDocument.parse("{createIndexes: 'family', v: 2, key: {b: 1}, name: 'b_1'}"));
        CollectionMetadata again = c.after(dumped(), false);
        assertThat(again.options()).isEqualTo(new Document("changeStreamPreAndPostImages", new Document("enabled", true)));
        assertThat(again.uuid()).isEqualTo(uuid.toString());
        assertThat(names(again)).containsExactly("_id_", "b_1");

        c.dropped("famigo.family");
        assertThat(c.after(dumped(), true)).as("written after its last drop: it exists, with default options")
                .satisfies(m -> assertThat(m.options()).isEmpty()).satisfies(m -> assertThat(names(m)).containsExactly("_id_"));
        c.created("famigo.family", BsonDocument.parse("{create: 'family', viewOn: 'other', pipeline: []}"), null);
        assertThat(c.after(dumped(), false).isView()).as("created again as a view").isTrue();
    }

    @Test
    void anIndexEntryWithoutWhatItNeedsIsRefused() {
        OplogCatalog c = new OplogCatalog();
        assertThatThrownBy(() -> c.index("createIndexes", "famigo.family", BsonDocument.parse("{createIndexes: 'family', key: {a: 1}}")))
                .isInstanceOf(RewindException.class).hasMessageContaining("without the index's name");
        assertThatThrownBy(() -> c.index("commitIndexBuild", "famigo.family", BsonDocument.parse("{commitIndexBuild: 'family'}")))
                .isInstanceOf(RewindException.class).hasMessageContaining("without its indexes");
        assertThat(c.index("dropIndexes", "famigo.family", BsonDocument.parse("{dropIndexes: 'family', index: {a: 1}}")))
                .as("a drop by key pattern, not by name: not replayed").isFalse();
    }
}
