package dev.rewind;

import java.util.regex.Pattern;

/** Removes passwords from connection strings before they are printed, logged or stored. */
public final class Redact {
    private static final Pattern USERINFO = Pattern.compile("(mongodb(?:\\+srv)?://)([^:@/]+):([^@/]*)@");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)((?:password|pwd)=)[^&]*");

    private Redact() { }

    /** {@code mongodb://ann:secret@host/} becomes {@code mongodb://ann:***@host/}. */
    public static String uri(String text) {
        if (text == null) {
            return null;
        }
        String s = USERINFO.matcher(text).replaceAll("$1$2:***@");
        return PASSWORD_PARAM.matcher(s).replaceAll("$1***");
    }
}
