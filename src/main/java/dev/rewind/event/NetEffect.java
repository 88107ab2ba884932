package dev.rewind.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.BsonDocument;

/**
 * The net effect of a run of events on one collection: for each document the events touched, its
 * latest {@link DocumentState}. Memory grows with the documents touched, not the collection. The
 * restore executor merges it into the snapshot the events follow: a document the net effect does
 * not name is as in the snapshot; one it names is {@link #resolve resolved} against its snapshot
 * version.
 *
 * <p>Documents are keyed by {@link DocumentId}, so {@code _id: 1} and {@code _id: NumberLong(1)} are
 * one document, as in MongoDB. A {@code drop} of the collection, a {@code dropDatabase} of its
 * database, or a {@code rename} from or onto it discards the snapshot's documents ({@link #baseDiscarded()})
 * and forgets the touched ones; a rename onto it also records where the new documents came from
 * ({@link #namespaceChanges()}), which this collection's events alone cannot tell.
 */
public final class NetEffect {
    private final Namespace ns;
    private final Map<DocumentId, DocumentState> documents = new LinkedHashMap<>();
    private final List<NamespaceChange> namespaceChanges = new ArrayList<>();
    private boolean baseDiscarded;
    private ClusterTime last;
    private final List<String> unknownKeys = new ArrayList<>();
    private ClusterTime scanEnd;

    public NetEffect(Namespace ns) {
        this.ns = Objects.requireNonNull(ns, "ns");
        if (ns.isDatabase()) {
            throw new IllegalArgumentException("a net effect is per collection, not database " + ns);
        }
    }

    public Namespace ns() {
        return ns;
    }

    /**
     * Takes the next event. Document events of other collections, DDL and stream events are
     * ignored; namespace events apply when they affect this collection.
     */
    public void accept(ChangeEvent event) {
        last = event.clusterTime();
        if (event.operation().isDocumentLevel()) {
            if (!ns.equals(event.ns())) {
                return;
            }
            record(event);
            return;
        }
        NamespaceChange.of(event).ifPresent(change -> {
            if (change.wipes(ns)) {
                documents.clear();
                baseDiscarded = true;
                namespaceChanges.add(change);
            }
        });
    }

    /**
     * Takes a document event of this collection whatever namespace it names: for a caller that
     * follows the collection by its UUID across renames (the event may come from before a rename
     * the snapshot already shows).
     */
    public void record(ChangeEvent event) {
        last = event.clusterTime();
        if (!event.operation().isDocumentLevel()) {
            throw new IllegalArgumentException("not a document event: " + event);
        }
        if (event.id() == null) {
            unknownKeys.add(event.operationType() + " at " + event.clusterTime() + " names no _id");
            return;
        }
        documents.merge(DocumentId.of(event.id()), DocumentState.untouched().after(event),
                (before, ignored) -> before.after(event));
    }

    /**
     * Forgets the touched documents and the snapshot's: the collection was created (again) in the
     * log, so the log holds every document it has since.
     */
    public void discardBase() {
        documents.clear();
        baseDiscarded = true;
    }

    public void acceptAll(Iterable<ChangeEvent> events) {
        events.forEach(this::accept);
    }

    /** The touched documents and their states, in the order first touched. */
    public Map<DocumentId, DocumentState> documents() {
        return Collections.unmodifiableMap(documents);
    }

    public DocumentState state(DocumentId id) {
        return documents.getOrDefault(id, DocumentState.untouched());
    }

    /**
     * The base is a snapshot whose scan ended at {@code endAt} while this log runs from the scan's
     * start: updates up to {@code endAt} are replayed over the base as read at some moment of the
     * scan (see {@link DocumentState#resolve(BsonDocument, ClusterTime)}).
     */
    public NetEffect scannedUntil(ClusterTime endAt) {
        this.scanEnd = endAt;
        return this;
    }

    /**
     * A document's state given its snapshot version ({@code null} when absent from the snapshot);
     * the snapshot version is ignored once the base was discarded.
     */
    public ApplyResult resolve(DocumentId id, BsonDocument snapshotVersion) {
        return state(id).resolve(baseDiscarded ? null : snapshotVersion, scanEnd);
    }

    /** Whether a drop, dropDatabase or rename made the snapshot's documents irrelevant. */
    public boolean baseDiscarded() {
        return baseDiscarded;
    }

    /** The namespace changes that discarded the base, oldest first. */
    public List<NamespaceChange> namespaceChanges() {
        return List.copyOf(namespaceChanges);
    }

    /** Document events that could not be attributed to a document (no {@code _id}), as descriptions. */
    public List<String> unattributed() {
        return List.copyOf(unknownKeys);
    }

    /** The cluster time of the last event taken, or null before the first. */
    public ClusterTime last() {
        return last;
    }

    public int size() {
        return documents.size();
    }
}
