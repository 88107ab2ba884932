package dev.rewind.sandbox.catalog;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/** Where catalog entries outlive the process: nowhere for an in-memory server, its data file otherwise. */
public interface CatalogStore {
    CatalogStore NONE = new CatalogStore() {
        @Override public List<Document> load() { return List.of(); }
        @Override public void put(String ns, Document entry) { }
        @Override public void remove(String ns) { }
    };

    List<Document> load();

    void put(String ns, Document entry);

    void remove(String ns);
}
