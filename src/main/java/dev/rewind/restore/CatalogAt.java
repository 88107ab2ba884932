package dev.rewind.restore;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.Namespace;
import dev.rewind.event.Uuids;
import dev.rewind.repo.NamespaceSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.Document;

/**
 * The catalog at a point of the log (pure): starting from a snapshot's namespaces, it follows the
 * log's namespace and DDL events in order — {@code create}, {@code drop}, {@code dropDatabase},
 * {@code rename}, {@code createIndexes}, {@code dropIndexes}, {@code modify} — and says which
 * collections, views and time-series collections exist, with their options and indexes, and where
 * each one's documents came from. Each is one {@link CollectionAt} from creation to drop, whatever
 * names it takes, so a rename moves a collection's documents, past and future, to the new name.
 *
 * <p>Collections are followed by UUID where the events carry one ({@code collectionUUID}, MongoDB
 * 6.0+ with {@code showExpandedEvents}; a collection keeps its UUID across a rename) and the
 * snapshot recorded one; otherwise by name. By UUID, replaying from the snapshot's {@code startAt}
 * over a catalog listed a little later is idempotent: a rename the listing already shows moves
 * nothing, and a {@code create} in the log means the log holds every document of the collection,
 * so its snapshot copy is set aside. A collection a document event names without a {@code create}
 * (servers before 6.0 send none) is created implicitly, with an {@code _id} index, as MongoDB does.
 */
public final class CatalogAt {
    private final List<CollectionAt> all = new ArrayList<>();
    private final Map<String, CollectionAt> byUuid = new HashMap<>();
    private final Map<Namespace, CollectionAt> byName = new HashMap<>();
    private final Set<Namespace> vacated = new HashSet<>();
    private final List<String> warnings = new ArrayList<>();
    private int next;

    private CatalogAt() { }

    /** The catalog a snapshot lists. */
    public static CatalogAt of(List<NamespaceSnapshot> snapshot) {
        CatalogAt c = new CatalogAt();
        for (NamespaceSnapshot n : snapshot) {
            c.place(CollectionAt.fromSnapshot(c.next++, n));
        }
        return c;
    }

    /** An independent copy that goes on from here; each collection keeps its {@link CollectionAt#serial()}. */
    public CatalogAt copy() {
        CatalogAt c = new CatalogAt();
        all.forEach(x -> c.all.add(x.copy()));
        byUuid.forEach((uuid, x) -> c.byUuid.put(uuid, c.bySerial(x.serial())));
        byName.forEach((ns, x) -> c.byName.put(ns, c.bySerial(x.serial())));
        c.vacated.addAll(vacated);
        c.warnings.addAll(warnings);
        c.next = next;
        return c;
    }

    /** The collection a document event belongs to; created implicitly when the catalog has none there. */
    public CollectionAt route(ChangeEvent e) {
        String uuid = Uuids.of(e);
        CollectionAt c = uuid == null ? null : byUuid.get(uuid);
        if (c != null) {
            return c;
        }
        c = at(e.ns());
        if (c != null && (uuid == null || c.uuid == null)) {
            bind(c, uuid);
            return c;
        }
        return implicit(e.ns(), uuid);
    }

    /**
     * Takes a namespace or DDL event (document events go to {@link #route}). Returns the collection a
     * {@code create} made or made anew, whose documents the log holds in full from here (so any earlier
     * ones are set aside); else null.
     */
    public CollectionAt apply(ChangeEvent e) {
        if (e.ns() == null) {
            return null;
        }
        switch (e.operation()) {
            case CREATE -> {
                return create(e);
            }
            case DROP -> {
                CollectionAt c = find(e);
                if (c != null) {
                    drop(c);
                }
            }
            case DROP_DATABASE -> List.copyOf(all).stream().filter(c -> c.live && c.ns.db().equals(e.ns().db())).forEach(this::drop);
            case RENAME -> rename(e);
            case CREATE_INDEXES -> {
                CollectionAt c = find(e);
                if (c == null) {
                    c = implicit(e.ns(), Uuids.of(e));  // createIndexes creates a missing collection
                }
                for (Document index : DdlDescriptions.listedIndexes(e.operationDescription())) {
                    c.indexes.put(index.getString("name"), index);
                }
            }
            case DROP_INDEXES -> {
                CollectionAt c = find(e);
                if (c != null) {
                    DdlDescriptions.listedIndexes(e.operationDescription()).forEach(i -> c.indexes.remove(i.getString("name")));
                }
            }
            case MODIFY -> {
                CollectionAt c = find(e);
                if (c != null && e.operationDescription() != null) {
                    DdlDescriptions.modify(c, e.operationDescription());
                }
            }
            default -> { }
        }
        return null;
    }

    /** What exists now, by name. */
    public List<CollectionAt> live() {
        return all.stream().filter(CollectionAt::live).sorted(Comparator.comparing(c -> c.ns.toString())).toList();
    }

