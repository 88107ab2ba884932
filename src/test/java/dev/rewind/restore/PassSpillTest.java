package dev.rewind.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.DocumentId;
import dev.rewind.event.EventFormat;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.store.LocalStore;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The passes' temporary split of the log and the snapshot objects (docs/undo.md, "Bounded memory"). */
class PassSpillTest {
    private static final int PASSES = 5;

    @TempDir
    Path tmp;

    private static ChangeEvent event(String op, int time, Integer id, boolean inTransaction) {
        BsonDocument d = new BsonDocument("v", new BsonInt32(1)).append("op", new BsonString(op))
                .append("t", new BsonTimestamp(time, 1)).append("ns", new BsonString("shop.orders"));
        if (id != null) {
            d.append("key", new BsonDocument("_id", new BsonInt32(id)));
            if (op.equals("insert")) {
                d.append("post", new BsonDocument("_id", new BsonInt32(id)).append("n", new BsonInt32(time)));
            }
        }
        if (inTransaction) {
            d.append("lsid", new BsonDocument("id", new BsonString("session"))).append("txn", new BsonInt64(7));
        }
        return EventFormat.read(d);
    }

    private static List<String> times(List<ChangeEvent> events) {
        return events.stream().map(e -> e.clusterTime().toString()).toList();
    }

    @Test
    void eachPassGetsItsDocumentsEventsAndEveryEventWithoutADocumentOrInATransaction() throws Exception {
        Repository repo = Repository.init(new LocalStore(tmp.resolve("repo")));
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            events.add(event(i % 3 == 0 ? "delete" : "insert", i, i % 40, false));
        }
        events.add(event("drop", 201, null, false));
        events.add(event("insert", 202, 1, true));
        events.add(event("insert", 202, 2, true));
        SegmentName name = new SegmentName(ClusterTime.of(0, 0), ClusterTime.of(300, 0));
        repo.saveSegment(new Segment(name, "deployment", new BsonDocument(), events));

        PassSpill spill = PassSpill.create(repo, PASSES);
        assertThat(PassSpill.create(repo, 1)).as("one pass needs no spill").isNull();
        int total = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            List<ChangeEvent> share = spill.events(name, pass);
            int p = pass;
            List<ChangeEvent> expected = events.stream().filter(e -> e.id() == null || e.txn() != null
                    || PassSpill.partitionOf(DocumentId.of(e.id()), PASSES) == p).toList();
            assertThat(times(share)).as("pass %d, in the log's order", pass).isEqualTo(times(expected));
            assertThat(times(spill.events(name, pass))).as("asked again").isEqualTo(times(expected));
            total += share.stream().filter(e -> e.id() != null && e.txn() == null).count();
        }
        assertThat(total).as("every document event in exactly one pass").isEqualTo(200);
        spill.close();
    }

    @Test
    void eachPassGetsItsDocumentsOfAnObjectAndTheObjectIsReadOnce() throws Exception {
        Repository repo = Repository.init(new LocalStore(tmp.resolve("repo")));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        List<RawBsonDocument> docs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            RawBsonDocument d = new RawBsonDocument(new BsonDocument("_id", new BsonInt32(i)).append("x", new BsonString("v" + i)),
                    new BsonDocumentCodec());
            docs.add(d);
            plain.write(d.getByteBuffer().array(), 0, d.getByteBuffer().remaining());
        }
        Repository.StoredObject stored = repo.putObject(plain.toByteArray());
        ObjectRef ref = new ObjectRef(stored.hash(), docs.size(), plain.size(), stored.storedBytes());

        try (PassSpill spill = PassSpill.create(repo, PASSES)) {
            int seen = 0;
            for (int pass = PASSES - 1; pass >= 0; pass--) {   // in any order
                List<Integer> ids = ids(spill.documents(ref, pass));
                int p = pass;
                assertThat(ids).isEqualTo(docs.stream().map(d -> d.getInt32("_id").getValue())
                        .filter(i -> PassSpill.partitionOf(DocumentId.of(new BsonInt32(i)), PASSES) == p).toList());
                seen += ids.size();
            }
            assertThat(seen).isEqualTo(300);
            assertThat(spill.storedBytesRead()).as("read from the repository once").isEqualTo(stored.storedBytes());
            assertThat(spill.spilledBytes()).isPositive();
        }
    }

    @Test
    void itsFilesHaveNoNameSoAKilledRunLeavesNothingBehind() throws Exception {
        Repository repo = Repository.init(new LocalStore(tmp.resolve("repo")));
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        ObjectRef missing = new ObjectRef("0".repeat(64), 1, 10, 10);
        try (PassSpill spill = PassSpill.create(repo, PASSES, temp)) {
            assertThat(spill).isNotNull();
            try (var listing = Files.list(temp)) {
                assertThat(listing.toList()).as("Linux keeps an open file without its name").isEmpty();
            }
            // what it cannot read is the repository's damage, told as such
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> spill.documents(missing, 0))
                    .isInstanceOfSatisfying(dev.rewind.RewindException.class,
                            e -> assertThat(e.exitCode()).isEqualTo(dev.rewind.ExitCode.CORRUPT));
        }
    }

    private static List<Integer> ids(byte[] plain) {
        List<Integer> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        for (int pos = 0; pos < plain.length; ) {
            int len = buf.getInt(pos);
            out.add(new RawBsonDocument(plain, pos, len).getInt32("_id").getValue());
            pos += len;
        }
        return out;
    }
}
