package dev.rewind.timeline;

import dev.rewind.event.ChangeEvent;

/** What happened to one namespace in one bucket. Mutable: the aggregator adds to it. */
public final class Counts {
    private long inserts;
    private long updates;
    private long deletes;
    private long drops;
    private long rewind;

    /** Counts one of Rewind's own writes (an undo's or a revert's): apart from the others, so it makes no burst. */
    void addRewinds() {
        rewind++;
    }

    /** Counts an event: insert, update or replace (as an update), delete, drop or dropDatabase (as a drop). */
    void add(ChangeEvent e) {
        switch (e.operation()) {
            case INSERT -> inserts++;
            case UPDATE, REPLACE -> updates++;
            case DELETE -> deletes++;
            case DROP, DROP_DATABASE -> drops++;
            default -> { }
        }
    }

    void add(Counts other) {
        inserts += other.inserts;
        updates += other.updates;
        deletes += other.deletes;
        drops += other.drops;
        rewind += other.rewind;
    }

    /** Whether this kind of event is one a timeline counts. */
    static boolean counts(ChangeEvent e) {
        return switch (e.operation()) {
            case INSERT, UPDATE, REPLACE, DELETE, DROP, DROP_DATABASE -> true;
            default -> false;
        };
    }

    public long inserts() { return inserts; }

    /** Updates and replaces. */
    public long updates() { return updates; }

    public long deletes() { return deletes; }

    public long drops() { return drops; }

    /** Rewind's own writes (journaled by undo and revert), counted in none of the kinds above. */
    public long rewind() { return rewind; }

    /** Every change but Rewind's own. */
    public long total() {
        return inserts + updates + deletes + drops;
    }

    /** Whether nothing at all happened. */
    public boolean isEmpty() {
        return total() == 0 && rewind == 0;
    }
}
