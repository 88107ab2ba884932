package dev.rewind.restore;

import dev.rewind.event.ApplyResult;
import dev.rewind.event.DocumentId;
import dev.rewind.event.NetEffect;
import dev.rewind.repo.Documents;
import dev.rewind.repo.ObjectRef;
import dev.rewind.repo.Repository;
import java.util.HashSet;
import java.util.Set;
import org.bson.RawBsonDocument;

/**
 * How many documents a point-in-time restore of one collection will write, for {@code restore --at
 * --dry-run}: the snapshot's documents with the log's net effect merged in, exactly as
 * {@link RestoreExecutor} merges them, writing nothing. The snapshot is read only when the log
 * touched documents the snapshot may hold; then its objects are streamed once per pass.
 */
public final class RestoreCount {
    private RestoreCount() { }

    /** Documents written, and of them rebuilt from a later lookup ({@code inexact}); {@code unknown} are left out. */
    public record Count(long documents, long inexact, long unknown) { }

    public static Count of(Repository repo, RestorePlan.Item item, LogPasses log) {
        if ("view".equals(item.source().type())) {
            return new Count(0, 0, 0);
        }
        long documents = 0;
        long inexact = 0;
        long unknown = 0;
        for (int pass = 0; pass < log.partitions(); pass++) {
            StateAt state = log.read().apply(pass);
            NetEffect effect = state.effect(item.source().db(), item.source().collection());
            boolean partitioned = log.partitions() > 1;
            Set<DocumentId> seen = new HashSet<>();
            if (!effect.baseDiscarded()) {
                if (effect.size() == 0 && !partitioned) {
                    documents += item.source().documents();
                } else {
                    for (ObjectRef ref : item.source().objects()) {
                        for (RawBsonDocument doc : Documents.in(repo, ref.hash(), repo.getObject(ref.hash()))) {
                            DocumentId id = DocumentId.of(doc.get("_id"));
                            if (partitioned && !state.holds(id)) {
                                continue;
                            }
                            if (!effect.documents().containsKey(id)) {
                                documents++;
                                continue;
                            }
                            seen.add(id);
                            ApplyResult r = effect.resolve(id, doc);
                            documents += r.isUnknown() || r.isAbsent() ? 0 : 1;
                            inexact += r.status() == ApplyResult.Status.INEXACT ? 1 : 0;
                            unknown += r.isUnknown() ? 1 : 0;
                        }
                    }
                }
            }
            for (DocumentId id : effect.documents().keySet()) {
                if (!seen.contains(id)) {
                    ApplyResult r = effect.resolve(id, null);
                    documents += r.isUnknown() || r.isAbsent() ? 0 : 1;
                    inexact += !r.isUnknown() && !r.isAbsent() && r.status() == ApplyResult.Status.INEXACT ? 1 : 0;
                    unknown += r.isUnknown() ? 1 : 0;
                }
            }
        }
        return new Count(documents, inexact, unknown);
    }
}
