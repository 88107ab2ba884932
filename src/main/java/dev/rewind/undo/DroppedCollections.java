package dev.rewind.undo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.rewind.event.Namespace;
import dev.rewind.mongo.Catalog;
import dev.rewind.restore.CollectionAt;
import dev.rewind.restore.CreateCommand;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * Brings back the collections an undo of a drop writes into. One that does not exist is created as
 * it was at T1, with its options and indexes, before its documents are written (as a mongod
 * collection is, they then go in under its unique indexes). One that exists again (the application
 * wrote to the name after the drop, which creates a plain collection) is left as it is while the
 * documents go in, and then gets the indexes it had at T1 and lacks now; an index that cannot be
 * built (the documents written since break its uniqueness) is reported, not forced. A collection a
 * rename replaced ({@code dropTarget}) is met the same way: the renamed collection is at its name,
 * keeps what it holds, and takes the documents back beside them. In a dry run it
 * only says what it would do. These are not journaled: a revert takes back the documents and leaves
 * the collection and its indexes. A dropped view is created again as it was (when nothing is at its
 * name); a time-series collection is not (its measurements are not in the change log), and says so.
 */
public final class DroppedCollections {
    private final MongoClient live;
    private final boolean apply;
    private final Map<Namespace, DroppedCollection> existing = new LinkedHashMap<>();
    private final Set<Namespace> seen = new HashSet<>();
    private final List<String> notes = new ArrayList<>();

    public DroppedCollections(MongoClient live, boolean apply) {
        this.live = live;
        this.apply = apply;
    }

    /** Before a pass's writes: creates each newly met collection that does not exist, as it was at T1. */
    public void prepare(Map<Namespace, DroppedCollection> dropped) {
        Catalog catalog = new Catalog(live);
        for (Map.Entry<Namespace, DroppedCollection> e : dropped.entrySet()) {
            Namespace ns = e.getKey();
            if (!seen.add(ns)) {
                continue;
            }
            CollectionAt then = e.getValue().then();
            String how = e.getValue().how();
            if (then.isTimeSeries()) {
                notes.add(ns + ": a time-series collection, " + how + "; undo cannot bring it back (its measurements"
                        + " are not in the change log): restore it with 'rewind restore --at' just before the drop, with --in-place to bring it back under its name");
                continue;
            }
            boolean exists = catalog.exists(ns.db(), ns.coll());
            if (then.isView()) {
                if (!exists && apply) {
                    Document create = new Document("create", ns.coll());
                    then.options().forEach(create::append);
                    live.getDatabase(ns.db()).runCommand(create);
                }
                notes.add(ns + ": a view, " + how + "; " + (exists ? "something exists at its name again: left as it is"
                        : (apply ? "re-created" : "would be re-created") + " as it was then"));
                continue;
            }
            if (exists) {
                existing.put(ns, e.getValue());
                continue;
            }
            List<Document> indexes = specs(then);
            if (apply) {
                MongoDatabase db = live.getDatabase(ns.db());
                Document create = new Document("create", ns.coll());
                then.options().forEach(create::append);
                db.runCommand(create);
                if (!indexes.isEmpty()) {
                    db.runCommand(new Document("createIndexes", ns.coll()).append("indexes", indexes));
                }
            }
            notes.add(ns + ": " + how + "; " + (apply ? "re-created" : "would be re-created") + " as it was then, with its"
                    + " options and " + describe(indexes));
        }
    }

    /** After every pass has written: adds to each collection that existed again the indexes it had at T1 and lacks. */
    public void finish() {
        for (Map.Entry<Namespace, DroppedCollection> e : existing.entrySet()) {
            Namespace ns = e.getKey();
            MongoDatabase db = live.getDatabase(ns.db());
            Set<String> present = new HashSet<>();
            db.getCollection(ns.coll()).listIndexes().forEach(i -> present.add(i.getString("name")));
            List<Document> missing = specs(e.getValue().then()).stream().filter(i -> !present.contains(i.getString("name"))).toList();
            Namespace over = e.getValue().renamedOver();
            String head = ns + ": " + (over == null ? "dropped in the window and written to since (it exists again, with its options of now); "
                    : e.getValue().how() + " (what " + over + " held is there now, with its options, and stays: undo does not take back"
                    + " the rename); ");
            if (missing.isEmpty()) {
                notes.add(head + "it has every index it had then");
                continue;
            }
            if (!apply) {
                notes.add(head + "would get back " + describe(missing));
                continue;
            }
            List<String> built = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (Document index : missing) {
                try {
                    db.runCommand(new Document("createIndexes", ns.coll()).append("indexes", List.of(index)));
                    built.add(index.getString("name"));
                } catch (MongoException x) {
                    failed.add(index.getString("name") + " (" + x.getMessage() + ")");
                }
            }
            notes.add(head + (built.isEmpty() ? "" : "got back the index" + (built.size() == 1 ? " " : "es ") + String.join(", ", built))
                    + (failed.isEmpty() ? "" : (built.isEmpty() ? "" : "; ") + "could not build " + String.join(", ", failed)
                    + ": the documents written since " + (over == null ? "the drop" : "the rename") + " break it; fix them, then create the index"));
        }
        existing.clear();
    }

    /** What was done (or, in a dry run, would be done) to each collection, one line each. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** The collection's indexes at T1 as createIndexes takes them. */
    private static List<Document> specs(CollectionAt c) {
        return CreateCommand.indexSpecs(c.indexes());
    }

    private static String describe(List<Document> indexes) {
        if (indexes.isEmpty()) {
            return "no index but _id";
        }
        return indexes.size() + (indexes.size() == 1 ? " index (" : " indexes (")
                + String.join(", ", indexes.stream().map(i -> i.getString("name")).toList()) + ")";
    }
}
