package dev.rewind;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A namespace pattern such as {@code famigo.*}, {@code *.family} or {@code famigo.family}: {@code *}
 * matches any run of characters and captures it, so that {@code --ns-from 'famigo.*' --ns-to
 * 'famigo_restored.*'} maps {@code famigo.family} to {@code famigo_restored.family}.
 */
public final class NamespacePattern {
    private final String text;
    private final Pattern regex;
    private final int stars;

    private NamespacePattern(String text) {
        this.text = text;
        StringBuilder re = new StringBuilder();
        int n = 0;
        for (String part : text.split("\\*", -1)) {
            if (n++ > 0) {
                re.append("(.*)");
            }
            re.append(Pattern.quote(part));
        }
        this.regex = Pattern.compile(re.toString());
        this.stars = n - 1;
    }

    /** Parses a pattern; it must have a database part and a collection part separated by a dot. */
    public static NamespacePattern parse(String text) {
        if (text == null || text.isBlank() || !text.contains(".") || text.startsWith(".") || text.contains(" ")) {
            throw RewindException.usage("not a namespace pattern: '" + text + "'",
                    "write DB.COLLECTION, where either part may use * (for example 'famigo.*' or 'famigo.family')");
        }
        return new NamespacePattern(text);
    }

    public static List<NamespacePattern> parseAll(List<String> texts) {
        List<NamespacePattern> out = new ArrayList<>();
        for (String t : texts) {
            out.add(parse(t));
        }
        return out;
    }

    public boolean matches(String ns) {
        return regex.matcher(ns).matches();
    }

    public int stars() {
        return stars;
    }

    /** The captures of {@code *} in {@code ns}, or null when it does not match. */
    public List<String> captures(String ns) {
        Matcher m = regex.matcher(ns);
        if (!m.matches()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
            out.add(m.group(i));
        }
        return out;
    }

    /** Fills this pattern's stars with {@code captures}, in order. */
    public String fill(List<String> captures) {
        StringBuilder out = new StringBuilder();
        String[] parts = text.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append(captures.get(i - 1));
            }
            out.append(parts[i]);
        }
        return out.toString();
    }

    public static boolean anyMatches(List<NamespacePattern> patterns, String ns) {
        return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matches(ns));
    }

    @Override
    public String toString() {
        return text;
    }
}
