package dev.rewind.retention;

import dev.rewind.repo.PruneGuard;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.SnapshotManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code forget}: removes the snapshot manifests a {@link RetentionPolicy} does not keep and the change
 * log before the point-in-time span ({@link ForgetPlan}). Manifests go first, then segments, then gaps,
 * so an interrupted forget leaves nothing a kept snapshot needs. The objects stay until {@link Prune}.
 */
public final class Forget {
    private final Repository repo;

    public Forget(Repository repo) {
        this.repo = repo;
    }

    public ForgetPlan plan(RetentionPolicy policy) {
        return ForgetPlan.of(policy, repo.snapshots(), repo.allSegmentNames(), repo.gaps());
    }

    /**
     * Plans and carries out a forget; returns the plan. It holds the prune marker meanwhile, and
     * deletes nothing (LOCKED) while a reader reads ({@link dev.rewind.repo.ReadMark}).
     */
    public ForgetPlan run(RetentionPolicy policy) {
        try (PruneGuard guard = PruneGuard.forPrune(repo.store(), "rewind forget")) {
            guard.refuseWhileRead("forget");
            ForgetPlan plan = plan(policy);
            List<String> manifests = new ArrayList<>();
            for (SnapshotManifest s : plan.forgottenSnapshots()) {
                manifests.add(s.fileName());
            }
            repo.store().deleteAll(manifests);
            repo.store().deleteAll(plan.forgottenSegments().stream().map(SegmentName::name).toList());
            repo.store().deleteAll(plan.forgottenGaps().stream().map(g -> g.fileName()).toList());
            return plan;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
