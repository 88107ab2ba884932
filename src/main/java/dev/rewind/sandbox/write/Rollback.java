package dev.rewind.sandbox.write;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import dev.rewind.sandbox.backend.Backends;
import dev.rewind.sandbox.catalog.Namespaces;
import dev.rewind.sandbox.session.Transaction;

/**
 * Undoes an aborted transaction's writes in storage, newest first, from their recorded images: an
 * insert is removed, an update or replace put back as it was, a delete inserted again; collections
 * the transaction created are dropped. Nothing of it is recorded: the transaction never reached the
 * oplog. The caller holds the data lock.
 */
public final class Rollback {
    private final Namespaces namespaces;
    private final WriteRecorder recorder;

    public Rollback(Namespaces namespaces, WriteRecorder recorder) {
        this.namespaces = namespaces;
        this.recorder = recorder;
    }

    public void undo(Transaction txn) {
        recorder.silently(() -> {
            for (WriteRecorder.Write w : txn.undoLog()) {
                MongoCollection<?> coll = namespaces.existing(w.ns());
                if (coll == null) {
                    continue;
                }
                if (w.isInsert()) {
                    coll.deleteDocuments(new Document("_id", w.id()), 1, NoopOplog.get());
                } else if (w.isDelete()) {
                    coll.addDocument(w.beforeDocument());
                } else {
                    Document before = w.beforeDocument();
                    Backends.whileReplacing(before, () -> coll.updateDocuments(new Document("_id", before.get("_id")),
                            before, ArrayFilters.empty(), false, false, NoopOplog.get()));
                }
            }
            for (String ns : txn.createdCollections()) {
                MongoDatabase db = namespaces.database(ns);
                if (db.resolveCollection(Namespaces.collectionName(ns), false) != null) {
                    db.dropCollection(Namespaces.collectionName(ns), NoopOplog.get());
                }
                namespaces.catalog().remove(ns);
            }
            return null;
        });
    }
}
