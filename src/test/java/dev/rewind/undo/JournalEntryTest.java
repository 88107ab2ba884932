package dev.rewind.undo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * A journal entry is stored as the BSON of its fields (docs/FORMAT.md, "Journals"): the bytes written
 * with a raw state copied as it is must be exactly those of encoding the whole entry through the
 * codec, as journals were written before, so that old and new journals read the same.
 */
class JournalEntryTest {
    @Test
    void anEntryIsStoredAsTheBsonOfItsFieldsWhateverFormItsStatesHave() {
        BsonDocument plain = BsonDocument.parse("{_id: 1, name: 'family 1', address: {city: 'Lyon', zip: '69001'},"
                + " members: [{age: 4}, {age: 40}], balance: 12.5, seen: {$date: '2026-11-17T14:01:30Z'}}");
        RawBsonDocument raw = new RawBsonDocument(plain, new BsonDocumentCodec());
        List<Journal.Entry> entries = new ArrayList<>();
        entries.add(new Journal.Entry("famigo.family", new BsonInt32(1), "restored", null, raw));
        entries.add(new Journal.Entry("famigo.family", new BsonInt32(1), "reverted", raw, plain));
        entries.add(new Journal.Entry("famigo.family", new BsonString("k"), "removed", plain, null));
        entries.add(new Journal.Entry("famigo.child", new org.bson.BsonObjectId(new ObjectId()), "removed unique-key holder",
                raw, null));

        for (Journal.Entry e : entries) {
            byte[] viaCodec = bytes(new RawBsonDocument(e.toBson(), new BsonDocumentCodec()));
            assertThat(e.toBytes()).as(e.action()).isEqualTo(viaCodec);
            Journal.Entry back = Journal.Entry.fromBson(new RawBsonDocument(e.toBytes()));
            assertThat(back.before()).isEqualTo(e.before());
            assertThat(back.after()).isEqualTo(e.after());
            assertThat(back.id()).isEqualTo(e.id());
        }
    }

    private static byte[] bytes(RawBsonDocument d) {
        java.nio.ByteBuffer b = d.getByteBuffer().asNIO();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
