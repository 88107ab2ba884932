package dev.rewind.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Random documents and random updates (set nested, set past the end of arrays, unset,
 * truncate, truncate then set), each expressed as the updateDescription a server would send,
 * applied by {@link UpdateApplier}, against a plain reference model that walks exact paths.
 */
class UpdateApplierPropertyTest {
    static final List<String> NAMES = List.of("a", "b", "c", "0", "1", "12", "x.y", "p.q.r");
    static final List<String> UNDOTTED = NAMES.stream().filter(n -> !n.contains(".")).toList();

    /** One update: the path of what it changes, as field names (String) and indexes (Integer). */
    sealed interface Op permits Set, Unset, Truncate {}

    record Set(List<Object> path, Object value) implements Op {}

    record Unset(List<Object> path) implements Op {}

    record Truncate(List<Object> path, int newSize, Set then) implements Op {}

    record Scenario(Map<String, Object> doc, List<Op> ops) {}

    @Provide
    Arbitrary<Scenario> withAllNames() {
        return Arbitraries.randomValue(random -> scenario(random, NAMES));
    }

    @Provide
    Arbitrary<Scenario> withoutDottedNames() {
        return Arbitraries.randomValue(random -> scenario(random, UNDOTTED));
    }

    @Property(tries = 500)
    void appliesUpdatesAsTheReferenceModelDoesGivenDisambiguatedPaths(@ForAll("withAllNames") Scenario scenario) {
        checkAgainstReference(scenario, true);
    }

    @Property(tries = 500)
    void resolvesNumericStepsByTheParentTypeWithoutDisambiguatedPaths(@ForAll("withoutDottedNames") Scenario scenario) {
        checkAgainstReference(scenario, false);
    }

    private static void checkAgainstReference(Scenario scenario, boolean disambiguate) {
        Map<String, Object> expected = deepCopy(scenario.doc());
        BsonDocument actual = toBson(scenario.doc()).asDocument();
        for (Op op : scenario.ops()) {
            apply(expected, op);
            actual = UpdateApplier.apply(actual, describe(op, disambiguate));
            assertThat(actual).as("after %s", op).isEqualTo(toBson(expected));
        }
    }

    // ---- the reference model: plain maps and lists, exact paths -------------------------------

