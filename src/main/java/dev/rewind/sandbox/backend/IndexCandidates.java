package dev.rewind.sandbox.backend;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The documents a query may match, found through unique indexes where mongod's planner would use an
 * index, instead of the collection scan mongo-java-server falls back to: it plans a query through
 * an index only when the whole query is one index's equality.
 *
 * <ul>
 * <li>A top-level {@code $or} whose every clause an index answers: one index lookup per clause,
 *     their results united (MongoDB manual, "$or Clauses and Indexes": "When evaluating the clauses
 *     in the $or expression, MongoDB either performs a collection scan or, if all the clauses are
 *     supported by indexes, MongoDB performs index scans"). A batch of unique-key lookups (undo's
 *     check for keys taken since) was a collection scan per batch.</li>
 * <li>A query that has equality on every field of a unique index beside other conditions, such as
 *     {@code {_id: 5, name: 'x', ...}}: the lookup of those fields (manual, "Query Optimization": an
 *     index on a query's equality fields narrows the documents the server examines; the rest of the
 *     query filters what it finds). Undo's and revert's conditional writes match a whole document
 *     this way, one per write, and each was a collection scan.</li>
 * </ul>
 *
 * <p>The positions found are candidates only: the caller matches each against the whole query,
 * so what a query returns is unchanged; only which documents are looked at. Order: clause by
 * clause, as an OR stage returns them; a query without a sort has no defined order.
 */
final class IndexCandidates {
    private IndexCandidates() { }

    /**
     * The positions of the documents that may match {@code query}, or null when no index narrows
     * it (a top-level {@code $or} with a clause no index answers, or no unique index's every field in
     * equality): scan the collection then.
     */
    static <P> Iterable<P> candidates(Document query, List<Index<P>> indexes) {
        if (query == null) {
            return null;
        }
        if (query.get("$or") instanceof List<?> clauses && !clauses.isEmpty()) {
            Iterable<P> through = throughOr(clauses, indexes);
            if (through != null) {
                return through;
            }
        }
        return throughEquality(query, indexes);
    }

    private static <P> Iterable<P> throughOr(List<?> clauses, List<Index<P>> indexes) {
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

    /** The lookup of the first unique index whose every field the query holds as an equality it can answer. */
    private static <P> Iterable<P> throughEquality(Document query, List<Index<P>> indexes) {
        for (Index<P> index : indexes) {
            if (!index.isUnique()) {
                continue;
            }
            Document fields = new Document();
            for (IndexKey key : index.getKeys()) {
                if (!query.containsKey(key.getKey())) {
                    fields = null;
                    break;
                }
                fields.put(key.getKey(), query.get(key.getKey()));
            }
            if (fields != null && fields.size() < query.size() && index.canHandle(fields)) {
                return index.getPositions(fields);
            }
        }
        return null;
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
