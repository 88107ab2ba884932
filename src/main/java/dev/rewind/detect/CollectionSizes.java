package dev.rewind.detect;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.ClusterTime;
import dev.rewind.event.Namespace;
import java.util.HashMap;
import java.util.Map;

/**
 * How many documents each collection holds, as far as the repository knows: the newest snapshot's
 * counts, then plus inserts and minus deletes as events pass (a drop empties a collection, a
 * dropDatabase every collection of the database, a rename moves the count). Never asks the server.
 * Approximate around a snapshot taken while capture runs: events before its {@code endAt} are
 * ignored after {@link #rebase}, those after it count.
 */
public final class CollectionSizes {
    private final Map<Namespace, Long> sizes = new HashMap<>();
    private ClusterTime base = ClusterTime.MIN;

    /** Starts over from a snapshot's counts at {@code endAt} (null: counts from now on). */
    public void rebase(Map<String, Long> counts, ClusterTime endAt) {
        sizes.clear();
        counts.forEach((ns, n) -> sizes.put(Namespace.parse(ns), n));
        base = endAt == null ? ClusterTime.MIN : endAt;
    }

    public void apply(ChangeEvent e) {
        if (e.ns() == null || !e.clusterTime().isAfter(base)) {
            return;
        }
        switch (e.operation()) {
            case INSERT -> sizes.merge(e.ns(), 1L, Long::sum);
            case DELETE -> sizes.merge(e.ns(), -1L, (a, b) -> Math.max(0, a + b));
            case DROP -> sizes.remove(e.ns());
            case DROP_DATABASE -> sizes.keySet().removeIf(ns -> ns.db().equals(e.ns().db()));
            case RENAME -> {
                Long n = sizes.remove(e.ns());
                if (n != null && e.to() != null) {
                    sizes.put(e.to(), n);
                }
            }
            default -> { }
        }
    }

    /** The collection's document count as known; 0 when unknown. */
    public long size(Namespace ns) {
        return sizes.getOrDefault(ns, 0L);
    }
}
