package dev.rewind;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Commands for people to paste into a POSIX shell, as hints and in alerts: every word quoted
 * where the shell would split or expand it, and every connection string redacted.
 */
public final class Shell {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

    private Shell() { }

    /** A word as the shell reads it back: as is when plain, else in single quotes. */
    public static String quote(String s) {
        if (s == null || s.isEmpty()) {
            return "''";
        }
        return PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** {@code rewind WORD...}, each word quoted, any password in a connection string replaced by {@code ***}. */
    public static String rewind(String... words) {
        List<String> out = new ArrayList<>(List.of("rewind"));
        for (String w : words) {
            out.add(quote(Redact.uri(w)));
        }
        return String.join(" ", out);
    }
}
