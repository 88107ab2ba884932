package dev.rewind.sandbox.write;

import de.bwaldvogel.mongo.bson.Document;
import dev.rewind.sandbox.catalog.Catalog;
import dev.rewind.sandbox.oplog.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what storage wrote for one statement into oplog changes: an insert (upserts too), a
 * delete, and for an update either an {@code update} with its description or a {@code replace},
 * by the form of the statement. Pre- and post-images are kept only where the collection has
 * {@code changeStreamPreAndPostImages} enabled at the time of the write, as mongod keeps them.
 */
public final class Changes {
    /** How a statement changed its documents. */
    public enum Form { MODIFIERS, REPLACEMENT, PIPELINE }

    private Changes() { }

    /** How the statement asked for its update: the operators, its query (for {@code $}) and array filters. */
    public record Statement(Form form, Document update, Document query, List<Document> arrayFilters) {
        public static final Statement NONE = new Statement(Form.MODIFIERS, null, null, null);
    }

    public static List<Op> of(List<WriteRecorder.Write> writes, Catalog catalog, Statement statement) {
        List<Op> ops = new ArrayList<>(writes.size());
        for (WriteRecorder.Write w : writes) {
            ops.add(of(w, catalog.collection(w.ns()), statement));
        }
        return ops;
    }

    static Op of(WriteRecorder.Write w, Catalog.Entry entry, Statement statement) {
        boolean images = entry.images();
        Object id = w.id();
        if (w.isInsert()) {
            return new Op(Op.Kind.INSERT, w.ns(), entry.uuid(), id, w.after(), null, null, null);
        }
        byte[] pre = images ? w.before() : null;
        if (w.isDelete()) {
            return new Op(Op.Kind.DELETE, w.ns(), entry.uuid(), id, null, pre, null, null);
        }
        Document before = w.beforeDocument();
        Document after = w.afterDocument();
        Describe.Described described = switch (statement.form()) {
            case MODIFIERS -> Describe.modifiers(before, after, statement.update(), statement.query(), statement.arrayFilters());
            case PIPELINE -> Describe.pipeline(before, after);
            case REPLACEMENT -> null;
        };
        if (described == null) {
            return new Op(Op.Kind.REPLACE, w.ns(), entry.uuid(), id, w.after(), pre, null, null);
        }
        return new Op(Op.Kind.UPDATE, w.ns(), entry.uuid(), id, images ? w.after() : null, pre, described.description(), null,
                described.diff());
    }
}
