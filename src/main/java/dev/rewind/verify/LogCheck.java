package dev.rewind.verify;

import dev.rewind.RewindException;
import dev.rewind.event.ChangeEvent;
import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repository;
import dev.rewind.repo.Segment;
import dev.rewind.repo.SegmentName;
import dev.rewind.repo.StoredFile;
import dev.rewind.repo.Verifier.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Checks the change log: every name under {@code segments/} is a segment, no two segments overlap,
 * and each segment chosen for reading (all, a sample, or none) reads whole — envelope, header
 * agreeing with its name, count, events inside its span and in order — and holds only well-formed
 * events. A break in the chain is a gap, reported as a note, not as damage.
 */
final class LogCheck {
    private LogCheck() { }

    record Result(int segments, int read, long events, List<Problem> problems, List<String> notes) { }

    static Result check(Repository repo, double readFraction, Random random) {
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<SegmentName> names = repo.segmentNames();
        for (LogCoverage.Overlap o : LogCoverage.overlaps(names)) {
            problems.add(new Problem(o.second().name(), "overlaps " + o.first().name()
                    + ": two captures wrote the log at once; restore and undo read one of them", List.of()));
        }
        checkContained(repo, names, readFraction >= 1, problems, notes);
        List<LogCoverage.Chain> chains = LogCoverage.chains(names);
        List<dev.rewind.repo.Gap> gaps = repo.gaps();
        for (int i = 1; i < chains.size(); i++) {
            var from = chains.get(i - 1).to();
            notes.add("gap in the change log from " + from + " to " + chains.get(i).from()
                    + (gaps.stream().anyMatch(g -> g.from().equals(from)) ? " (recorded in gaps/)" : " (capture was not running)"));
        }
        int read = 0;
        long events = 0;
        for (SegmentName s : names) {
            boolean readIt = readFraction >= 1 || (readFraction > 0 && random.nextDouble() < readFraction);
            String reason = null;
            try {
                if (readIt) {
                    Segment segment = Segment.parse(s.name(), repo.store().get(s.name()));
                    read++;
                    for (ChangeEvent e : segment.events()) {
                        String p = EventCheck.problem(e);
                        if (p != null && reason == null) {
                            reason = "event at " + e.clusterTime() + " is not well-formed: " + p;
                        }
                    }
                    events += segment.events().size();
                } else {
                    long size = repo.store().size(s.name());
                    reason = size < 0 ? "missing" : size < StoredFile.HEADER_SIZE ? "truncated" : null;
                }
            } catch (NoSuchFileException gone) {
                reason = "missing";
            } catch (RewindException bad) {
                reason = bad.getMessage().replace("corrupt repository file " + s.name() + ": ", "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (reason != null) {
                problems.add(new Problem(s.name(), reason, List.of()));
            }
        }
        return new Result(names.size(), read, events, problems, notes);
    }

    /**
     * A segment whose range lies inside another's is ignored by readers (docs/FORMAT.md, "Compaction"):
     * a part an interrupted prune left, harmless when the segment around it holds its every event. With
     * {@code readData} that is checked, and one holding an event the other lacks is reported as an
     * overlap — a second capture wrote it, and restore would not see that event.
     */
    private static void checkContained(Repository repo, List<SegmentName> kept, boolean readData, List<Problem> problems,
            List<String> notes) {
        java.util.Set<SegmentName> keptSet = new java.util.HashSet<>(kept);
        for (SegmentName inner : repo.allSegmentNames()) {
            if (keptSet.contains(inner)) {
                continue;
            }
            SegmentName outer = kept.stream().filter(k -> !inner.from().isBefore(k.from()) && !inner.to().isAfter(k.to()))
                    .findFirst().orElse(null);
            if (outer == null) {
                continue;
            }
            String lacking = readData ? firstLacking(repo, inner, outer) : null;
            if (lacking != null) {
                problems.add(new Problem(inner.name(), "overlaps " + outer.name() + ", which lacks its event " + lacking
                        + ": two captures wrote the log at once; restore and undo read only the wider one", List.of()));
            } else {
                notes.add(inner.name() + " lies inside " + outer.name() + (readData ? " and repeats its events" : "")
                        + ": a part an interrupted prune left; readers ignore it and the next prune deletes it");
            }
        }
    }

    /** The first event of {@code inner} that {@code outer} does not hold, or null; damage is left to the main pass. */
    private static String firstLacking(Repository repo, SegmentName inner, SegmentName outer) {
        try {
            java.util.Set<BsonDocumentKey> held = new java.util.HashSet<>();
            for (ChangeEvent e : Segment.parse(outer.name(), repo.store().get(outer.name())).events()) {
                held.add(BsonDocumentKey.of(e));
            }
            for (ChangeEvent e : Segment.parse(inner.name(), repo.store().get(inner.name())).events()) {
                if (!held.contains(BsonDocumentKey.of(e))) {
                    return e.toString();
                }
            }
            return null;
        } catch (RewindException | IOException unreadable) {
            return "(unreadable: " + unreadable.getMessage() + ")";
        }
    }

    /** An event as stored, compared whole. */
    private record BsonDocumentKey(org.bson.BsonDocument stored) {
        static BsonDocumentKey of(ChangeEvent e) {
            return new BsonDocumentKey(dev.rewind.event.EventFormat.write(e.withoutRaw()));
        }
    }
}
