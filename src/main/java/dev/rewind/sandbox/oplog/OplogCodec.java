package dev.rewind.sandbox.oplog;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.Bson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Oplog entries to BSON and back, for an {@link OplogStore}. */
public final class OplogCodec {
    private OplogCodec() { }

    public static byte[] encode(OplogEntry e) {
        List<Document> ops = new ArrayList<>();
        for (Op op : e.ops()) {
            Document d = new Document("k", op.kind().name()).append("ns", op.ns());
            d.putIfNotNull("ui", op.uuid());
            if (op.key() != null) {
                d.put("key", new Document("_id", op.key()));
            }
            d.putIfNotNull("doc", op.document() == null ? null : Bson.decode(op.document()));
            d.putIfNotNull("pre", op.preImage() == null ? null : Bson.decode(op.preImage()));
            d.putIfNotNull("desc", op.description());
            d.putIfNotNull("to", op.to());
            d.putIfNotNull("diff", op.diff());
            ops.add(d);
        }
        Document d = new Document("seq", e.seq()).append("ts", e.ts()).append("wall", e.wall())
                .append("ops", ops).append("commitTs", e.commitTs()).append("applyOps", e.applyOps())
                .append("part", e.part()).append("parts", e.parts());
        d.putIfNotNull("lsid", e.lsid());
        d.putIfNotNull("txnNumber", e.txnNumber());
        return Bson.encode(d);
    }

    public static OplogEntry decode(byte[] bytes) {
        Document d = Bson.decode(bytes);
        List<Op> ops = new ArrayList<>();
        for (Object o : (List<?>) d.get("ops")) {
            Document op = (Document) o;
            Document key = (Document) op.get("key");
            Document doc = (Document) op.get("doc");
            Document pre = (Document) op.get("pre");
            ops.add(new Op(Op.Kind.valueOf((String) op.get("k")), (String) op.get("ns"), (UUID) op.get("ui"),
                    key == null ? null : key.get("_id"), doc == null ? null : Bson.encode(doc),
                    pre == null ? null : Bson.encode(pre), (Document) op.get("desc"), (String) op.get("to"),
                    (Document) op.get("diff")));
        }
        Object txn = d.get("txnNumber");
        return new OplogEntry(((Number) d.get("seq")).longValue(), (BsonTimestamp) d.get("ts"), (Instant) d.get("wall"),
                ops, (Document) d.get("lsid"), txn == null ? null : ((Number) txn).longValue(),
                (BsonTimestamp) d.get("commitTs"), Boolean.TRUE.equals(d.get("applyOps")),
                ((Number) d.get("part")).intValue(), ((Number) d.get("parts")).intValue());
    }
}
