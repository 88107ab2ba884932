package dev.rewind.sandbox.diff;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays mongod's traversal of an update tree over the pre-image (UpdateObjectNode::apply,
 * UpdateArrayNode::apply and applyChild in src/mongo/db/update/), keeping mongod's
 * {@code pathTaken} / {@code pathToCreate} bookkeeping, so that every leaf is reached in mongod's
 * order with the same path split, and logs into a {@link LogBuilder} what mongod's nodes log.
 * What a leaf does to its value is not recomputed: {@link LeafApplier} reads the result from the
 * post-image and decides from it, and the operator's rules, what mongod records.
 */
final class ModifierApplier {
    private final LeafApplier leaves;
    private final Document state;
    private final Document after;
    private final Map<String, Object> arrayFilters;
    private final Integer matchedIndex;
    private final DefaultQueryMatcher matcher = new DefaultQueryMatcher();

    /**
     * @param arrayFilters the update's {@code arrayFilters}, or null to infer which elements an
     *     identifier matched from the elements its own leaves changed
     * @param matchedIndex the array index the query matched for {@code $}, or null to infer it
     */
    ModifierApplier(Document before, Document after, List<Document> arrayFilters, Integer matchedIndex) {
        this.state = (Document) BsonValues.deepCopy(before);
        this.after = after;
        this.arrayFilters = arrayFilters == null ? null : filterQueries(arrayFilters);
        this.matchedIndex = matchedIndex;
        this.leaves = new LeafApplier(state, after);
    }

    /** Applies the whole update, logging into {@code log}. */
    void apply(UpdateTree.ObjectNode root, LogBuilder log) {
        applyObject(root, new ArrayList<>(), new ArrayList<>(), log);
    }

    /** The pre-image as modified so far (equal to the post-image once a consistent update ran). */
    Document state() {
        return state;
    }

    private boolean apply(UpdateTree.Node node, List<Object> pathTaken, List<String> pathToCreate, LogBuilder log) {
        if (node instanceof UpdateTree.ObjectNode object) {
            return applyObject(object, pathTaken, pathToCreate, log);
        } else if (node instanceof UpdateTree.ArrayNode array) {
            return applyArray(array, pathTaken, pathToCreate, log);
        }
        return leaves.apply((UpdateTree.Leaf) node, pathTaken, pathToCreate, log);
    }

    /** Children in order, the positional child slotted in (or merged) at its matched field. */
    private boolean applyObject(UpdateTree.ObjectNode node, List<Object> pathTaken, List<String> pathToCreate,
                                LogBuilder log) {
        String matched = node.positional == null ? null : matchedField(node, pathTaken, pathToCreate);
        boolean applyPositional = matched != null;
        boolean noop = true;
        for (Map.Entry<String, UpdateTree.Node> child : node.children.entrySet()) {
            String field = child.getKey();
            if (applyPositional && field.equals(matched)) {
                noop &= applyChild(UpdateTree.merge(node.positional, child.getValue()), field, pathTaken, pathToCreate, log);
                applyPositional = false;
                continue;
            }
            if (applyPositional && BsonValues.compareBytes(matched, field) < 0) {
                noop &= applyChild(node.positional, matched, pathTaken, pathToCreate, log);
                applyPositional = false;
            }
            noop &= applyChild(child.getValue(), field, pathTaken, pathToCreate, log);
        }
        if (applyPositional) {
            noop &= applyChild(node.positional, matched, pathTaken, pathToCreate, log);
        }
        return noop;
    }

    /** applyChild: descend into {@code field}, existing or to be created, and move on after it. */
    private boolean applyChild(UpdateTree.Node child, String field, List<Object> pathTaken, List<String> pathToCreate,
                               LogBuilder log) {
        int takenBefore = pathTaken.size();
        Object element = DocState.get(state, pathTaken);
        Object step = null;
        if (pathToCreate.isEmpty() && DocState.child(element, field) != DocState.MISSING) {
            step = element instanceof List<?> ? DocState.parseIndex(field) : field;
        }
        if (step != null) {
            pathTaken.add(step);
        } else {
            pathToCreate.add(field);
        }
        boolean noop = apply(child, pathTaken, pathToCreate, log);
        if (!pathToCreate.isEmpty()) {
            pathToCreate.remove(pathToCreate.size() - 1);
        } else {
            pathTaken.remove(pathTaken.size() - 1);
        }
        if (pathTaken.size() == takenBefore && !pathToCreate.isEmpty()
            && DocState.child(DocState.get(state, pathTaken), pathToCreate.get(0)) != DocState.MISSING) {
            // A leaf below created the missing part of our path: it exists from now on.
            for (String part : pathToCreate) {
                Object container = DocState.get(state, pathTaken);
                pathTaken.add(container instanceof List<?> ? DocState.parseIndex(part) : part);
            }
            pathToCreate.clear();
        }
        return noop;
    }

