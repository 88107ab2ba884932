package dev.rewind.sandbox.backend;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import dev.rewind.sandbox.Bson;
import dev.rewind.sandbox.catalog.CatalogStore;
import dev.rewind.sandbox.oplog.OplogCodec;
import dev.rewind.sandbox.oplog.OplogEntry;
import dev.rewind.sandbox.oplog.OplogStore;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The oplog and the catalog kept in the file-backed server's own H2 MVStore, beside its data, so
 * that a restarted server has both (mongod keeps its oplog in {@code local.oplog.rs} and its
 * catalog in {@code _mdb_catalog} the same way).
 */
public final class FileStores {
    private FileStores() { }

    public static OplogStore oplog(MVStore store) {
        MVMap<Long, byte[]> map = store.openMap("sandbox.oplog");
        return new OplogStore() {
            @Override
            public List<OplogEntry> load() {
                List<OplogEntry> out = new ArrayList<>();
                for (byte[] bytes : map.values()) {
                    out.add(OplogCodec.decode(bytes));
                }
                return out;
            }

            @Override
            public void append(OplogEntry entry) {
                map.put(entry.seq(), OplogCodec.encode(entry));
            }

            @Override
            public void truncateThrough(long seq) {
                Long first = map.firstKey();
                while (first != null && first <= seq) {
                    map.remove(first);
                    first = map.firstKey();
                }
            }
        };
    }

    public static CatalogStore catalog(MVStore store) {
        MVMap<String, byte[]> map = store.openMap("sandbox.catalog");
        return new CatalogStore() {
            @Override
            public List<Document> load() {
                List<Document> out = new ArrayList<>();
                for (byte[] bytes : map.values()) {
                    out.add(Bson.decode(bytes));
                }
                return out;
            }

            @Override
            public void put(String ns, Document entry) {
                map.put(ns, Bson.encode(entry));
            }

            @Override
            public void remove(String ns) {
                map.remove(ns);
            }
        };
    }

    /**
     * The replica set's id ({@code settings.replicaSetId} of {@code replSetGetConfig}): made once, when
     * the set is initiated, and kept with the data, as mongod keeps it in {@code local.system.replset}.
     */
    public static ObjectId replicaSetId(MVStore store) {
        MVMap<String, byte[]> map = store.openMap("sandbox.replset");
        byte[] saved = map.get("replicaSetId");
        if (saved != null) {
            return new ObjectId(saved);
        }
        ObjectId made = new ObjectId();
        map.put("replicaSetId", made.toByteArray());
        return made;
    }
}
