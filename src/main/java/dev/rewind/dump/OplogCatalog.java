package dev.rewind.dump;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;

/**
 * What a dump's oplog does to the catalog of the collections taken from the dump, for
 * {@link OplogReplay}: the collections it drops (and creates again: the {@code create} entry's
 * options and UUID), and the indexes it builds ({@code createIndexes}; a two-phase build's
 * {@code commitIndexBuild}, whose {@code startIndexBuild} builds nothing yet and whose
 * {@code abortIndexBuild} builds nothing) and drops ({@code dropIndexes}), and the option changes
 * of {@code collMod} (the collection's options, and an index's {@code expireAfterSeconds},
 * {@code hidden}, {@code prepareUnique} or {@code unique}, named as mongod logs it, by name), each
 * as mongod logs it (oplog_entry.idl; op_observer_impl.cpp, {@code onCollMod}). {@link #after}
 * gives a collection's metadata at the oplog's end.
 */
final class OplogCatalog {
    private static final Document ID_INDEX = new Document("v", 2).append("key", new Document("_id", 1)).append("name", "_id_");
    private static final DocumentCodec DOCUMENTS = new DocumentCodec();

    /** An index the oplog builds (its specification) or drops (its name), or a collMod (its command). */
    private record Change(Document built, String dropped, Document modified) {
        String describe(String ns) {
            return built != null ? "built " + built.get("name") + " on " + ns
                    : dropped != null ? "dropped " + dropped + " on " + ns : "collMod of " + ns;
        }
    }

    /** A collection the oplog drops: its {@code create} entry after the last drop ({@code o} and {@code ui}), if any. */
    private record Restart(BsonDocument create, BsonValue uuid) { }

    private final Map<String, Restart> restarts = new TreeMap<>();
    private final Map<String, List<Change>> byNamespace = new TreeMap<>();

    /** The oplog drops {@code ns}: its metadata and the index changes before count for nothing. */
    void dropped(String ns) {
        byNamespace.remove(ns);
        restarts.put(ns, new Restart(null, null));
    }

    /** {@code from} is renamed {@code to}, over what {@code to} was: its creation and index changes go with it. */
    void renamed(String from, String to) {
        Restart r = restarts.remove(from);
        List<Change> changes = byNamespace.remove(from);
        byNamespace.remove(to);
        BsonDocument create = r == null || r.create() == null ? null : r.create().clone();
        if (create != null) {
            create.remove("temp");   // a rename makes a temporary collection (an $out's) a lasting one
        }
        restarts.put(to, new Restart(create, r == null ? null : r.uuid()));
        if (changes != null) {
            byNamespace.put(to, changes);
        }
    }

    boolean wasDropped(String ns) {
        return restarts.containsKey(ns);
    }

    /**
     * The oplog creates {@code ns}, again after dropping it or for the first time (a collection the
     * dump does not hold): {@code o} is the create command, {@code uuid} the entry's {@code ui}.
     */
    void created(String ns, BsonDocument o, BsonValue uuid) {
        restarts.put(ns, new Restart(o, uuid));
    }

    /** The collections the oplog drops, in name order. */
    List<String> droppedNamespaces() {
        return List.copyOf(restarts.keySet());
    }

    /** Whether dropped {@code ns} exists at the end: created again, or written since ({@code written}). */
    boolean existsAtEnd(String ns, boolean written) {
        Restart r = restarts.get(ns);
        return r == null || r.create() != null || written;
    }

