package dev.rewind.undo;

import dev.rewind.event.ChangeEvent;
import dev.rewind.event.DocumentId;
import dev.rewind.event.Operation;
import dev.rewind.repo.store.ByteStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;

/**
 * Recognises Rewind's own writes among change events: the journal of every undo and revert names
 * each document it wrote and the state it wrote (docs/FORMAT.md, "Journals"), before writing it. An
 * insert or a replace is Rewind's when a journal wrote exactly its {@code fullDocument} to that
 * {@code _id}, a delete when a journal deleted that {@code _id}; and only while the journal ran
 * (from its start to its end, with {@link #SLACK} for clocks that differ). {@link #refresh()} reads
 * the journal files written since the last call (each batch once: they are written once).
 *
 * <p>Memory is 16 bytes per journaled write, whatever the documents' sizes (a capture that runs on
 * after an undo of ten million documents keeps 160 MB, not the documents): a write is kept as a
 * 64-bit hash of its namespace and {@code _id} and the hash of the state written, in sorted arrays
 * per journal. Two documents whose 64-bit hashes collide (about one chance in 10^5 among 10^7
 * writes) could only be mistaken for each other within the same journal's run and state.
 */
public final class OwnWrites {
    /** How far an event's wall time may lie outside a journal's run and still be its write. */
    static final Duration SLACK = Duration.ofMinutes(1);

    private record Run(Instant started, Instant finished) { }

    private final ByteStore store;
    private final Map<String, Writes> byJournal = new java.util.LinkedHashMap<>();
    private final Map<String, Run> runs = new HashMap<>();
    private final Map<String, Journals.Summary> summaries = new HashMap<>();
    private final Set<String> batchesRead = new HashSet<>();
    private final java.util.function.Predicate<DocumentId> keeps;
    private boolean anyWrite;

    public OwnWrites(ByteStore store) {
        this(store, id -> true);
    }

    /** Remembers only the writes to documents {@code keeps} accepts (one pass of a partitioned undo). */
    public OwnWrites(ByteStore store, java.util.function.Predicate<DocumentId> keeps) {
        this.store = store;
        this.keeps = keeps;
    }

    /** Reads what journals wrote since the last call. */
    public synchronized OwnWrites refresh() {
        for (Map.Entry<String, List<String>> files : Journals.files(store).entrySet()) {
            Journals.Summary known = summaries.get(files.getKey());
            if (known != null && known.done() != null && known.batches().size() + 2 == files.getValue().size()) {
                continue;  // finished, and read whole
            }
            Journals.Summary j = Journals.summary(store, files.getKey(), files.getValue());
            if (j == null) {
                continue;
            }
            summaries.put(j.id(), j);
            runs.put(j.id(), new Run(j.started(), j.finished()));
            Writes writes = byJournal.computeIfAbsent(j.id(), k -> new Writes());
            for (String batch : j.batches()) {
                if (batchesRead.add(batch)) {
                    for (Journal.Entry e : Journal.readBatch(store, batch)) {
                        if (keeps.test(DocumentId.of(e.id()))) {
                            writes.add(key(e.ns(), DocumentId.of(e.id())), e.after() == null ? DELETED : stateHash(e.after()));
                        }
                    }
                }
            }
            writes.seal();
            anyWrite |= !writes.isEmpty();
        }
        return this;
    }

    /** Whether no journal wrote anything. */
    public synchronized boolean isEmpty() {
        return !anyWrite;
    }

    /**
     * Whose write of Rewind's this event is, in words: "journal J" (an undo's or a revert's), "a
     * restore's staging" (a restore's collections under their staging names, filled, renamed and its
     * marker dropped); null when it is not Rewind's own.
     */
    public String whose(ChangeEvent e) {
        if (dev.rewind.restore.RestoreStaging.isStaging(e.ns())) {
            return "a restore's staging";
        }
        String journal = journalOf(e);
        return journal == null ? null : "journal " + journal;
    }

    /** The id of the journal that wrote this event, or null when it is not Rewind's own write. */
    public synchronized String journalOf(ChangeEvent e) {
        if (e.ns() == null || e.id() == null || !anyWrite) {
            return null;
        }
        Instant when = e.wallTime() != null ? e.wallTime() : Instant.ofEpochSecond(e.clusterTime().seconds());
        long key = -1;
        BsonDocument post = e.fullDocument();
        boolean writesState = (e.operation() == Operation.INSERT || e.operation() == Operation.REPLACE) && post != null;
        if (e.operation() != Operation.DELETE && !writesState) {
            return null;
        }
        String found = null;
        for (Map.Entry<String, Writes> j : byJournal.entrySet()) {  // oldest first: the newest that matches wins
            if (j.getValue().isEmpty() || !during(j.getKey(), when)) {
                continue;
            }
            if (key == -1) {
                key = key(e.ns().toString(), DocumentId.of(e.id()));
            }
            if (e.operation() == Operation.DELETE ? j.getValue().has(key, DELETED) : j.getValue().has(key, stateHash(post))) {
                found = j.getKey();
            }
        }
        return found;
    }

