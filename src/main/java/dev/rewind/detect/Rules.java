package dev.rewind.detect;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.event.Operation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.json.JsonParseException;

/**
 * The rules the detector applies and how long a burst must be quiet before its incident closes
 * (docs/detect.md, "Rules file"). {@link #defaults()} catch the seed accident and stay quiet under
 * normal churn; {@link #parse} reads a {@code --rules} file, where a missing {@code rules} list
 * keeps the default rules.
 */
public record Rules(List<Rule> rules, int quietSeconds) {
    public static final int DEFAULT_QUIET = 60;
    private static final Set<String> TOP_KEYS = Set.of("quietSeconds", "rules");
    private static final Set<String> RULE_KEYS = Set.of("name", "ops", "ns", "minCount", "minFraction", "windowSeconds",
            "severity");
    private static final Set<String> OPS = Set.of("insert", "update", "delete", "drop", "dropDatabase", "rename");

    public Rules {
        rules = List.copyOf(rules);
    }

    public static List<Rule> defaultRules() {
        return List.of(
                new Rule("mass-delete", EnumSet.of(Operation.DELETE), List.of(), 500, 0.10, 60, Rule.CRITICAL),
                new Rule("drop", EnumSet.of(Operation.DROP, Operation.DROP_DATABASE), List.of(), 1, 0, 60, Rule.CRITICAL),
                new Rule("mass-update", EnumSet.of(Operation.UPDATE), List.of(), 500, 0.30, 60, Rule.WARNING));
    }

    public static Rules defaults() {
        return new Rules(defaultRules(), DEFAULT_QUIET);
    }

    public Rule rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /** Parses a rules file's JSON; anything unknown or out of range is a usage error (exit 2) with a hint. */
    public static Rules parse(String json, String source) {
        Document d;
        try {
            d = Document.parse(json);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw bad(source, "is not JSON: " + e.getMessage());
        }
        unknownKeys(d, TOP_KEYS, source, "");
        int quiet = intValue(d, "quietSeconds", DEFAULT_QUIET, 1, 86_400, source, "");
        if (!d.containsKey("rules")) {
            return new Rules(defaultRules(), quiet);
        }
        if (!(d.get("rules") instanceof List<?> list)) {
            throw bad(source, "'rules' must be a list of rules");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof Document r)) {
                throw bad(source, "each rule must be an object");
            }
            Rule rule = rule(r, source, rules.size());
            if (!names.add(rule.name())) {
                throw bad(source, "two rules are named '" + rule.name() + "'");
            }
            rules.add(rule);
        }
        return new Rules(rules, quiet);
    }

    private static Rule rule(Document r, String source, int index) {
        String where = "rule " + (index + 1) + ": ";
        unknownKeys(r, RULE_KEYS, source, where);
        String name = r.get("name") instanceof String s && !s.isBlank() ? s : null;
        if (name == null) {
            throw bad(source, where + "needs a 'name'");
        }
        where = "rule '" + name + "': ";
        if (!(r.get("ops") instanceof List<?> opList) || opList.isEmpty()) {
            throw bad(source, where + "needs 'ops', a list such as [\"delete\"]");
        }
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        for (Object op : opList) {
            if (!(op instanceof String s) || !OPS.contains(s)) {
                throw bad(source, where + "unknown op " + op + "; ops are " + String.join(", ", new java.util.TreeSet<>(OPS)));
            }
            ops.add(Operation.fromTypeName(s));
        }
        List<NamespacePattern> patterns = new ArrayList<>();
        Object ns = r.get("ns");
        if (ns instanceof String s) {
            patterns.add(NamespacePattern.parse(s));
        } else if (ns instanceof List<?> l) {
            for (Object p : l) {
                patterns.add(NamespacePattern.parse(String.valueOf(p)));
            }
        } else if (ns != null) {
            throw bad(source, where + "'ns' must be a pattern or a list of patterns");
        }
        long minCount = intValue(r, "minCount", 1, 1, Integer.MAX_VALUE, source, where);
        double fraction = r.get("minFraction") == null ? 0 : number(r, "minFraction", source, where);
        if (fraction < 0 || fraction > 1) {
            throw bad(source, where + "'minFraction' must be between 0 and 1 (0.1 is 10%)");
        }
        int window = intValue(r, "windowSeconds", 60, 1, 86_400, source, where);
        String severity = r.get("severity") == null ? Rule.CRITICAL : String.valueOf(r.get("severity"));
        if (!severity.equals(Rule.CRITICAL) && !severity.equals(Rule.WARNING)) {
            throw bad(source, where + "'severity' is critical or warning");
        }
        return new Rule(name, ops, patterns, minCount, fraction, window, severity);
    }

    private static void unknownKeys(Document d, Set<String> known, String source, String where) {
        for (String k : d.keySet()) {
            if (!known.contains(k)) {
                throw bad(source, where + "unknown key '" + k + "'; the keys are " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private static int intValue(Document d, String key, int dflt, int min, int max, String source, String where) {
        if (d.get(key) == null) {
            return dflt;
        }
        double v = number(d, key, source, where);
        if (v != Math.rint(v) || v < min || v > max) {
            throw bad(source, where + "'" + key + "' must be a whole number from " + min + " to " + max);
        }
        return (int) v;
    }

    private static double number(Document d, String key, String source, String where) {
        if (!(d.get(key) instanceof Number n)) {
            throw bad(source, where + "'" + key + "' must be a number");
        }
        return n.doubleValue();
    }

    private static RewindException bad(String source, String why) {
        return RewindException.usage("rules file " + source + ": " + why,
                "see docs/detect.md, \"Rules file\": {\"quietSeconds\": 60, \"rules\": [{\"name\": \"mass-delete\", "
                        + "\"ops\": [\"delete\"], \"minCount\": 500, \"minFraction\": 0.1, \"windowSeconds\": 60}]}");
    }
}
