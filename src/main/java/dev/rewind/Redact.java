package dev.rewind;

import com.mongodb.ConnectionString;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Removes secrets from connection strings before they are printed, logged or stored. A connection
 * string is split as the driver splits it ({@code com.mongodb.ConnectionString}: the scheme, then
 * user and hosts up to the first {@code /}, the user information up to the last {@code @} of that,
 * then options after {@code ?}, separated by {@code &} or {@code ;}), and its user name is the one
 * the driver decodes. The password becomes {@code ***}, and so does the value of every option that
 * can hold a secret ({@code authMechanismProperties} may carry an AWS session token). A string the
 * driver refuses is redacted more widely: everything before its last {@code @} goes, since its
 * secret may hold any character.
 */
public final class Redact {
    private static final String[] SCHEMES = {"mongodb://", "mongodb+srv://"};
    /** Options whose value is a secret, in lower case (the driver compares option names so). */
    private static final Set<String> SECRET_OPTIONS = Set.of("password", "pwd", "authmechanismproperties",
            "tlscertificatekeyfilepassword", "sslclientcertificatekeypassword", "sslpemkeypassword");
    static final String HIDDEN = "***";

    private Redact() { }

    /**
     * Every connection string in {@code text} with its secrets replaced: {@code mongodb://ann:secret@host/}
     * becomes {@code mongodb://ann:***@host/}. Other text is left as it is; null stays null.
     */
    public static String uri(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (true) {
            int start = nextScheme(text, pos);
            if (start < 0) {
                return out.append(text, pos, text.length()).toString();
            }
            int end = start;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            out.append(text, pos, start).append(one(text.substring(start, end)));
            pos = end;
        }
    }

    private static int nextScheme(String text, int from) {
        String lower = text.toLowerCase(Locale.ROOT);
        int best = -1;
        for (String s : SCHEMES) {
            int i = lower.indexOf(s, from);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** One connection string, redacted. */
    static String one(String token) {
        String scheme = token.toLowerCase(Locale.ROOT).startsWith(SCHEMES[1]) ? token.substring(0, SCHEMES[1].length())
                : token.substring(0, SCHEMES[0].length());
        String rest = token.substring(scheme.length());
        ConnectionString parsed;
        try {
            parsed = new ConnectionString(token);
        } catch (RuntimeException refused) {
            return refusedByTheDriver(scheme, rest);
        }
        int slash = rest.indexOf('/');
        String userAndHosts = slash < 0 ? rest : rest.substring(0, slash);
        String afterHosts = slash < 0 ? "" : rest.substring(slash);
        int at = userAndHosts.lastIndexOf('@');
        String hosts = at < 0 ? userAndHosts : userAndHosts.substring(at + 1);
        StringBuilder out = new StringBuilder(scheme);
        if (at >= 0) {
            String user = parsed.getUsername();
            out.append(user == null || user.isEmpty() ? HIDDEN : URLEncoder.encode(user, StandardCharsets.UTF_8));
            if (parsed.getPassword() != null) {
                out.append(':').append(HIDDEN);
            }
            out.append('@');
        }
        return out.append(hosts).append(options(afterHosts)).toString();
    }

    /** A string the driver refuses: its secret may hold any character, so everything before the last '@' goes. */
    private static String refusedByTheDriver(String scheme, String rest) {
        int at = rest.lastIndexOf('@');
        String after = at < 0 ? rest : rest.substring(at + 1);
        return scheme + (at < 0 ? "" : HIDDEN + "@") + options(after);
    }

    /** {@code /db?a=b&c=d}: the path kept, each secret option's value hidden. */
    private static String options(String text) {
        int q = text.indexOf('?');
        if (q < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.substring(0, q + 1));
        int pos = q + 1;
        while (pos <= text.length()) {
            int end = pos;
            while (end < text.length() && text.charAt(end) != '&' && text.charAt(end) != ';') {
                end++;
            }
            String option = text.substring(pos, end);
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            String lower = key.toLowerCase(Locale.ROOT);
            boolean secret = SECRET_OPTIONS.contains(lower) || lower.contains("password") || lower.contains("secret")
                    || lower.contains("token");
            out.append(secret && eq >= 0 ? key + "=" + HIDDEN : option);
            if (end < text.length()) {
                out.append(text.charAt(end));
            }
            pos = end + 1;
        }
        return out.toString();
    }
}
