package dev.rewind.restore;

import dev.rewind.MongoNames;
import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.SnapshotManifest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which namespaces of a snapshot go where. Planning is pure: a manifest and the user's mapping in,
 * a list of (snapshot namespace, target namespace) out, or a usage error.
 */
public record RestorePlan(SnapshotManifest snapshot, List<Item> items) {

    /** One namespace to restore. */
    public record Item(NamespaceSnapshot source, String targetDb, String targetCollection) {
        public String targetNs() {
            return targetDb + "." + targetCollection;
        }
    }

    /**
     * Plans a restore. {@code nsFrom}/{@code nsTo} map names with {@code *} captures; {@code toDb}
     * puts every selected namespace into one database under its collection name. With neither,
     * names stay as they were (the target must then be another server).
     */
    public static RestorePlan of(SnapshotManifest snapshot, String nsFrom, String nsTo, String toDb) {
        return plan(snapshot, snapshot.namespaces(), false, nsFrom, nsTo, toDb);
    }

    /**
     * Plans a restore at a point in time: {@code atTarget} are the namespaces that exist then (as
     * {@link CatalogAt} followed them from {@code snapshot} through the log: names, options and
     * indexes then, documents from the snapshot namespace each started as), in place of the snapshot's.
     */
    public static RestorePlan at(SnapshotManifest snapshot, List<NamespaceSnapshot> atTarget, String nsFrom, String nsTo,
                                 String toDb) {
        return plan(snapshot, atTarget, true, nsFrom, nsTo, toDb);
    }

    private static RestorePlan plan(SnapshotManifest snapshot, List<NamespaceSnapshot> all, boolean atTime, String nsFrom,
                                    String nsTo, String toDb) {
        if ((nsFrom == null) != (nsTo == null)) {
            throw RewindException.usage("--ns-from and --ns-to go together",
                    "for example --ns-from 'famigo.*' --ns-to 'famigo_restored.*'");
        }
        if (toDb != null && nsTo != null) {
            throw RewindException.usage("use either --to-db or --ns-from/--ns-to, not both",
                    "--to-db DB restores every selected collection into DB");
        }
        if (toDb != null && MongoNames.databaseProblem(toDb) != null) {
            throw RewindException.usage("not a database name: '" + toDb + "': " + MongoNames.databaseProblem(toDb),
                    "a database name has fewer than 64 bytes and none of / \\ . \" $ * < > : | ? or spaces");
        }
        NamespacePattern from = nsFrom == null ? null : NamespacePattern.parse(nsFrom);
        NamespacePattern to = nsTo == null ? null : NamespacePattern.parse(nsTo);
        if (from != null && to.stars() > from.stars()) {
            throw RewindException.usage("--ns-to '" + nsTo + "' has more * than --ns-from '" + nsFrom + "'",
                    "each * in --ns-to is filled with what the same * matched in --ns-from");
        }
        List<Item> items = new ArrayList<>();
        Set<String> targets = new LinkedHashSet<>();
        for (NamespaceSnapshot n : all) {
            String target;
            if (from != null) {
                List<String> captures = from.captures(n.ns());
                if (captures == null) {
                    continue;
                }
                target = to.fill(captures);
            } else if (toDb != null) {
                target = toDb + "." + n.collection();
            } else {
                target = n.ns();
            }
            int dot = target.indexOf('.');
            if (dot <= 0 || dot == target.length() - 1) {
                throw RewindException.usage("'" + n.ns() + "' would be restored to '" + target + "', which is not DB.COLLECTION",
                        "keep a dot between the database and the collection in --ns-to");
            }
            String db = target.substring(0, dot);
            String coll = target.substring(dot + 1);
            if (MongoNames.isSystem(db, coll)) {
                throw RewindException.usage("'" + n.ns() + "' would be restored to '" + target + "', which belongs to the server"
                        + " (admin, local, config and system.* collections are never restored into)",
                        "restore into a database of your own with --to-db DB or --ns-to 'DB.*'");
            }
            String problem = MongoNames.namespaceProblem(db, coll);
            if (problem != null) {
                throw RewindException.usage("'" + n.ns() + "' would be restored to '" + abbreviate(target)
                        + "', which MongoDB cannot name: " + problem, "choose another --ns-to or --to-db");
            }
            if (!targets.add(target)) {
                throw RewindException.usage("two namespaces would be restored to '" + target + "'",
                        "use * in --ns-to so that each name stays distinct");
            }
            items.add(new Item(n, target.substring(0, dot), target.substring(dot + 1)));
        }
        if (items.isEmpty()) {
            List<String> names = all.stream().map(NamespaceSnapshot::ns).toList();
            throw RewindException.notFound((atTime ? "no namespace that exists at that time" : "no namespace of snapshot "
                            + snapshot.id()) + " matches '" + nsFrom + "'",
                    (atTime ? "there are then: " : "the snapshot holds: ") + String.join(", ", names.subList(0, Math.min(20, names.size())))
                            + (names.size() > 20 ? ", ..." : ""));
        }
        return new RestorePlan(snapshot, items);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "... (" + s.length() + " characters)";
    }

    /** True when some item keeps its original name (a restore onto the source would then be in place). */
    public boolean keepsAnyName() {
        return items.stream().anyMatch(i -> i.targetNs().equals(i.source().ns()));
    }
}
