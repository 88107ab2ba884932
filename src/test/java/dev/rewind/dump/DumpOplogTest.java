package dev.rewind.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * What a dump's oplog keeps for a replay: only the entries that may change the namespaces imported
 * (a busy deployment's oplog is mostly other collections' writes), and every one it cannot read, so
 * that the replay refuses it rather than skips it.
 */
class DumpOplogTest {
    private int inc;

    private byte[] entry(Document d) {
        return OplogDumpTest.bson(d.append("ts", new BsonTimestamp(1_700_000_000, ++inc)));
    }

    private byte[] write(String ns) {
        return entry(new Document("op", "i").append("ns", ns).append("o", new Document("_id", inc)));
    }

    @Test
    void aReplayKeepsOnlyWhatMayChangeTheImportedCollections() {
        DumpOplog oplog = new DumpOplog();
        oplog.keep(List.of("famigo.family"));
        byte[] mine = write("famigo.family");
        byte[] index = entry(new Document("op", "c").append("ns", "famigo.$cmd").append("o", new Document("createIndexes", "child")));
        byte[] txn = entry(new Document("op", "c").append("ns", "admin.$cmd").append("o", new Document("applyOps",
                List.of(new Document("op", "i").append("ns", "other.things").append("o", new Document("_id", 1)),
                        new Document("op", "d").append("ns", "famigo.family").append("o", new Document("_id", 2))))));
        byte[] commit = entry(new Document("op", "c").append("ns", "admin.$cmd").append("o", new Document("commitTransaction", 1)));
        byte[] unreadable = entry(new Document("o", new Document("x", 1)));
        // a rename names both collections in its command, whatever database's $cmd it is logged on
        byte[] renamed = entry(new Document("op", "c").append("ns", "admin.$cmd").append("o",
                new Document("renameCollection", "shop.family").append("to", "famigo.family")));
        for (byte[] e : List.of(write("other.things"), mine, write("famigo.child"), index, txn, renamed,
                entry(new Document("op", "n").append("ns", "").append("o", new Document("msg", "periodic noop"))), commit,
                unreadable, write("shop.orders"))) {
            oplog.add(e);
        }
        assertThat(oplog.entries()).isEqualTo(10);
        assertThat(oplog.inOrder()).containsExactly(mine, index, txn, renamed, commit, unreadable);
        assertThat(oplog.changing(List.of("famigo.family"))).as("the commit names no namespace: not counted").isEqualTo(5);

        DumpOplog counted = new DumpOplog();
        counted.add(mine);
        assertThat(counted.inOrder()).as("without keep, nothing is held").isEmpty();
    }
}