    /** The journal's header and done summary, as last read. */
    public synchronized Journals.Summary summary(String journal) {
        return summaries.get(journal);
    }

    private boolean during(String journal, Instant when) {
        Run r = runs.get(journal);
        if (r == null || r.started() == null) {
            return false;
        }
        return !when.isBefore(r.started().minus(SLACK)) && (r.finished() == null || !when.isAfter(r.finished().plus(SLACK)));
    }

    /** What a delete is kept as, apart from every state's hash (which {@link #stateHash} keeps in 32 bits). */
    private static final long DELETED = 1L << 32;

    private static long stateHash(BsonDocument state) {
        return state.hashCode() & 0xFFFF_FFFFL;
    }

    /** A 64-bit hash of the namespace and _id (FNV-1a over the characters, then a finalizing mix). */
    static long key(String ns, DocumentId id) {
        String text = ns + "\u0000" + id;
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == -1 ? 0 : h;
    }

    /**
     * One journal's writes: pairs of (document key, state hash or {@link #DELETED}) in chunks sorted by
     * key, a chunk per refresh that found new batches, merged into one when they grow many.
     */
    private static final class Writes {
        private final List<long[][]> chunks = new ArrayList<>();
        private long[] keys = new long[16];
        private long[] states = new long[16];
        private int pending;

        void add(long key, long state) {
            if (pending == keys.length) {
                keys = java.util.Arrays.copyOf(keys, pending * 2);
                states = java.util.Arrays.copyOf(states, pending * 2);
            }
            keys[pending] = key;
            states[pending] = state;
            pending++;
        }

        void seal() {
            if (pending == 0) {
                return;
            }
            chunks.add(sorted(java.util.Arrays.copyOf(keys, pending), java.util.Arrays.copyOf(states, pending)));
            keys = new long[16];
            states = new long[16];
            pending = 0;
            if (chunks.size() > 8) {
                int n = chunks.stream().mapToInt(c -> c[0].length).sum();
                long[] k = new long[n];
                long[] s = new long[n];
                int at = 0;
                for (long[][] c : chunks) {
                    System.arraycopy(c[0], 0, k, at, c[0].length);
                    System.arraycopy(c[1], 0, s, at, c[1].length);
                    at += c[0].length;
                }
                chunks.clear();
                chunks.add(sorted(k, s));
            }
        }

        boolean isEmpty() {
            return chunks.isEmpty();
        }

        boolean has(long key, long state) {
            for (long[][] c : chunks) {
                long[] k = c[0];
                int i = java.util.Arrays.binarySearch(k, key);
                if (i < 0) {
                    continue;
                }
                while (i > 0 && k[i - 1] == key) {
                    i--;
                }
                for (; i < k.length && k[i] == key; i++) {
                    if (c[1][i] == state) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Sorts the pairs by key (an index sort: the arrays are reordered together). */
        private static long[][] sorted(long[] k, long[] s) {
            boolean inOrder = true;
            for (int i = 1; i < k.length && inOrder; i++) {
                inOrder = k[i - 1] <= k[i];
            }
            if (inOrder) {
                return new long[][] {k, s};
            }
            quicksort(k, s, 0, k.length - 1);
            return new long[][] {k, s};
        }

        private static void quicksort(long[] k, long[] s, int lo, int hi) {
            while (lo < hi) {
                long pivot = k[(lo + hi) >>> 1];
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (k[i] < pivot) {
                        i++;
                    }
                    while (k[j] > pivot) {
                        j--;
                    }
                    if (i <= j) {
                        long t = k[i];
                        k[i] = k[j];
                        k[j] = t;
                        t = s[i];
                        s[i] = s[j];
                        s[j] = t;
                        i++;
                        j--;
                    }
                }
                if (j - lo < hi - i) {
                    quicksort(k, s, lo, j);
                    lo = i;
                } else {
                    quicksort(k, s, i, hi);
                    hi = j;
                }
            }
        }
    }
}
