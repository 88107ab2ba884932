package dev.rewind.repo.store;

import java.util.regex.Pattern;

/** The names every {@link ByteStore} accepts (docs/FORMAT.md, "Layout"), checked in one place. */
final class BlobNames {
    /** '/'-separated segments of [A-Za-z0-9._-], none of them "." or "..". */
    private static final Pattern NAME =
            Pattern.compile("(?!\\.\\.?(/|$))[A-Za-z0-9._-]+(/(?!\\.\\.?(/|$))[A-Za-z0-9._-]+)*");

    private BlobNames() { }

    /** Returns the name, or throws IllegalArgumentException if a store must refuse it. */
    static String check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad blob name: " + name);
        }
        return name;
    }

    /** A listing prefix: empty, or a name followed by '/'. */
    static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }
}
