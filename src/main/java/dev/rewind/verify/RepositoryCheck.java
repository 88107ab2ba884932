package dev.rewind.verify;

import dev.rewind.repo.Repository;
import dev.rewind.repo.Verifier;
import dev.rewind.repo.Verifier.Problem;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Verifies a whole repository: the manifests and their objects ({@link Verifier}), the change log
 * ({@link LogCheck}), and the records beside them ({@link RecordCheck}); then keeps the findings in
 * {@code verify/last} for {@code status}.
 */
public final class RepositoryCheck {
    private RepositoryCheck() { }

    /** Everything verify found. {@code saved} is false when the findings could not be kept (a read-only copy). */
    public record Report(Verifier.Report snapshots, int segments, int segmentsRead, long events, int records,
                         List<Problem> problems, List<String> notes, boolean saved) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static Report run(Repository repo, double readFraction, long seed, String depth) {
        Verifier.Report snaps = new Verifier(repo).verify(readFraction, seed);
        LogCheck.Result log = LogCheck.check(repo, readFraction, new Random(seed ^ 0x5EC5L));
        RecordCheck records = new RecordCheck(repo.store()).check(readFraction > 0);
        List<Problem> problems = new ArrayList<>(snaps.problems());
        problems.addAll(log.problems());
        problems.addAll(records.problems());
        List<String> notes = new ArrayList<>(log.notes());
        notes.addAll(records.notes());
        boolean saved = true;
        try {
            new LastVerify(Instant.now(), depth, problems).save(repo.store());
        } catch (IOException | RuntimeException readOnly) {
            saved = false;
        }
        return new Report(snaps, log.segments(), log.read(), log.events(), records.files(), problems, notes, saved);
    }
}