    /**
     * UpdateArrayNode::apply: when at most one element matches, its update logs itself; otherwise
     * nothing below logs, and the array logs the one modified element, or the whole array when
     * more than one changed.
     */
    private boolean applyArray(UpdateTree.ArrayNode node, List<Object> pathTaken, List<String> pathToCreate,
                               LogBuilder log) {
        if (!pathToCreate.isEmpty()) {
            throw new IllegalArgumentException("The path must exist in the document in order to apply array updates.");
        }
        if (!(DocState.get(state, pathTaken) instanceof List<?> array)) {
            throw new IllegalArgumentException("Cannot apply array updates to non-array element " + pathTaken);
        }
        TreeMap<Integer, UpdateTree.Node> matching = new TreeMap<>();
        for (int i = 0; i < array.size(); i++) {
            UpdateTree.Node merged = null;
            for (Map.Entry<String, UpdateTree.Node> child : node.children.entrySet()) {
                if (matches(child.getKey(), child.getValue(), array.get(i), pathTaken, i)) {
                    merged = merged == null ? child.getValue() : mergeMatching(merged, child.getValue());
                }
            }
            if (merged != null) {
                matching.put(i, merged);
            }
        }
        boolean childrenLogThemselves = matching.size() <= 1;
        int modified = 0;
        int modifiedIndex = -1;
        for (Map.Entry<Integer, UpdateTree.Node> m : matching.entrySet()) {
            pathTaken.add(m.getKey());
            boolean childNoop = apply(m.getValue(), pathTaken, pathToCreate, childrenLogThemselves ? log : null);
            pathTaken.remove(pathTaken.size() - 1);
            if (!childNoop) {
                modified++;
                modifiedIndex = m.getKey();
            }
        }
        if (!childrenLogThemselves && log != null) {
            List<Object> logged = new ArrayList<>(pathTaken);
            if (modified == 1) {
                logged.add(modifiedIndex);
            }
            if (modified >= 1) {
                log.logUpdatedField(logged, DocState.get(after, logged));
            }
        }
        return modified == 0;
    }

    private UpdateTree.Node mergeMatching(UpdateTree.Node a, UpdateTree.Node b) {
        if (arrayFilters != null) {
            return UpdateTree.merge(a, b);
        }
        try {
            return UpdateTree.merge(a, b);
        } catch (IllegalArgumentException conflict) {
            // Inferred matches can be wrong where two identifiers update the same element; keep the first.
            return a;
        }
    }

    /**
     * Whether applying {@code node} to a value could explain its change from {@code before} to
     * {@code after}: some leaf below it sees a different value (a missing value counts).
     */
    static boolean touches(UpdateTree.Node node, Object before, Object after) {
        if (node instanceof UpdateTree.Leaf) {
            return !BsonValues.same(before, after);
        }
        if (node instanceof UpdateTree.ObjectNode object) {
            if (object.positional != null && !BsonValues.same(before, after)) {
                return true;
            }
            for (Map.Entry<String, UpdateTree.Node> child : object.children.entrySet()) {
                if (touches(child.getValue(), DocState.child(before, child.getKey()), DocState.child(after, child.getKey()))) {
                    return true;
                }
            }
            return false;
        }
        UpdateTree.ArrayNode array = (UpdateTree.ArrayNode) node;
        int size = Math.max(before instanceof List<?> b ? b.size() : 0, after instanceof List<?> a ? a.size() : 0);
        for (int k = 0; k < size; k++) {
            for (UpdateTree.Node child : array.children.values()) {
                if (touches(child, DocState.child(before, k), DocState.child(after, k))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matches(String identifier, UpdateTree.Node child, Object element, List<Object> arrayPath, int index) {
        if (identifier.isEmpty()) {
            return true;
        }
        if (arrayFilters == null) {
            List<Object> path = new ArrayList<>(arrayPath);
            path.add(index);
            return touches(child, element, DocState.get(after, path));
        }
        if (!arrayFilters.containsKey(identifier)) {
            throw new IllegalArgumentException("No array filter found for identifier '" + identifier + "'");
        }
        return matcher.matchesValue(arrayFilters.get(identifier), element);
    }

    /**
     * The array index {@code $} stands for: the caller's, else the first element the positional
     * update changed that is not also named explicitly, else such an element named explicitly
     * whose update can merge with it.
     */
    private String matchedField(UpdateTree.ObjectNode node, List<Object> pathTaken, List<String> pathToCreate) {
        if (matchedIndex != null) {
            return Integer.toString(matchedIndex);
        }
        if (!pathToCreate.isEmpty() || !(DocState.get(state, pathTaken) instanceof List<?> array)) {
            return null;
        }
        Object target = DocState.get(after, pathTaken);
        int size = Math.max(array.size(), target instanceof List<?> t ? t.size() : 0);
        String mergeable = null;
        for (int i = 0; i < size; i++) {
            List<Object> path = new ArrayList<>(pathTaken);
            path.add(i);
            if (!touches(node.positional, DocState.get(state, path), DocState.get(after, path))) {
                continue;
            }
            UpdateTree.Node named = node.children.get(Integer.toString(i));
            if (named == null) {
                return Integer.toString(i);
            }
            if (mergeable == null && named instanceof UpdateTree.ObjectNode && node.positional instanceof UpdateTree.ObjectNode) {
                mergeable = Integer.toString(i);
            }
        }
        return mergeable;
    }

    /** arrayFilters as identifier -> query on one element (mongo-java-server's ArrayFilters). */
    private static Map<String, Object> filterQueries(List<Document> arrayFilters) {
        Map<String, Object> queries = new java.util.HashMap<>();
        for (Document filter : arrayFilters) {
            String identifier = null;
            Document query = new Document();
            Object whole = null;
            boolean onWholeElement = false;
            for (Map.Entry<String, Object> e : filter.entrySet()) {
                int dot = e.getKey().indexOf('.');
                String top = dot < 0 ? e.getKey() : e.getKey().substring(0, dot);
                if (identifier != null && !identifier.equals(top)) {
                    throw new IllegalArgumentException("Expected a single top-level field name in array filter " + filter);
                }
                identifier = top;
                if (dot < 0) {
                    whole = e.getValue();
                    onWholeElement = true;
                } else {
                    query.put(e.getKey().substring(dot + 1), e.getValue());
                }
            }
            if (identifier == null) {
                throw new IllegalArgumentException("Cannot use an expression without a top-level field name in arrayFilters");
            }
            queries.put(identifier, onWholeElement ? whole : query);
        }
        return queries;
    }
}
