package dev.rewind.restore;

import dev.rewind.repo.NamespaceSnapshot;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The change log a restore merges, read in as many passes as memory allows: each pass holds the
 * net effect of the documents whose {@code _id} hash falls in its partition, so memory is bounded
 * by {@code maxDocuments} touched documents whatever the window; the snapshot is streamed once per
 * pass. A window that fits is read once. {@code catalog} is what exists at the target, with its
 * options, indexes and the snapshot namespace its documents start from.
 */
public record LogPasses(int partitions, CatalogAt catalog, long events, IntFunction<StateAt> read, PassSpill spill)
        implements AutoCloseable {

    /** Plans the passes for the events of {@code (snapshot.startAt, to]}, touching at most {@code maxDocuments} documents per pass. */
    public static LogPasses plan(Repository repo, List<SegmentName> segments, dev.rewind.repo.SnapshotManifest snapshot,
                                 dev.rewind.event.ClusterTime to, long maxDocuments) {
        StateAt.Survey survey = surveyIfLarge(repo, segments, snapshot.startAt(), to, snapshot.namespaces(), maxDocuments);
        int partitions = partitions(survey, maxDocuments);
        if (partitions == 1) {
            StateAt all = StateAt.overSnapshot(repo, segments, snapshot, to, List.of(), 0, 1);
            return new LogPasses(1, all.catalog(), all.events(), p -> all, null);
        }
        // every collection goes through every pass: the log and the objects are read once, then by share
        PassSpill spill = PassSpill.create(repo, partitions);
        return new LogPasses(partitions, survey.catalog(), survey.events(),
                p -> StateAt.overSnapshot(repo, spill, segments, snapshot, to, List.of(), p, partitions), spill);
    }

    /** The documents of snapshot object {@code ref} that pass {@code pass} reads: its share, or the whole object in one pass. */
    public byte[] documents(Repository repo, dev.rewind.repo.ObjectRef ref, int pass) {
        return spill == null ? repo.getObject(ref.hash()) : spill.documents(ref, pass);
    }

    /** Deletes the temporary files of the passes. */
    @Override
    public void close() {
        if (spill != null) {
            spill.close();
        }
    }

    /**
     * A survey of the document events of {@code (from, to]} in {@code segments}, or null when the log
     * cannot touch more than {@code maxDocuments} documents, so that a small log is not read twice:
     * when it is smaller in bytes (a stored event takes at least a byte: compressed together, a run
     * of deletes of similar documents takes a few bytes each), or when its segments' headers count
     * no more events (read without decoding them).
     */
    public static StateAt.Survey surveyIfLarge(Repository repo, List<SegmentName> segments, dev.rewind.event.ClusterTime from,
                                               dev.rewind.event.ClusterTime to, List<NamespaceSnapshot> known, long maxDocuments) {
        long stored = 0;
        try {
            for (SegmentName s : segments) {
                stored += Math.max(0, repo.store().size(s.name()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (stored <= maxDocuments) {
            return null;
        }
        long events = 0;
        for (SegmentName s : segments) {
            events += repo.segmentEventCount(s);
        }
        return events <= maxDocuments ? null : StateAt.survey(repo, segments, from, to, known);
    }

    /** The segments of {@code a} then those of {@code b} not in {@code a}: the log two plans read together, each segment once. */
    public static List<SegmentName> union(List<SegmentName> a, List<SegmentName> b) {
        java.util.LinkedHashSet<SegmentName> out = new java.util.LinkedHashSet<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    /** How many passes keep at most {@code maxDocuments} touched documents in memory at once (1 without a survey). */
    public static int partitions(StateAt.Survey survey, long maxDocuments) {
        if (survey == null) {
            return 1;
        }
        return (int) Math.max(1, Math.min(4096, (survey.documentEvents() + maxDocuments - 1) / maxDocuments));
    }

    /** The namespaces that exist at the target, each as a snapshot taken then would list it (documents from its base). */
    public List<NamespaceSnapshot> namespacesAtTarget() {
        return catalog.live().stream().map(CollectionAt::asSnapshot).toList();
    }
}
