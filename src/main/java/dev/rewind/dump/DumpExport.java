package dev.rewind.dump;

import dev.rewind.NamespacePattern;
import dev.rewind.RewindException;
import dev.rewind.repo.NamespaceSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the state of a snapshot, or at a time T, as mongodump would have written it then: a
 * directory or an archive, gzipped or not, readable by a stock mongorestore. Documents are written
 * byte for byte as the repository holds them. Time-series collections are left out (mongorestore
 * expects their buckets, which Rewind does not keep).
 */
public final class DumpExport {
    /** What an export wrote: documents per namespace, and the time-series collections left out. */
    public record Result(Map<String, Long> documents, List<String> timeSeriesSkipped) { }

    private DumpExport() { }

    public static Result write(StateDocuments state, List<NamespacePattern> patterns, Path destination, boolean archive,
                               boolean gzip) throws IOException {
        List<NamespaceSnapshot> chosen = state.namespaces().stream()
                .filter(n -> NamespacePattern.anyMatches(patterns, n.ns())).toList();
        if (chosen.isEmpty()) {
            List<String> all = state.namespaces().stream().map(NamespaceSnapshot::ns).toList();
            throw RewindException.notFound("nothing matches " + patterns + " in snapshot " + state.snapshot().id()
                    + (state.at() == null ? "" : " at that time"), "there are: " + String.join(", ",
                    all.subList(0, Math.min(20, all.size()))) + (all.size() > 20 ? ", ..." : ""));
        }
        List<String> skipped = new ArrayList<>();
        List<NamespaceSnapshot> written = new ArrayList<>();
        List<CollectionMetadata> metadata = new ArrayList<>();
        for (NamespaceSnapshot n : chosen) {
            if ("timeseries".equals(n.type())) {
                skipped.add(n.ns());
                continue;
            }
            written.add(n);
            String type = n.type() == null ? "collection" : n.type();
            metadata.add(new CollectionMetadata(n.db(), n.collection(), type, n.options(), n.indexes(), n.uuid()));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try (DumpWriter out = archive ? new ArchiveWriter(destination, gzip) : new DirectoryWriter(destination, gzip)) {
            out.begin(metadata, state.snapshot().serverVersion());
            for (int i = 0; i < written.size(); i++) {
                NamespaceSnapshot n = written.get(i);
                long[] count = {0};
                out.collection(metadata.get(i), sink -> count[0] = state.documents(n, sink));
                counts.put(n.ns(), count[0]);
            }
            out.commit();
        }
        return new Result(counts, skipped);
    }
}
