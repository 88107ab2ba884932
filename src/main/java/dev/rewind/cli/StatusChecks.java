package dev.rewind.cli;

import dev.rewind.repo.LogCoverage;
import dev.rewind.repo.Repository;
import dev.rewind.repo.SegmentName;
import dev.rewind.verify.LastVerify;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * What {@code status} says of the repository's soundness, from what it can see cheaply (segment
 * names: overlapping chains) and from what the last {@code verify} found in the files status does
 * not read: those damaged segments are left out of the log, so the windows break where they are.
 */
final class StatusChecks {
    final List<LogCoverage.Overlap> overlaps;
    final LastVerify lastVerify;
    final List<SegmentName> usable;

    StatusChecks(Repository r, List<SegmentName> segments) throws IOException {
        overlaps = LogCoverage.overlaps(segments);
        lastVerify = LastVerify.load(r.store());
        List<String> damaged = lastVerify == null ? List.of() : lastVerify.segments();
        usable = new ArrayList<>(segments.stream().filter(s -> !damaged.contains(s.name())).toList());
    }

    void print(PrintWriter out) {
        for (LogCoverage.Overlap o : overlaps) {
            out.println("OVERLAP      " + o.describe() + "; run 'rewind verify'");
        }
        if (lastVerify != null) {
            out.println("verified     " + lastVerify.finished() + " (" + lastVerify.depth() + "): "
                    + (lastVerify.problems().isEmpty() ? "no problems" : lastVerify.problems().size() + " damaged or missing files"));
            lastVerify.problems().forEach(p -> out.println("DAMAGED      " + p.file() + ": " + p.reason()));
        } else {
            out.println("verified     never (run 'rewind verify --read-data' to check every file)");
        }
    }

    void addTo(Document json) {
        List<Document> os = new ArrayList<>();
        overlaps.forEach(o -> os.add(new Document("first", o.first().name()).append("second", o.second().name())));
        List<Document> ds = new ArrayList<>();
        if (lastVerify != null) {
            lastVerify.problems().forEach(p -> ds.add(new Document("file", p.file()).append("reason", p.reason())));
        }
        json.append("overlaps", os).append("lastVerify", lastVerify == null ? null : lastVerify.finished().toString())
                .append("damaged", ds);
    }

    /** A gap's reason when a damaged segment made it. */
    String reasonFor(SegmentName before, SegmentName after) {
        if (lastVerify == null) {
            return null;
        }
        for (String s : lastVerify.segments()) {
            try {
                SegmentName n = SegmentName.parse(s);
                if (!n.from().isBefore(before.to()) && !n.to().isAfter(after.from())) {
                    return "(damaged segment " + s + ", found by verify)";
                }
            } catch (IllegalArgumentException ignored) {
                // a stray name
            }
        }
        return null;
    }
}
