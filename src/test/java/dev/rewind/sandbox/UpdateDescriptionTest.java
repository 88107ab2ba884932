package dev.rewind.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateDescriptionTest {
    private static Document doc(Object... pairs) {
        Document doc = new Document();
        for (int i = 0; i < pairs.length; i += 2) {
            doc.append((String) pairs[i], pairs[i + 1]);
        }
        return doc;
    }

    @Test
    void topLevelFieldsAreUpdatedInPlaceRemovedOrAppended() {
        Document description = UpdateDescription.between(doc("_id", 1, "a", 1, "b", 2, "c", 3), doc("_id", 1, "a", 5, "c", 3, "d", 4));
        assertThat(description.get("updatedFields")).isEqualTo(doc("a", 5, "d", 4));
        assertThat(description.get("removedFields")).isEqualTo(List.of("b"));
        assertThat(description.get("truncatedArrays")).isEqualTo(List.of());
    }

    @Test
    void subDocumentsGetDottedPathsOnlyWhenPathsReproduceThem() {
        Document before = doc("_id", 1, "n", doc("x", 1, "y", doc("z", 1)));
        Document nested = UpdateDescription.between(before, doc("_id", 1, "n", doc("x", 1, "y", doc("z", 2), "w", 0)));
        assertThat(nested.get("updatedFields")).isEqualTo(doc("n.y.z", 2, "n.w", 0));

        // Reordered sub-document: a path cannot say that, so the whole field is given.
        Document reordered = UpdateDescription.between(before, doc("_id", 1, "n", doc("y", doc("z", 1), "x", 1)));
        assertThat(reordered.get("updatedFields")).isEqualTo(doc("n", doc("y", doc("z", 1), "x", 1)));

        // Digit-only names would read as array indexes.
        Document digits = UpdateDescription.between(doc("_id", 1, "m", doc("0", 1)), doc("_id", 1, "m", doc("0", 2)));
        assertThat(digits.get("updatedFields")).isEqualTo(doc("m", doc("0", 2)));
    }

    @Test
    void typeChangesAndOrderChangesCount() {
        assertThat(UpdateDescription.same(1, 1L)).isFalse();
        assertThat(UpdateDescription.same(1.0, 1)).isFalse();
        assertThat(UpdateDescription.same(doc("a", 1, "b", 2), doc("b", 2, "a", 1))).isFalse();
        assertThat(UpdateDescription.same(List.of(doc("a", 1)), List.of(doc("a", 1)))).isTrue();
        assertThat(UpdateDescription.same(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        Document description = UpdateDescription.between(doc("_id", 1, "v", 1), doc("_id", 1, "v", 1L));
        assertThat(description.get("updatedFields")).isEqualTo(doc("v", 1L));
    }
}
