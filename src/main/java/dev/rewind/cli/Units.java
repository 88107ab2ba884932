package dev.rewind.cli;

import java.time.Duration;
import java.util.Locale;

/** Human-readable numbers for command output. */
final class Units {
    private Units() { }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /** {@code 1 update}, {@code 6,000 updates}: the count in the one number format, and the noun agreeing. */
    static String plural(long n, String noun) {
        return count(n) + " " + (n == 1 ? noun : noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies"
                : noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("ch") ? noun + "es" : noun + "s");
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 300 ms}, {@code 2.5 s}, {@code 30 s}, {@code 4m05s}, {@code 2h05m}. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 10_000) {
            String s = String.format(Locale.ROOT, "%.1f", ms / 1000.0);
            return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " s";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        return s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