    @SuppressWarnings("unchecked")
    private static Object container(Map<String, Object> root, List<Object> path) {
        Object node = root;
        for (Object step : path) {
            node = step instanceof Integer index ? ((List<Object>) node).get(index) : ((Map<String, Object>) node).get(step);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> root, Op op) {
        if (op instanceof Set set) {
            Object parent = container(root, set.path().subList(0, set.path().size() - 1));
            Object last = set.path().get(set.path().size() - 1);
            if (last instanceof Integer index) {
                List<Object> list = (List<Object>) parent;
                while (list.size() <= index) {
                    list.add(null);
                }
                list.set(index, deepCopyValue(set.value()));
            } else {
                ((Map<String, Object>) parent).put((String) last, deepCopyValue(set.value()));
            }
        } else if (op instanceof Unset unset) {
            Object parent = container(root, unset.path().subList(0, unset.path().size() - 1));
            ((Map<String, Object>) parent).remove((String) unset.path().get(unset.path().size() - 1));
        } else {
            Truncate truncate = (Truncate) op;
            List<Object> list = (List<Object>) container(root, truncate.path());
            list.subList(truncate.newSize(), list.size()).clear();
            if (truncate.then() != null) {
                apply(root, truncate.then());
            }
        }
    }

    // ---- how a server describes the op ---------------------------------------------------------

    private static UpdateDescription describe(Op op, boolean disambiguate) {
        BsonDocument updated = new BsonDocument();
        List<String> removed = new ArrayList<>();
        List<TruncatedArray> truncated = new ArrayList<>();
        BsonDocument paths = new BsonDocument();
        List<List<Object>> touched = new ArrayList<>();
        if (op instanceof Set set) {
            updated.put(dotted(set.path()), toBson(set.value()));
            touched.add(set.path());
        } else if (op instanceof Unset unset) {
            removed.add(dotted(unset.path()));
            touched.add(unset.path());
        } else {
            Truncate truncate = (Truncate) op;
            truncated.add(new TruncatedArray(dotted(truncate.path()), truncate.newSize()));
            touched.add(truncate.path());
            if (truncate.then() != null) {
                updated.put(dotted(truncate.then().path()), toBson(truncate.then().value()));
                touched.add(truncate.then().path());
            }
        }
        for (List<Object> path : touched) {
            if (disambiguate && ambiguous(path)) {
                BsonArray components = new BsonArray();
                path.forEach(step -> components.add(step instanceof Integer i ? new BsonInt32(i) : new BsonString((String) step)));
                paths.put(dotted(path), components);
            }
        }
        return new UpdateDescription(updated, removed, truncated, paths.isEmpty() ? null : paths);
    }

    /** The server's rule: a dotted name anywhere, or a numeric field name below the top, is ambiguous. */
    private static boolean ambiguous(List<Object> path) {
        for (int i = 0; i < path.size(); i++) {
            if (path.get(i) instanceof String name && (name.contains(".") || (i > 0 && Path.isArrayIndex(name)))) {
                return true;
            }
        }
        return false;
    }

    private static String dotted(List<Object> path) {
        return path.stream().map(String::valueOf).collect(Collectors.joining("."));
    }

    // ---- generation -----------------------------------------------------------------------------

    private static Scenario scenario(Random random, List<String> names) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_id", random.nextInt(1000));
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            doc.put(pick(random, names), value(random, names, 3));
        }
        Map<String, Object> current = deepCopy(doc);
        List<Op> ops = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            Op op = op(random, names, current);
            ops.add(op);
            apply(current, op);
        }
        return new Scenario(doc, ops);
    }

    private static Object value(Random random, List<String> names, int depth) {
        int kind = random.nextInt(depth <= 0 ? 2 : 4);
        switch (kind) {
            case 0:
                return random.nextInt(100);
            case 1:
                return "s" + random.nextInt(10);
            case 2: {
                Map<String, Object> doc = new LinkedHashMap<>();
                int fields = random.nextInt(4);
                for (int i = 0; i < fields; i++) {
                    doc.put(pick(random, names), value(random, names, depth - 1));
                }
                return doc;
            }
            default: {
                List<Object> list = new ArrayList<>();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    list.add(value(random, names, depth - 1));
                }
                return list;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Op op(Random random, List<String> names, Map<String, Object> doc) {
        List<List<Object>> containers = new ArrayList<>();
        collectContainers(doc, new ArrayList<>(), containers);
        while (true) {
            List<Object> at = containers.get(random.nextInt(containers.size()));
            Object node = container(doc, at);
            if (node instanceof Map<?, ?> map) {
                List<String> keys = map.keySet().stream().map(String.class::cast)
                        .filter(k -> !(at.isEmpty() && k.equals("_id"))).toList();
                if (!keys.isEmpty() && random.nextInt(3) == 0) {
                    return new Unset(append(at, pick(random, keys)));
                }
                String name = !keys.isEmpty() && random.nextBoolean() ? pick(random, keys) : pick(random, names);
                return new Set(append(at, name), value(random, names, 2));
            }
            List<Object> list = (List<Object>) node;
            if (!list.isEmpty() && random.nextInt(3) == 0) {
                int newSize = random.nextInt(list.size());
                Set then = random.nextBoolean()
                        ? new Set(append(at, random.nextInt(newSize + 3)), value(random, names, 1)) : null;
                return new Truncate(at, newSize, then);
            }
            if (at.isEmpty()) {
                continue;
            }
            return new Set(append(at, random.nextInt(list.size() + 4)), value(random, names, 2));
        }
    }

    @SuppressWarnings("unchecked")
    private static void collectContainers(Object node, List<Object> path, List<List<Object>> out) {
        if (node instanceof Map<?, ?> map) {
            out.add(path);
            map.forEach((k, v) -> collectContainers(v, append(path, k), out));
        } else if (node instanceof List<?> list) {
            out.add(path);
            for (int i = 0; i < list.size(); i++) {
                collectContainers(list.get(i), append(path, i), out);
            }
        }
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(step);
        return List.copyOf(longer);
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    // ---- conversions ------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> doc) {
        return (Map<String, Object>) deepCopyValue(doc);
    }

    private static Object deepCopyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopyValue(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopyValue(v)));
            return copy;
        }
        return value;
    }

    private static BsonValue toBson(Object value) {
        if (value == null) {
            return BsonNull.VALUE;
        }
        if (value instanceof Integer i) {
            return new BsonInt32(i);
        }
        if (value instanceof String s) {
            return new BsonString(s);
        }
        if (value instanceof Map<?, ?> map) {
            BsonDocument doc = new BsonDocument();
            map.forEach((k, v) -> doc.put((String) k, toBson(v)));
            return doc;
        }
        BsonArray array = new BsonArray();
        ((List<?>) value).forEach(v -> array.add(toBson(v)));
        return array;
    }
}