    /** What exists now at {@code ns} (the last to arrive there), or null. */
    public CollectionAt at(Namespace ns) {
        return byName.get(ns);
    }

    /** Whether something that was at {@code ns} was dropped or renamed away (and nothing is there now). */
    public boolean vacated(Namespace ns) {
        return at(ns) == null && vacated.contains(ns);
    }

    public CollectionAt bySerial(int serial) {
        return serial >= 0 && serial < all.size() ? all.get(serial) : null;  // serials are given in the order placed
    }

    /** What the log could not tell, for the user (a rename from a collection the repository never held). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private CollectionAt create(ChangeEvent e) {
        BsonDocument description = e.operationDescription();
        String kind = DdlDescriptions.kind(description, e.extra().get("nsType"));
        String uuid = Uuids.of(e);
        CollectionAt c = uuid == null ? null : byUuid.get(uuid);
        CollectionAt here = at(e.ns());
        if (c == null && here != null && here.uuid == null && here.type.equals(kind)) {
            c = here;  // the snapshot listed it after it was created (or recorded no UUID)
        }
        if (here != null && here != c) {
            drop(here);  // it was gone before this create; its drop is not in the log
        }
        if (c == null) {
            c = place(new CollectionAt(next++, uuid, e.ns(), kind, new Document(), List.of(), null));
        }
        bind(c, uuid);
        if (!c.ns.equals(e.ns())) {
            vacated.add(c.ns);
            leave(c);
        }
        c.live = true;
        arrive(c, e.ns());
        c.type = kind;
        c.options = DdlDescriptions.options(kind, description);
        c.indexes.clear();
        for (Document index : DdlDescriptions.indexes(kind, description)) {
            c.indexes.put(index.getString("name"), new Document(index));
        }
        if (c.isTimeSeries()) {
            return null;  // the log never holds time-series measurements: what the snapshot has stays
        }
        c.base = null;  // the log holds every document since
        return c;
    }

    private void rename(ChangeEvent e) {
        String uuid = Uuids.of(e);
        CollectionAt c = uuid == null ? null : byUuid.get(uuid);
        if (c == null) {
            CollectionAt here = at(e.ns());
            if (here != null && (uuid == null || here.uuid == null)) {
                c = here;
                bind(c, uuid);
            }
        }
        CollectionAt target = at(e.to());
        if (target != null && target != c) {
            drop(target);  // dropTarget: the rename replaced it
        }
        if (c == null) {
            warnings.add(e.to() + " was renamed from " + e.ns() + " at " + e.clusterTime() + ", which the repository does"
                    + " not hold: only its changes after the rename are known");
            implicit(e.to(), uuid).formerNames.add(e.ns());
            return;
        }
        if (!c.ns.equals(e.to())) {
            vacated.add(c.ns);
            c.formerNames.add(c.ns);
            leave(c);
            arrive(c, e.to());
        }
    }

    /** The collection a namespace or DDL event is about: by its UUID, else what is at its name. */
    private CollectionAt find(ChangeEvent e) {
        String uuid = Uuids.of(e);
        CollectionAt c = uuid == null ? null : byUuid.get(uuid);
        if (c != null) {
            return c.live ? c : null;
        }
        c = at(e.ns());
        if (c != null && (uuid == null || c.uuid == null)) {
            bind(c, uuid);
            return c;
        }
        return null;  // another collection than the one there now (the snapshot listed it later)
    }

    private CollectionAt implicit(Namespace ns, String uuid) {
        CollectionAt c = new CollectionAt(next++, uuid, ns, "collection", new Document(), List.of(CollectionAt.ID_INDEX), null);
        return place(c);
    }

    private void drop(CollectionAt c) {
        c.live = false;
        vacated.add(c.ns);
        leave(c);
    }

    private void arrive(CollectionAt c, Namespace ns) {
        c.ns = ns;
        byName.put(ns, c);
    }

    /** Takes {@code c} off its name; another live collection still there (two, briefly, in a fuzzy replay) takes it. */
    private void leave(CollectionAt c) {
        if (byName.get(c.ns) != c) {
            return;
        }
        byName.remove(c.ns);
        for (int i = all.size() - 1; i >= 0; i--) {
            CollectionAt other = all.get(i);
            if (other != c && other.live && other.ns.equals(c.ns)) {
                byName.put(c.ns, other);
                return;
            }
        }
    }

    private void bind(CollectionAt c, String uuid) {
        if (uuid != null) {
            c.uuid = uuid;
            byUuid.put(uuid, c);
        }
    }

    private CollectionAt place(CollectionAt c) {
        if (c.serial() != all.size()) {
            throw new IllegalStateException("collection " + c + " placed out of order");
        }
        all.add(c);
        if (c.live) {
            byName.put(c.ns, c);
        }
        if (c.uuid != null) {
            byUuid.put(c.uuid, c);
        }
        return c;
    }
}
