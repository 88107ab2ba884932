package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import dev.rewind.event.Operation;
import dev.rewind.repo.store.LocalStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rewind's own writes are told from others by the journals (docs/FORMAT.md, "Journals"), kept as
 * hashes in sorted arrays: a delete of a journaled delete and an insert or replace of exactly the
 * journaled state are Rewind's while the journal runs; another state, another document, another
 * namespace or a time outside the run is not. Journals read a batch at a time as they grow (as
 * capture refreshes while an undo runs) must still be found whole.
 */
class OwnWritesTest {
    private static final String NS = "famigo.family";

    @TempDir
    Path tmp;

    @Test
    void recognisesExactlyTheJournaledWritesWhileTheJournalRuns() {
        LocalStore store = new LocalStore(tmp);
        Journal j = Journal.start(store, new Document("command", "undo"));
        j.append(List.of(new Journal.Entry(NS, new BsonInt32(1), "restored", null, family(1, "as at T1")),
                new Journal.Entry(NS, new BsonInt32(2), "removed", family(2, "inserted in the window"), null)));
        OwnWrites own = new OwnWrites(store).refresh();
        Instant now = Instant.now();

        assertThat(own.journalOf(event(Operation.INSERT, NS, 1, family(1, "as at T1"), now))).isEqualTo(j.id());
        assertThat(own.journalOf(event(Operation.REPLACE, NS, 1, family(1, "as at T1"), now))).isEqualTo(j.id());
        assertThat(own.journalOf(event(Operation.DELETE, NS, 2, null, now))).isEqualTo(j.id());
        assertThat(own.journalOf(event(Operation.INSERT, NS, 1, family(1, "someone else's"), now)))
                .as("another state").isNull();
        assertThat(own.journalOf(event(Operation.DELETE, NS, 1, null, now))).as("journaled as written, not deleted").isNull();
        assertThat(own.journalOf(event(Operation.DELETE, NS, 3, null, now))).as("another document").isNull();
        assertThat(own.journalOf(event(Operation.DELETE, "famigo.other", 2, null, now))).as("another namespace").isNull();
        assertThat(own.journalOf(event(Operation.DELETE, NS, 2, null, now.minusSeconds(3600)))).as("before the run").isNull();

        j.finish(new Document());
        own.refresh();
        assertThat(own.journalOf(event(Operation.DELETE, NS, 2, null, now))).isEqualTo(j.id());
        assertThat(own.journalOf(event(Operation.DELETE, NS, 2, null, now.plusSeconds(3600))))
                .as("after the run ended").isNull();
    }

    @Test
    void findsEveryWriteOfAJournalReadAsItGrowsAndKeepsOnlyItsPassesDocuments() {
        LocalStore store = new LocalStore(tmp);
        Journal j = Journal.start(store, new Document("command", "undo"));
        OwnWrites growing = new OwnWrites(store);
        int n = 0;
        for (int batch = 0; batch < 20; batch++) {  // more refreshes than chunks kept apart: they are merged
            List<Journal.Entry> entries = new ArrayList<>();
            for (int i = 0; i < 250; i++, n++) {
                int id = (n * 7919) % 100_003;  // not in order
                entries.add(new Journal.Entry(NS, new BsonInt32(id), "restored", null, family(id, "v" + id)));
            }
            j.append(entries);
            growing.refresh();
        }
        j.finish(new Document());
        OwnWrites evens = new OwnWrites(store, id -> id.value().asInt32().getValue() % 2 == 0).refresh();
        Instant now = Instant.now();

        int foundByGrowing = 0;
        int foundByEvens = 0;
        for (int k = 0; k < n; k++) {
            int id = (k * 7919) % 100_003;
            ChangeEvent e = event(Operation.INSERT, NS, id, family(id, "v" + id), now);
            foundByGrowing += j.id().equals(growing.journalOf(e)) ? 1 : 0;
            foundByEvens += j.id().equals(evens.journalOf(e)) ? 1 : 0;
            assertThat(evens.journalOf(e) != null).as("kept only for even ids: %d", id).isEqualTo(id % 2 == 0);
        }
        assertThat(foundByGrowing).isEqualTo(5000);
        assertThat(foundByEvens).isEqualTo((int) java.util.stream.IntStream.range(0, n)
                .filter(k -> ((k * 7919) % 100_003) % 2 == 0).count());
    }

    private static BsonDocument family(int id, String name) {
        return new BsonDocument("_id", new BsonInt32(id)).append("name", new BsonString(name));
    }

    private static ChangeEvent event(Operation op, String ns, int id, BsonDocument full, Instant wall) {
        return new ChangeEvent(op, null, ClusterTime.of(wall.getEpochSecond(), 1), wall, Namespace.parse(ns), null,
                new BsonDocument("_id", new BsonInt32(id)), full, null, null, full != null, null, null, null, null, null);
    }
}