    /**
     * Records the index or option entry {@code name} on {@code ns}; false for one this does not
     * replay (a drop or collMod that does not name its index).
     */
    boolean index(String name, String ns, BsonDocument o) {
        switch (name) {
            case "createIndexes" -> {
                Document spec = document(o);
                spec.remove("createIndexes");
                built(ns, spec);
            }
            case "commitIndexBuild" -> {
                if (!o.isArray("indexes")) {
                    throw OplogReplay.refused("a commitIndexBuild without its indexes on " + ns);
                }
                for (BsonValue v : o.getArray("indexes")) {
                    if (!v.isDocument()) {
                        throw OplogReplay.refused("a commitIndexBuild of an index that is not a document on " + ns);
                    }
                    built(ns, document(v.asDocument()));
                }
            }
            case "startIndexBuild", "abortIndexBuild" -> { }   // no index until its commitIndexBuild; none after an abort
            case "dropIndexes", "deleteIndexes" -> {
                if (!o.isString("index")) {
                    return false;
                }
                byNamespace.computeIfAbsent(ns, k -> new ArrayList<>())
                        .add(new Change(null, o.getString("index").getValue(), null));
            }
            case "collMod" -> {
                Document command = document(o);
                if (command.get("index") instanceof Document index && !(index.get("name") instanceof String)) {
                    return false;   // mongod logs the index by name
                }
                byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(new Change(null, null, command));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The index builds and drops and the collMods, as "built NAME on NS", "dropped NAME on NS", "collMod of NS", by namespace then in order. */
    List<String> changes() {
        List<String> out = new ArrayList<>();
        byNamespace.forEach((ns, changes) -> changes.forEach(ch -> out.add(ch.describe(ns))));
        return out;
    }

    /**
     * What collection {@code c} of the dump is at the oplog's end, {@code written} telling whether
     * the oplog writes to it after its last drop: itself with the indexes built and dropped; null
     * when the oplog dropped it and did not create it again; or, created again, a collection of
     * that {@code create} entry's options and UUID with an {@code _id} index and those built since
     * (a view, if it made one).
     */
    CollectionMetadata after(CollectionMetadata c, boolean written) {
        Restart r = restarts.get(c.ns());
        if (r == null) {
            return withIndexChanges(c);
        }
        if (!existsAtEnd(c.ns(), written)) {
            return null;
        }
        Document options = new Document();
        if (r.create() != null) {
            options = document(r.create());
            options.remove("create");
        }
        Object idIndex = options.remove("idIndex");
        String uuid = r.uuid() != null && r.uuid().isBinary() && r.uuid().asBinary().getType() == 4
                ? r.uuid().asBinary().asUuid().toString() : null;
        if (options.containsKey("viewOn")) {
            return withIndexChanges(new CollectionMetadata(c.db(), c.collection(), "view", options, List.of(), null));   // its collMods since
        }
        List<Document> indexes = idIndex instanceof Document d ? List.of(d)
                : options.containsKey("clusteredIndex") ? List.of() : List.of(ID_INDEX);
        return withIndexChanges(new CollectionMetadata(c.db(), c.collection(), "collection", options, indexes, uuid));
    }

    private CollectionMetadata withIndexChanges(CollectionMetadata c) {
        List<Change> changes = byNamespace.get(c.ns());
        if (changes == null) {
            return c;
        }
        List<Document> indexes = new ArrayList<>(c.indexes());
        Document options = new Document(c.options());
        for (Change ch : changes) {
            if (ch.modified() != null) {
                modify(options, indexes, ch.modified());
                continue;
            }
            String name = ch.built() != null ? String.valueOf(ch.built().get("name")) : ch.dropped();
            indexes.removeIf(i -> name.equals(i.get("name")));
            if (ch.built() != null) {
                indexes.add(ch.built());
            }
        }
        return new CollectionMetadata(c.db(), c.collection(), c.type(), options, indexes, c.uuid());
    }

    /** A collMod: its options set on the collection's, its {@code index} part on that index (a copy). */
    private static void modify(Document options, List<Document> indexes, Document command) {
        for (var e : command.entrySet()) {
            if (!e.getKey().equals("collMod") && !e.getKey().equals("index")) {
                options.put(e.getKey(), e.getValue());
            }
        }
        if (command.get("index") instanceof Document change) {
            for (int i = 0; i < indexes.size(); i++) {
                if (change.get("name").equals(indexes.get(i).get("name"))) {
                    Document index = new Document(indexes.get(i));
                    change.forEach((k, v) -> {
                        if (!k.equals("name")) {
                            index.put(k, v);
                        }
                    });
                    if (Boolean.FALSE.equals(index.get("hidden"))) {
                        index.remove("hidden");   // listIndexes shows hidden only when true
                    }
                    if (Boolean.TRUE.equals(index.get("unique"))) {
                        index.remove("prepareUnique");   // the conversion to unique is done
                    }
                    indexes.set(i, index);
                }
            }
        }
    }

    private void built(String ns, Document spec) {
        if (!(spec.get("name") instanceof String)) {
            throw OplogReplay.refused("an index build without the index's name on " + ns);
        }
        byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(new Change(spec, null, null));
    }

    private static Document document(BsonDocument d) {
        return DOCUMENTS.decode(d.asBsonReader(), DecoderContext.builder().build());
    }
}
