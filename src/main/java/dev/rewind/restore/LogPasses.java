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
public record LogPasses(int partitions, CatalogAt catalog, long events, IntFunction<StateAt> read) {

    /** Plans the passes for the events of {@code (snapshot.startAt, to]}, touching at most {@code maxDocuments} documents per pass. */
    public static LogPasses plan(Repository repo, List<SegmentName> segments, dev.rewind.repo.SnapshotManifest snapshot,
                                 dev.rewind.event.ClusterTime to, long maxDocuments) {
        dev.rewind.event.ClusterTime from = snapshot.startAt();
        List<NamespaceSnapshot> known = snapshot.namespaces();
        long stored = 0;
        try {
            for (SegmentName s : segments) {
                stored += Math.max(0, repo.store().size(s.name()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a stored event takes well over 20 bytes: a log this small cannot touch more documents than allowed
        if (stored / 20 <= maxDocuments) {
            StateAt all = StateAt.overSnapshot(repo, segments, snapshot, to, List.of(), 0, 1);
            return new LogPasses(1, all.catalog(), all.events(), p -> all);
        }
        StateAt.Survey survey = StateAt.survey(repo, segments, from, to, known);
        int partitions = (int) Math.max(1, Math.min(4096, (survey.documentEvents() + maxDocuments - 1) / maxDocuments));
        if (partitions == 1) {
            StateAt all = StateAt.overSnapshot(repo, segments, snapshot, to, List.of(), 0, 1);
            return new LogPasses(1, all.catalog(), all.events(), p -> all);
        }
        return new LogPasses(partitions, survey.catalog(), survey.events(),
                p -> StateAt.overSnapshot(repo, segments, snapshot, to, List.of(), p, partitions));
    }

    /** The namespaces that exist at the target, each as a snapshot taken then would list it (documents from its base). */
    public List<NamespaceSnapshot> namespacesAtTarget() {
        return catalog.live().stream().map(CollectionAt::asSnapshot).toList();
    }
}
