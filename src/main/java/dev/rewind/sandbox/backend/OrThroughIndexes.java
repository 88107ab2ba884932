package dev.rewind.sandbox.backend;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.bson.Document;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A query with a top-level {@code $or} answered through indexes, as mongod's planner does when
 * every clause can use an index: one index lookup per clause, their results united (MongoDB
 * manual, "$or Clauses and Indexes": "When evaluating the clauses in the $or expression, MongoDB
 * either performs a collection scan or, if all the clauses are supported by indexes, MongoDB
 * performs index scans"). mongo-java-server plans a query through an index only when the whole
 * query is one index's equality, so it scans the collection for every {@code $or}, and matches
 * each document against every clause: a batch of unique-key lookups (undo's check for keys taken
 * since) then costs a collection scan per batch.
 *
 * <p>The positions found are candidates only: the caller matches each against the whole query,
 * so what a query returns is unchanged; only which documents are looked at. Order: clause by
 * clause, as an OR stage returns them; a query without a sort has no defined order.
 */
final class OrThroughIndexes {
    private OrThroughIndexes() { }

    /**
     * The positions of the documents that may match {@code query}, or null when its top-level
     * {@code $or} has a clause no index answers (or there is none): scan the collection then.
     */
    static <P> Iterable<P> candidates(Document query, List<Index<P>> indexes) {
        if (query == null || !(query.get("$or") instanceof List<?> clauses) || clauses.isEmpty()) {
            return null;
        }
        Set<P> positions = new LinkedHashSet<>();
        for (Object clause : clauses) {
            Index<P> index = clause instanceof Document d ? answering(d, indexes) : null;
            if (index == null) {
                return null;
            }
            for (P p : index.getPositions((Document) clause)) {
                positions.add(p);
            }
        }
        return positions;
    }

    private static <P> Index<P> answering(Document clause, List<Index<P>> indexes) {
        for (Index<P> index : indexes) {
            if (index.canHandle(clause)) {
                return index;
            }
        }
        return null;
    }
}
