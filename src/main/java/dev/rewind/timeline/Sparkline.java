package dev.rewind.timeline;

/** A row of block characters, one per value, scaled to the largest: {@code ▁} for 0, up to {@code █}. */
public final class Sparkline {
    static final String BLOCKS = "▁▂▃▄▅▆▇█";

    private Sparkline() { }

    public static String of(long[] values) {
        long max = 0;
        for (long v : values) {
            max = Math.max(max, v);
        }
        StringBuilder out = new StringBuilder(values.length);
        for (long v : values) {
            int level = v <= 0 ? 0 : 1 + (int) Math.floor(6.0 * v / max);
            out.append(BLOCKS.charAt(level));
        }
        return out.toString();
    }
}
