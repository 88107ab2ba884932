package dev.rewind.sandbox.oplog;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.Bson;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The sandbox's oplog entries as {@code local.oplog.rs} documents, in mongod's format (MongoDB
 * manual, "Replica Set Oplog"; src/mongo/db/repl/oplog_entry.idl): {@code op} ("i", "u", "d", "c",
 * "n"), {@code ns}, the collection's {@code ui}, {@code o} (an insert's document, a replacement's
 * new document, an update's {@code {$v: 2, diff}}, a delete's {@code {_id}}, a command's object),
 * {@code o2} (an update's {@code {_id}}), then {@code ts}, {@code t}, {@code v: 2} and {@code wall};
 * a transaction's and a retryable write's {@code lsid} and {@code txnNumber}. A transaction or a
 * batched write is one {@code applyOps} command on {@code admin.$cmd}; a transaction in several
 * entries marks all but its last {@code partialTxn: true}. The periodic no-op is {@code op: "n"}.
 */
public final class OplogDocuments {
    /** The replica set's term: the sandbox's member is elected once. */
    private static final long TERM = 1L;

    private OplogDocuments() { }

    public static Document of(OplogEntry e) {
        Document d;
        if (e.isNoop()) {
            d = new Document("op", "n").append("ns", "").append("o", new Document("msg", "periodic noop"));
        } else if (e.applyOps()) {
            List<Document> inner = new ArrayList<>();
            for (Op op : e.ops()) {
                inner.add(write(op, e.seq()));
            }
            Document o = new Document("applyOps", inner);
            if (!e.commits()) {
                o.put("partialTxn", true);
            }
            d = new Document("op", "c").append("ns", "admin.$cmd").append("o", o);
        } else {
            d = write(e.ops().get(0), e.seq());
        }
        if (e.lsid() != null) {
            d.put("lsid", e.lsid());
            d.putIfNotNull("txnNumber", e.txnNumber());
        }
        return d.append("ts", e.ts()).append("t", TERM).append("v", 2L).append("wall", e.wall());
    }

    /** One change as an entry (or an applyOps element) holds it: op, ns, ui, o, o2. */
    private static Document write(Op op, long seq) {
        String cmdNs = op.db() + ".$cmd";
        String coll = op.collection();
        return switch (op.kind()) {
            case INSERT -> entry("i", op.ns(), op.uuid(), Bson.decode(op.document()), null);
            case DELETE -> entry("d", op.ns(), op.uuid(), new Document("_id", op.key()), null);
            case REPLACE -> entry("u", op.ns(), op.uuid(), Bson.decode(op.document()), new Document("_id", op.key()));
            case UPDATE -> entry("u", op.ns(), op.uuid(), update(op), new Document("_id", op.key()));
            case CREATE -> entry("c", cmdNs, op.uuid(), command("create", coll, op.description()), null);
            case DROP -> entry("c", cmdNs, op.uuid(), new Document("drop", coll), null);
            case RENAME -> {
                Document o = new Document("renameCollection", op.ns()).append("to", op.to());
                if (op.description() != null && op.description().get("dropTarget") != null) {
                    o.put("dropTarget", op.description().get("dropTarget"));
                }
                yield entry("c", cmdNs, op.uuid(), o.append("stayTemp", false), null);
            }
            case DROP_DATABASE -> entry("c", cmdNs, null, new Document("dropDatabase", 1), null);
            case CREATE_INDEXES -> entry("c", cmdNs, op.uuid(), createIndexes(coll, op, seq), null);
            case DROP_INDEXES -> {
                Document spec = indexes(op).isEmpty() ? new Document() : indexes(op).get(0);
                yield entry("c", cmdNs, op.uuid(), new Document("dropIndexes", coll).append("index", spec.get("name")), spec);
            }
            case MODIFY -> {
                Document o = command("collMod", coll, op.description());
                o.remove("$stateBeforeChange");
                yield entry("c", cmdNs, op.uuid(), o, null);
            }
        };
    }

    /** An update's {@code o}: the {@code $v: 2} delta; without one (an oplog written before it was kept), the post-image as a replacement. */
    private static Document update(Op op) {
        if (op.diff() != null) {
            return new Document("$v", 2).append("diff", op.diff());
        }
        return op.document() != null ? Bson.decode(op.document()) : new Document("$v", 2).append("diff", new Document());
    }

    /**
     * An index build: on an empty collection, {@code createIndexes} with the one index
     * (createIndexesOnEmptyCollection); otherwise the {@code commitIndexBuild} of all of them, as
     * mongod's two-phase build logs its end.
     */
    private static Document createIndexes(String coll, Op op, long seq) {
        List<Document> specs = indexes(op);
        if (specs.size() == 1) {
            Document o = new Document("createIndexes", coll);
            o.putAll(specs.get(0));
            return o;
        }
        byte[] seed = ByteBuffer.allocate(8).putLong(seq).array();
        return new Document("commitIndexBuild", coll).append("indexBuildUUID", UUID.nameUUIDFromBytes(seed))
                .append("indexes", specs);
    }

    @SuppressWarnings("unchecked")
    private static List<Document> indexes(Op op) {
        return op.description() != null && op.description().get("indexes") instanceof List<?> l ? (List<Document>) l : List.of();
    }

    private static Document command(String name, String coll, Document rest) {
        Document o = new Document(name, coll);
        if (rest != null) {
            o.putAll(rest);
        }
        return o;
    }

    private static Document entry(String op, String ns, UUID ui, Document o, Document o2) {
        Document d = new Document("op", op).append("ns", ns);
        d.putIfNotNull("ui", ui);
        d.append("o", o);
        d.putIfNotNull("o2", o2);
        return d;
    }
}
