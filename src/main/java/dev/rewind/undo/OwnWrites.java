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
 */
public final class OwnWrites {
    /** How far an event's wall time may lie outside a journal's run and still be its write. */
    static final Duration SLACK = Duration.ofMinutes(1);

    private record Mark(String journal, boolean deletes, int stateHash) { }

    private record Run(Instant started, Instant finished) { }

    private final ByteStore store;
    private final Map<String, List<Mark>> byDocument = new HashMap<>();
    private final Map<String, Run> runs = new HashMap<>();
    private final Map<String, Journals.Summary> summaries = new HashMap<>();
    private final Set<String> batchesRead = new HashSet<>();

    public OwnWrites(ByteStore store) {
        this.store = store;
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
            for (String batch : j.batches()) {
                if (batchesRead.add(batch)) {
                    for (Journal.Entry e : Journal.readBatch(store, batch)) {
                        byDocument.computeIfAbsent(key(e.ns(), DocumentId.of(e.id())), k -> new ArrayList<>(1))
                                .add(new Mark(j.id(), e.after() == null, e.after() == null ? 0 : e.after().hashCode()));
                    }
                }
            }
        }
        return this;
    }

    /** Whether no journal wrote anything. */
    public synchronized boolean isEmpty() {
        return byDocument.isEmpty();
    }

    /** The id of the journal that wrote this event, or null when it is not Rewind's own write. */
    public synchronized String journalOf(ChangeEvent e) {
        if (e.ns() == null || e.id() == null || byDocument.isEmpty()) {
            return null;
        }
        List<Mark> marks = byDocument.get(key(e.ns().toString(), DocumentId.of(e.id())));
        if (marks == null) {
            return null;
        }
        Instant when = e.wallTime() != null ? e.wallTime() : Instant.ofEpochSecond(e.clusterTime().seconds());
        for (int i = marks.size() - 1; i >= 0; i--) {
            Mark m = marks.get(i);
            if (!during(m.journal(), when)) {
                continue;
            }
            if (e.operation() == Operation.DELETE && m.deletes()) {
                return m.journal();
            }
            BsonDocument post = e.fullDocument();
            if ((e.operation() == Operation.INSERT || e.operation() == Operation.REPLACE) && !m.deletes() && post != null
                    && post.hashCode() == m.stateHash()) {
                return m.journal();
            }
        }
        return null;
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

    private static String key(String ns, DocumentId id) {
        return ns + "\u0000" + id;
    }
}
