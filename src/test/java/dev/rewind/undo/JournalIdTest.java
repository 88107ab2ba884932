package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.repo.store.LocalStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal ids sort in the order the journals began (docs/FORMAT.md, "Journals"), which undo relies
 * on when it names the journals that changed a document "oldest first": an undo and its revert
 * often begin within one second, so ids are to the millisecond. Ids to the second, as journals
 * were named before, are still journal ids.
 */
class JournalIdTest {
    @TempDir
    Path tmp;

    @Test
    void journalsBegunWithinOneSecondSortInTheOrderTheyBegan() throws Exception {
        LocalStore store = new LocalStore(tmp);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(Journal.start(store, new Document("command", "undo")).id());
            Thread.sleep(2);
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(ids).allMatch(id -> Journal.ID.matcher(id).matches());
        assertThat(Journal.ID.matcher("20261201T104850Z-565315").matches()).as("an id of before").isTrue();
        assertThat(Journal.ID.matcher("20261201T104850Z-565315/../x").matches()).isFalse();
        assertThat(Journal.ID.matcher("20261201T1048501Z-565315").matches()).isFalse();
    }
}
